"""AuditContextMiddleware: an action run by a request is signed with its user, IP and browser."""

from __future__ import annotations

import pytest
from asgiref.sync import iscoroutinefunction, sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.db import connections
from django.http import HttpResponse
from django.test import Client
from rest_framework.authtoken.models import Token

from hub.audit.log import current_context
from hub.audit.middleware import AuditContextMiddleware
from hub.audit.models import AuditEntry

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def test_a_page_action_is_signed_with_the_user_ip_and_browser(client, cast):
    client.force_login(cast.student)

    response = client.post(
        "/language/",
        {"language": "ky", "next": "/"},
        REMOTE_ADDR="203.0.113.5",
        HTTP_USER_AGENT=BROWSER,
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.action == "user_language_set"
    assert entry.actor == cast.student
    assert entry.actor_repr == "Асанов Бакыт (student)"
    assert entry.ip == "203.0.113.5"
    assert entry.user_agent == BROWSER
    assert entry.changes == {"language": ["en", "ky"]}


def test_an_api_action_is_signed_with_the_token_user(client, cast):
    # DRF authenticates the token inside the view, after the middleware ran:
    # the actor must be read when the entry is written.
    token = Token.objects.create(user=cast.teacher)

    response = client.patch(
        "/api/v1/me/",
        {"phone": "+996 555 12-34-56"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
        REMOTE_ADDR="198.51.100.20",
    )

    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.ip) == (
        "user_profile_update",
        cast.teacher,
        "198.51.100.20",
    )
    assert entry.changes == {"phone": ["", "+996555123456"]}


def test_the_request_context_ends_with_the_request(client, cast):
    client.force_login(cast.student)

    client.post("/language/", {"language": "ky"}, REMOTE_ADDR="203.0.113.5")

    assert current_context().request is None
    assert current_context().current_actor() is None


@pytest.mark.django_db(transaction=True)
async def test_an_action_behind_the_async_handler_is_signed_too(cast):
    # Straight into Django's ASGI handler (Django's AsyncClient cannot set the
    # peer address): the middleware chain runs as it does under Daphne.
    browser = Client()
    await sync_to_async(browser.force_login)(cast.parent)
    csrf = "a" * 32
    cookies = (
        f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    )
    body = b"language=ru&next=/"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/language/",
        "raw_path": b"/language/",
        "query_string": b"",
        "client": ["192.0.2.44", 51000],
        "server": ["testserver", 80],
        "headers": [
            (b"host", b"testserver"),
            (b"cookie", f"{cookies}; {settings.CSRF_COOKIE_NAME}={csrf}".encode()),
            (b"x-csrftoken", csrf.encode()),
            (b"user-agent", BROWSER.encode()),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    communicator = ApplicationCommunicator(get_asgi_application(), scope)
    await communicator.send_input({"type": "http.request", "body": body})

    start = await communicator.receive_output(timeout=10)
    await communicator.wait(timeout=10)

    assert start["status"] == 302
    entry = await AuditEntry.objects.select_related("actor").aget()
    # The handler's thread keeps its connection; an open one blocks dropping
    # the PostgreSQL test database.
    await sync_to_async(connections.close_all)()
    assert (entry.actor, entry.ip, entry.user_agent) == (cast.parent, "192.0.2.44", BROWSER)


def test_the_middleware_makes_the_request_current_for_a_sync_view(rf):
    seen = []

    def view(request):
        seen.append(current_context().request)
        return HttpResponse()

    request = rf.get("/")
    AuditContextMiddleware(view)(request)

    assert seen == [request]
    assert current_context().request is None


async def test_the_middleware_makes_the_request_current_for_an_async_view(rf):
    seen = []

    async def view(request):
        seen.append(current_context().request)
        return HttpResponse()

    middleware = AuditContextMiddleware(view)
    request = rf.get("/")

    assert iscoroutinefunction(middleware)
    await middleware(request)
    assert seen == [request]
    assert current_context().request is None
