"""Members connected to different server processes chat with each other (Redis between them).

Two real Daphne processes on the test database and one Redis: the student's
socket is on server A, the classmate's on server B; a message sent on A is
stored, acknowledged on A and delivered on B, and the other way round.
"""

from __future__ import annotations

import asyncio
import json
import os

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from websockets.asyncio.client import connect

from realtime.chat.membership import group_chat_sync
from realtime.chat.models import Message
from tests.realtime.conftest import session_cookie
from tests.servers import AsgiServer

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]


async def next_event(ws, event_type: str, timeout: float = 10) -> dict:
    while True:
        event = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if event["type"] == event_type:
            return event


async def open_chat(server, user, chat_id: int):
    cookie = await database_sync_to_async(session_cookie)(user)
    ws = await connect(
        f"ws://127.0.0.1:{server.port}/ws/chat/",
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
        origin=server.url,
        open_timeout=10,
    )
    await ws.send(json.dumps({"type": "subscribe", "chat": chat_id, "after": 0}))
    await next_event(ws, "chat.subscribed")
    return ws


async def test_two_members_on_two_servers_chat(cast, university, enrolled, tmp_path):
    chat = await database_sync_to_async(lambda: group_chat_sync(group=university.group_a).chat)()
    with (
        AsgiServer("daphne", tmp_path, name="a") as server_a,
        AsgiServer("daphne", tmp_path, name="b") as server_b,
    ):
        alice = await open_chat(server_a, cast.student, chat.pk)
        bob = await open_chat(server_b, cast.other_student, chat.pk)
        try:
            await alice.send(
                json.dumps({"type": "send", "chat": chat.pk, "text": "Саламатсыңбы?", "key": "a"})
            )
            ack = await next_event(alice, "chat.ack")
            heard = await next_event(bob, "chat.message")
            assert heard["data"]["id"] == ack["data"]["id"]
            assert heard["data"]["text"] == "Саламатсыңбы?"

            await bob.send(
                json.dumps({"type": "send", "chat": chat.pk, "text": "Жакшы!", "key": "b"})
            )
            answer = await next_event(alice, "chat.message")
            while answer["data"]["text"] != "Жакшы!":  # alice also hears her own message first
                answer = await next_event(alice, "chat.message")
        finally:
            await alice.close()
            await bob.close()
    assert await database_sync_to_async(Message.objects.count)() == 2
