"""Two ASGI server processes sharing one Redis deliver each other's events.

Both servers we run are covered: Daphne (`make run`) and uvicorn (production,
chosen by `make bench`; see deploy/SCALING.md).

A signed-in user's socket is open on server B; the user marks a notification
read through server A (and the test process creates one): both events reach
the socket on B. The servers are real subprocesses on the test database.
"""

from __future__ import annotations

import asyncio
import json
import os

import httpx
import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.utils.crypto import get_random_string
from websockets.asyncio.client import connect

from realtime.actions import notification_create
from realtime.models import Notification
from tests.realtime.conftest import session_cookie
from tests.servers import AsgiServer

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]


@pytest.fixture(params=["daphne", "uvicorn"])
def servers(request, tmp_path):
    with (
        AsgiServer(request.param, tmp_path, name="a") as server_a,
        AsgiServer(request.param, tmp_path, name="b") as server_b,
    ):
        yield server_a, server_b


async def next_event(ws, event_type: str, timeout: float = 10) -> dict:
    while True:
        event = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if event["type"] == event_type:
            return event


async def test_an_event_published_through_server_a_reaches_a_socket_on_server_b(cast, servers):
    server_a, server_b = servers
    notification = await database_sync_to_async(notification_create)(
        recipient=cast.student, title="Transcript ready"
    )
    cookie = await database_sync_to_async(session_cookie)(cast.student)
    session = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    ws_url = f"ws://127.0.0.1:{server_b.port}/ws/notifications/"

    async with connect(
        ws_url, additional_headers={"Cookie": session}, origin=server_b.url, open_timeout=10
    ) as ws:
        synced = await next_event(ws, "notification.synced")
        assert synced["data"] == {"unread": 1, "last_id": notification.id}

        # The double-submit CSRF token a browser would send: cookie and header agree.
        token = get_random_string(32)
        async with httpx.AsyncClient(base_url=server_a.url) as client:
            response = await client.post(
                f"/notifications/{notification.id}/read/",
                headers={
                    "Cookie": f"{session}; {settings.CSRF_COOKIE_NAME}={token}",
                    "X-CSRFToken": token,
                    "Origin": server_a.url,
                    "HX-Request": "true",
                },
            )
        assert response.status_code == 204, server_a.output()
        read = await next_event(ws, "notification.read")
        assert read["data"] == {"id": notification.id, "unread": 0}

        # A third process (this test) publishing reaches server B as well.
        created = await database_sync_to_async(notification_create)(
            recipient=cast.student, title="Grade posted"
        )
        event = await next_event(ws, "notification.created")
        assert (event["data"]["id"], event["data"]["title"]) == (created.id, "Grade posted")

    assert await Notification.objects.filter(read_at__isnull=False).acount() == 1


async def test_a_stranger_on_server_b_hears_nothing_of_it(cast, servers):
    _, server_b = servers
    cookie = await database_sync_to_async(session_cookie)(cast.other_student)
    async with connect(
        f"ws://127.0.0.1:{server_b.port}/ws/notifications/",
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
        origin=server_b.url,
        open_timeout=10,
    ) as ws:
        await next_event(ws, "notification.synced")
        await database_sync_to_async(notification_create)(recipient=cast.student, title="Private")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(ws.recv(), 1.5)
