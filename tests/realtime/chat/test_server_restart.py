"""The server process dies mid-conversation: after reconnecting, every message arrives exactly once.

A real Daphne process on the test database; the classmate's socket resumes
from the last id it saw on a new server process, and gets what was sent while
it was away (through the database, not the channel layer) and then live.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from websockets.asyncio.client import connect

from realtime.chat.actions import message_post
from realtime.chat.membership import group_chat_sync
from tests.realtime.conftest import session_cookie
from tests.servers import AsgiServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]


async def messages_until_quiet(ws, timeout: float = 1.5, first: float = 10.0) -> list[str]:
    """The chat messages received until none comes for `timeout` s (the first may take `first` s:
    a loaded machine starts a new server process slowly)."""
    texts = []
    while True:
        try:
            event = json.loads(await asyncio.wait_for(ws.recv(), timeout if texts else first))
        except TimeoutError:
            return texts
        if event["type"] == "chat.message":
            texts.append(event["data"]["text"])


async def subscribe(server, cookie: str, chat_id: int, after: int):
    """A socket subscribed to the chat, and the texts replayed to it: everything
    before `chat.subscribed`, so what is sent afterwards can only arrive live."""
    ws = await connect(
        f"ws://127.0.0.1:{server.port}/ws/chat/",
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
        origin=server.url,
        open_timeout=10,
    )
    await ws.send(json.dumps({"type": "subscribe", "chat": chat_id, "after": after}))
    replayed = []
    while (event := json.loads(await asyncio.wait_for(ws.recv(), 10)))["type"] != "chat.subscribed":
        if event["type"] == "chat.message":
            replayed.append(event["data"]["text"])
    return ws, replayed


async def send(sender, chat_id: int, text: str) -> int:
    """Sends a message through the sender's socket; its id once acknowledged."""
    await sender.send(json.dumps({"type": "send", "chat": chat_id, "text": text, "key": text}))
    while (event := json.loads(await asyncio.wait_for(sender.recv(), 10)))["type"] != "chat.ack":
        pass
    return event["data"]["id"]


async def test_a_member_resumes_on_a_new_server_without_gaps_or_duplicates(
    cast, university, enrolled, tmp_path
):
    chat = await database_sync_to_async(lambda: group_chat_sync(group=university.group_a).chat)()
    post = database_sync_to_async(message_post)
    cookie = await database_sync_to_async(session_cookie)(cast.other_student)
    sender_cookie = await database_sync_to_async(session_cookie)(cast.student)

    # Live messages are sent through the same server process: with the embedded
    # in-memory channel layer, one posted by this test process reaches no server.
    with AsgiServer("daphne", tmp_path, name="first") as first:
        ws, replayed = await subscribe(first, cookie, chat.pk, after=0)
        sender, _ = await subscribe(first, sender_cookie, chat.pk, after=10**9)
        seen = await send(sender, chat.pk, "1")
        assert replayed == []
        assert await messages_until_quiet(ws) == ["1"]
    # The process is gone: the socket is dead; two messages are sent meanwhile.
    await post(by=cast.student, chat_id=chat.pk, text="2")
    await post(by=cast.student, chat_id=chat.pk, text="3")

    with AsgiServer("daphne", tmp_path, name="second") as second:
        ws, replayed = await subscribe(second, cookie, chat.pk, after=seen)
        sender, _ = await subscribe(second, sender_cookie, chat.pk, after=10**9)
        await send(sender, chat.pk, "4")
        live = await messages_until_quiet(ws)
        await sender.close()
        await ws.close()

    assert replayed == ["2", "3"]
    assert live == ["4"]
