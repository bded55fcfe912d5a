"""Helpers for driving sockets through the real ASGI router as a signed-in user."""

from __future__ import annotations

from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

ORIGIN = b"http://localhost"


def session_cookie(user) -> str:
    """A real session for `user` in the test database, as the browser's cookie."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def communicator(path: str, *, cookie: str | None = None, origin: bytes = ORIGIN):
    """A socket to `path` through hub.asgi.application (origin check, session auth, router)."""
    from hub.asgi import application

    headers = [(b"origin", origin), (b"host", b"localhost")]
    if cookie is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)
