"""Who is on a socket: the session cookie read into `scope["user"]` in one database call.

Channels' AuthMiddlewareStack makes the session store and then the user in
two calls on the one thread every `database_sync_to_async` of the process
shares; when a lecture hall reconnects at once (a server restart, a Wi-Fi
drop) those calls queue behind each other and behind every other socket's
database work. Here one self-contained call reads the session and its user
(verifying the session's password hash as Django's own `get_user` does) on
the loop's thread pool (realtime.db.parallel_database).
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from importlib import import_module
from types import SimpleNamespace

from channels.middleware import BaseMiddleware
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser

from realtime.db import parallel_database


def session_key(scope) -> str | None:
    """The session cookie's value from the socket's handshake headers, if any."""
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            cookie = SimpleCookie()
            cookie.load(value.decode("latin-1"))
            morsel = cookie.get(settings.SESSION_COOKIE_NAME)
            return morsel.value if morsel else None
    return None


def user_of_session(key: str | None):
    """The signed-in user of the session `key`, or AnonymousUser (expired, unknown, no key)."""
    if not key:
        return AnonymousUser()
    session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    # Django's own check, password-change hash included; it needs only `.session`.
    return get_user(SimpleNamespace(session=session))


_user_of_session = parallel_database(user_of_session)


class SessionAuthMiddleware(BaseMiddleware):
    """Sets `scope["user"]` from the session cookie before the consumer runs."""

    async def __call__(self, scope, receive, send):
        if "user" not in scope:
            scope = dict(scope, user=await _user_of_session(session_key(scope)))
        return await super().__call__(scope, receive, send)
