"""The lean path of the camera frame upload (issue 8): POST /proctoring/attempts/<id>/frame/
with the JPEG as the body, answered without Django's middleware stack.

300 students send a frame every 3 seconds: a hundred uploads a second, each of which
cost about 9 ms of CPU through the full stack (sessions, messages, audit context, axes…)
for a view that needs only who is asking and their attempt. Here one ASGI handler in
front of Django's application (hub.asgi) does exactly what the view needs, with the
same code: Django's own host and CSRF checks (CsrfViewMiddleware on a request built from
the scope), the session read by the session engine, the user and their attempt in one
query verified as Django's get_user verifies a session (password-change hash included:
proctoring.permissions.access_own_attempt_of_session; anything less plain goes through
get_user itself, as the sockets do), and the view's own answers (views.frame_answer:
201, 400, 409, 413 in the user's language). The frame is stored by the same action (one
INSERT) and its analysis queued after commit: three queries in all.

Whatever is not the plain case goes to Django unchanged, which answers exactly as
before: anything but POST, a multipart upload, no session or a session that is not
valid, a failed host or CSRF check, a password to change, an attempt that is not the
user's (Django's 404), a body larger than a frame can be (Django's 413 after the login
and access checks). Nothing is read twice: the body already read is replayed to Django.
"""

from __future__ import annotations

import io
import json
import logging
import re
from functools import cache
from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user
from django.http import Http404
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_from_request, gettext

from proctoring.analysis.frames import MAX_FRAME_BYTES
from proctoring.permissions import access_own_attempt_of_session, access_own_attempt_to_send
from realtime.db import parallel_database

log = logging.getLogger("django.request")

# The view's own bound: a little room for a multipart envelope around the frame.
MAX_BODY_BYTES = MAX_FRAME_BYTES + 4096


@cache
def _frame_path() -> re.Pattern:
    """The upload's URL as the URLconf spells it (with the script prefix, if any)."""
    probe = 123456789
    before, after = reverse("proctoring:frame", args=[probe]).split(str(probe))
    return re.compile(f"{re.escape(before)}([0-9]{{1,18}}){re.escape(after)}")


def _header(scope, name: bytes) -> bytes:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value
    return b""


def lean_attempt_id(scope) -> int | None:
    """The attempt of a frame upload this path answers, or None: Django's to answer."""
    if scope["type"] != "http" or scope["method"] != "POST":
        return None
    found = _frame_path().fullmatch(scope["path"])
    if found is None:
        return None
    # A multipart upload needs Django's parser; the camera page sends the bare JPEG.
    if _header(scope, b"content-type").lower().startswith(b"multipart/"):
        return None
    return int(found[1])


async def _read_body(receive) -> tuple[list[dict], bool, bool]:
    """The request's body messages as read, whether they are the whole body (False when it
    went past MAX_BODY_BYTES: the rest is left unread) and whether the client left."""
    messages, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return messages, False, True
        messages.append(message)
        size += len(message.get("body", b""))
        if size > MAX_BODY_BYTES:
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


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _request(scope, body: bytes):
    from django.core.handlers.asgi import ASGIRequest

    return ASGIRequest(scope, io.BytesIO(body))


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


def frame_upload_answer(scope, attempt_id: int, body: bytes) -> tuple[int, dict, str] | None:
    """The answer to a plain frame upload (status, JSON, its language), or None where Django answers
    (see the module's docstring). Runs on a database thread: the session, the attempt
    with its user, the frame's INSERT; its analysis is queued after commit by the action."""
    from proctoring import views

    request = _request(scope, body)
    if not _django_would_let_through(request, views.frame):
        return None
    session = _session_store()(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    found = access_own_attempt_of_session(session, attempt_id)
    if found is None:
        # The standard way, as the sockets do (Django's get_user on the same session).
        user = get_user(SimpleNamespace(session=session))
        try:
            attempt = access_own_attempt_to_send(user, attempt_id)
        except Http404:
            return None
    else:
        user, attempt = found
    if user.must_change_password:
        return None
    # UserLanguageMiddleware's choice: the user's own language, else LocaleMiddleware's.
    language = user.language or get_language_from_request(request)
    with translation.override(language):
        status, data = views.frame_answer(
            user=user, attempt=attempt, jpeg=body, taken_at=request.GET.get("taken_at") or None
        )
    return status, data, language


_frame_upload_answer = parallel_database(frame_upload_answer)


@cache
def _headers() -> list[tuple[bytes, bytes]]:
    """What Django's middleware adds to the view's JSON answer (security, framing, vary)."""
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


async def _send_json(send, status: int, data: dict, language: str) -> None:
    body = json.dumps(data).encode()
    headers = [
        *_headers(),
        (b"content-language", language.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def lean_frame_upload(django_app):
    """The HTTP application of hub.asgi: plain frame uploads answered here, the rest by
    `django_app`."""

    async def app(scope, receive, send):
        attempt_id = lean_attempt_id(scope)
        if attempt_id is None:
            return await django_app(scope, receive, send)
        messages, whole, gone = await _read_body(receive)
        if gone:
            return None
        answer = None
        if whole:
            body = b"".join(m.get("body", b"") for m in messages)
            try:
                answer = await _frame_upload_answer(scope, attempt_id, body)
            except Exception:
                # Logged where Django logs a view's failure; the camera page retries.
                log.exception("Internal Server Error: %s", scope["path"])
                detail = {"detail": gettext("Internal server error.")}
                return await _send_json(send, 500, detail, translation.get_language())
        if answer is None:
            return await django_app(scope, _replay(messages, receive), send)
        return await _send_json(send, *answer)

    return app
