"""Lean HTTP paths (issue 8): the requests every student of an exam sends every few
seconds, answered in front of Django's middleware stack with Django's own checks.

A camera frame every 3 s (proctoring.upload) and an answer save at each choice
(hub.testing.lean): hundreds a second at the start of an exam, each of which cost 7–9 ms
of CPU through the full stack (sessions, messages, audit context, axes…) for a view that
needs only who is asking and their attempt. Here one ASGI handler in front of Django's
application (hub.asgi) does exactly what such a view needs, with the same code:

- Django's own host and CSRF checks (CsrfViewMiddleware on a request built from the
  scope, with the path's view, so its CSRF flags count);
- the session read by the session engine, and the user with their object in one query,
  verified as Django's get_user verifies a session (`session_user_id`,
  `session_verifies`); anything less plain goes through get_user itself, as the
  sockets do;
- the view's own answer (the path's `reply`, which the Django view calls too), in the
  user's language, with the headers Django's middleware adds.

Whatever is not the plain case goes to Django unchanged, which answers exactly as
before: another method or URL, a body the path does not take or larger than it takes,
no session or one that does not verify, a failed host or CSRF check, a password to
change, an object that is not the user's (Django's 404). Nothing is read twice: the body
already read is replayed to Django.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.exceptions import ValidationError
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_language_from_request, gettext

from hub.errors import RETRY_AFTER_SECONDS, is_overload
from realtime.db import parallel_database

log = logging.getLogger("django.request")

# What a lean path reads of the user: the session's check and the answer's language.
SESSION_USER_FIELDS = ("password", "is_active", "language", "must_change_password")
_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _any_body(scope) -> bool:
    return True


@dataclass(frozen=True)
class LeanPath:
    """One lean path: a POST to the URL `url_name` (with one integer argument, the
    object's id) answered as its Django `view` would answer the plain case.

    `own_of_session(session, object_id)`: the session's user and their object, or None
    (Django answers). `reply(request, user, object, body)`: the view's (status, data).
    Both run on a database thread. `takes(scope)`: whether the body's kind is one the
    path answers (else Django). A body longer than `max_body` goes to Django."""

    url_name: str
    view: Callable
    max_body: int
    own_of_session: Callable[[Any, int], tuple[Any, Any] | None]
    reply: Callable[[Any, Any, Any, bytes], tuple[int, dict]]
    takes: Callable[[dict], bool] = field(default=_any_body)

    @property
    def pattern(self) -> re.Pattern:
        return _url_pattern(self.url_name)


@cache
def _url_pattern(url_name: str) -> re.Pattern:
    """The URL as the URLconf spells it (with the script prefix, if any)."""
    probe = 123456789
    before, after = reverse(url_name, args=[probe]).split(str(probe))
    return re.compile(f"{re.escape(before)}([0-9]{{1,18}}){re.escape(after)}")


def header(scope, name: bytes) -> bytes:
    """A request header's raw value (b"" without it)."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return value
    return b""


def _route(paths: list[LeanPath], scope) -> tuple[LeanPath, int] | None:
    """The lean path answering this request, with its object's id, or None: Django's."""
    if scope["type"] != "http" or scope["method"] != "POST":
        return None
    for path in paths:
        found = path.pattern.fullmatch(scope["path"])
        if found is not None:
            return (path, int(found[1])) if path.takes(scope) else None
    return None


# --- The session, verified as Django's get_user verifies it ------------------------------


def session_user_id(session) -> Any | None:
    """The id of the user signed in on `session` through ModelBackend, else None (another
    backend, or none: the caller then goes the standard way, get_user)."""
    from hub.accounts.models import User

    try:
        user_id = User._meta.pk.to_python(session[SESSION_KEY])
        backend = session[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return None
    if backend != _MODEL_BACKEND or backend not in settings.AUTHENTICATION_BACKENDS:
        return None
    return user_id


def session_verifies(session, user) -> bool:
    """Whether `session` holds `user` as get_user would accept it: the user active and the
    session's password hash the user's current one (a hash to rotate or that fails: no,
    and get_user decides)."""
    session_hash = session.get(HASH_SESSION_KEY)
    if not user.is_active or not session_hash:
        return False
    return constant_time_compare(session_hash, user.get_session_auth_hash())


# --- Django's checks before the view ----------------------------------------------------


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF checks, whose refusal is left to Django to answer and log: the
    request then goes on to Django's stack, which refuses it the same way."""

    def _reject(self, request, reason):
        return reason


def _django_would_let_through(request, view) -> bool:
    """The checks Django's middleware makes before the view, by Django's own code: the
    HTTPS redirect, the allowed host, CSRF (the Origin, the Referer over HTTPS, the
    X-CSRFToken header against the csrftoken cookie)."""
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return False
    try:
        request.get_host()
    except Exception:  # DisallowedHost and the like: Django answers it (400).
        return False
    csrf = _CsrfCheck(lambda _request: None)
    csrf.process_request(request)
    return csrf.process_view(request, view, (), {}) is None


@cache
def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def lean_answer(path: LeanPath, scope, object_id: int, body: bytes):
    """The answer to a plain request of `path` (status, JSON, its language), or None where
    Django answers (see the module's docstring). Runs on a database thread."""
    from django.core.handlers.asgi import ASGIRequest

    request = ASGIRequest(scope, io.BytesIO(body))
    if not _django_would_let_through(request, path.view):
        return None
    session = _session_store()(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    found = path.own_of_session(session, object_id)
    if found is None:
        return None
    user, owned = found
    if user.must_change_password:
        return None
    # UserLanguageMiddleware's choice: the user's own language, else LocaleMiddleware's.
    language = user.language or get_language_from_request(request)
    with translation.override(language):
        status, data = path.reply(request, user, owned, body)
    return status, data, language


_lean_answer = parallel_database(lean_answer)


# --- The ASGI side ------------------------------------------------------------------------


async def _read_body(receive, limit: int) -> tuple[list[dict], bool, bool]:
    """The request's body messages as read, whether they are the whole body (False when it
    went past `limit`: the rest is left unread) and whether the client left."""
    messages, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return messages, False, True
        messages.append(message)
        size += len(message.get("body", b""))
        if size > limit:
            return messages, False, False
        if not message.get("more_body", False):
            return messages, True, False


def _replay(messages: list[dict], receive):
    """`receive` that gives Django the body messages already read, then the rest."""
    pending = list(messages)

    async def replayed():
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


@cache
def _headers() -> list[tuple[bytes, bytes]]:
    """What Django's middleware adds to a view's JSON answer (security, framing, vary)."""
    headers = [
        (b"content-type", b"application/json"),
        (b"x-frame-options", settings.X_FRAME_OPTIONS.encode()),
        (b"vary", b"Accept-Language, Cookie"),
    ]
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append((b"x-content-type-options", b"nosniff"))
    if referrer := settings.SECURE_REFERRER_POLICY:
        referrer = referrer if isinstance(referrer, str) else ",".join(referrer)
        headers.append((b"referrer-policy", referrer.encode()))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        policy = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY.encode()
        headers.append((b"cross-origin-opener-policy", policy))
    return headers


async def _send_json(send, status: int, data: dict, language: str, extra=()) -> None:
    body = json.dumps(data).encode()
    headers = [
        *_headers(),
        *extra,
        (b"content-language", language.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_failure(send, scope, error: Exception) -> None:
    """A failure answered as Django's handler500 answers it (hub.cabinets.views.server_error):
    503 with Retry-After when the server is only overloaded, else 500, logged where Django
    logs a view's failure. The pages keep what they sent and retry."""
    language = translation.get_language()
    if is_overload(error):
        log.warning("Service Unavailable (database pool exhausted): %s", scope["path"])
        detail = {"detail": gettext("The server is busy: please try again in a few seconds.")}
        retry = [(b"retry-after", str(RETRY_AFTER_SECONDS).encode())]
        return await _send_json(send, 503, detail, language, extra=retry)
    log.error("Internal Server Error: %s", scope["path"], exc_info=error)
    return await _send_json(send, 500, {"detail": gettext("Internal server error.")}, language)


def lean_paths(paths: list[LeanPath], django_app):
    """The HTTP application of hub.asgi: the plain requests of `paths` answered here, the
    rest by `django_app`."""

    async def app(scope, receive, send):
        routed = _route(paths, scope)
        if routed is None:
            return await django_app(scope, receive, send)
        path, object_id = routed
        messages, whole, gone = await _read_body(receive, path.max_body)
        if gone:
            return None
        answer = None
        if whole:
            body = b"".join(m.get("body", b"") for m in messages)
            try:
                answer = await _lean_answer(path, scope, object_id, body)
            except Exception as error:
                return await _send_failure(send, scope, error)
        if answer is None:
            return await django_app(scope, _replay(messages, receive), send)
        return await _send_json(send, *answer)

    return app
