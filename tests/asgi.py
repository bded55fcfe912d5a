"""A client of the real ASGI application (hub.asgi): requests go through the lean paths
(hub.lean) and Django's stack exactly as a server hands them over, CSRF enforced."""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field

import channels.db
import httpx
from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@contextmanager
def _test_connections():
    """Keep the test's connection (and its transaction) across requests, as Django's test
    client does: a request's start and end would close it, and so would Channels'
    database_sync_to_async around each call (the lean path's database thread)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    closer = channels.db.close_old_connections
    channels.db.close_old_connections = lambda **_kwargs: None
    try:
        yield
    finally:
        channels.db.close_old_connections = closer
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass
class AsgiClient:
    """`client.post(path, body, content_type=...)` through hub.asgi.application, with the
    session of `login(django_client)` and a CSRF cookie and header like the camera page's."""

    session: str = ""
    csrf: str = field(default_factory=lambda: secrets.token_hex(16))

    def login(self, django_client, user) -> AsgiClient:
        django_client.force_login(user)
        self.session = django_client.cookies[settings.SESSION_COOKIE_NAME].value
        return self

    def post(
        self,
        path: str,
        body: bytes = b"",
        *,
        content_type: str = "image/jpeg",
        headers: dict[str, str] | None = None,
        files: dict | None = None,
        data: dict | None = None,
    ) -> httpx.Response:
        sent = {"Content-Type": content_type, "X-CSRFToken": self.csrf} | (headers or {})
        if files is not None or data is not None:
            del sent["Content-Type"]  # httpx writes the multipart boundary
            return self.request("POST", path, headers=sent, files=files, data=data)
        return self.request("POST", path, headers=sent, content=body)

    def get(self, path: str) -> httpx.Response:
        return self.request("GET", path)

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        from hub.asgi import application

        cookies = {"csrftoken": self.csrf}
        if self.session:
            cookies[settings.SESSION_COOKIE_NAME] = self.session

        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver", cookies=cookies
            ) as client:
                return await client.request(method, path, **kwargs)

        with _test_connections():
            return async_to_sync(send)()
