"""The chat socket through the real router: members chat live, resume without gaps, outsiders are refused."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from realtime.chat import actions
from realtime.chat.membership import group_chat_sync
from realtime.chat.models import Message
from tests.realtime.conftest import communicator, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/chat/"


@pytest.fixture
def chat(cast, university, enrolled):
    return group_chat_sync(group=university.group_a).chat


async def connect(user):
    cookie = await database_sync_to_async(session_cookie)(user)
    socket = communicator(PATH, cookie=cookie)
    connected, _ = await socket.connect()
    assert connected
    return socket


async def subscribe(socket, chat_id: int, after: int = 0) -> list[dict]:
    await socket.send_json_to({"type": "subscribe", "chat": chat_id, "after": after})
    events = []
    while True:
        event = await socket.receive_json_from(timeout=3)
        if event["type"] == "chat.subscribed":
            return events
        events.append(event)


async def test_anonymous_sockets_are_closed(cast):
    socket = communicator(PATH)
    await socket.connect()
    assert await socket.receive_output(timeout=2) == {"type": "websocket.close", "code": 4401}


async def test_two_members_chat_live_and_the_sender_gets_an_ack(cast, chat):
    alice, bob = await connect(cast.student), await connect(cast.other_student)
    await subscribe(alice, chat.pk)
    await subscribe(bob, chat.pk)

    await alice.send_json_to(
        {"type": "send", "chat": chat.pk, "text": "Салам, Айгүл!", "key": "a-1"}
    )

    received = await bob.receive_json_from(timeout=3)
    assert received["type"] == "chat.message"
    assert received["data"]["text"] == "Салам, Айгүл!"
    first = await alice.receive_json_from(timeout=3)
    second = await alice.receive_json_from(timeout=3)
    ack = next(e for e in (first, second) if e["type"] == "chat.ack")
    stored = await database_sync_to_async(Message.objects.get)(client_key="a-1")
    assert ack["data"] == {"key": "a-1", "id": stored.pk, "chat": chat.pk}
    await alice.disconnect()
    await bob.disconnect()


async def test_a_resent_key_is_acknowledged_with_the_same_id(cast, chat):
    alice = await connect(cast.student)
    await subscribe(alice, chat.pk)
    ids = []
    for _ in range(2):
        await alice.send_json_to({"type": "send", "chat": chat.pk, "text": "Бир", "key": "dup"})
        while True:
            event = await alice.receive_json_from(timeout=3)
            if event["type"] == "chat.ack":
                ids.append(event["data"]["id"])
                break
    assert ids[0] == ids[1]
    assert await database_sync_to_async(Message.objects.count)() == 1
    await alice.disconnect()


async def test_a_reconnecting_member_gets_what_they_missed_exactly_once(cast, chat):
    post = database_sync_to_async(actions.message_post)
    seen = await post(by=cast.student, chat_id=chat.pk, text="Биринчи")
    for i in range(3):
        await post(by=cast.student, chat_id=chat.pk, text=f"Жаңы {i}")

    bob = await connect(cast.other_student)
    replay = await subscribe(bob, chat.pk, after=seen.pk)

    assert [e["data"]["text"] for e in replay] == ["Жаңы 0", "Жаңы 1", "Жаңы 2"]
    assert await bob.receive_nothing(timeout=0.3)
    await bob.disconnect()


async def test_outsiders_cannot_subscribe_or_post(cast, chat):
    outsider = await connect(cast.deanery_b)
    events = await subscribe_refused(outsider, chat.pk)
    assert events["type"] == "chat.error"
    await outsider.send_json_to({"type": "send", "chat": chat.pk, "text": "x", "key": "o-1"})
    error = await outsider.receive_json_from(timeout=3)
    assert error["type"] == "chat.error" and error["data"]["key"] == "o-1"
    assert await database_sync_to_async(Message.objects.count)() == 0
    await outsider.disconnect()


async def test_a_refused_subscriber_hears_nothing_of_the_chat(cast, chat):
    outsider = await connect(cast.deanery_b)
    assert (await subscribe_refused(outsider, chat.pk))["type"] == "chat.error"

    post = database_sync_to_async(actions.message_post)
    await post(by=cast.student, chat_id=chat.pk, text="for members only", client_key="m-1")

    assert await outsider.receive_nothing(timeout=0.5)
    await outsider.disconnect()


async def subscribe_refused(socket, chat_id: int) -> dict:
    await socket.send_json_to({"type": "subscribe", "chat": chat_id, "after": 0})
    return await socket.receive_json_from(timeout=3)


async def test_typing_reaches_the_others_not_the_typist(cast, chat):
    alice, bob = await connect(cast.student), await connect(cast.other_student)
    await subscribe(alice, chat.pk)
    await subscribe(bob, chat.pk)

    await alice.send_json_to({"type": "typing", "chat": chat.pk})

    event = await bob.receive_json_from(timeout=3)
    assert event["type"] == "chat.typing" and event["data"]["user"] == cast.student.pk
    assert await alice.receive_nothing(timeout=0.3)
    await alice.disconnect()
    await bob.disconnect()


async def test_an_empty_message_gets_a_translated_error(cast, chat):
    alice = await connect(cast.student)
    await subscribe(alice, chat.pk)
    await alice.send_json_to({"type": "send", "chat": chat.pk, "text": " ", "key": "e"})
    error = await alice.receive_json_from(timeout=3)
    assert error["type"] == "chat.error"
    assert error["data"]["detail"] == "The message is empty."  # the cast reads English
    await alice.disconnect()


async def test_edits_and_deletions_reach_every_member(cast, chat):
    alice, bob = await connect(cast.student), await connect(cast.other_student)
    await subscribe(alice, chat.pk)
    await subscribe(bob, chat.pk)
    post = database_sync_to_async(actions.message_post)
    message = await post(by=cast.student, chat_id=chat.pk, text="Эртең")
    assert (await bob.receive_json_from(timeout=3))["type"] == "chat.message"

    await alice.send_json_to({"type": "edit", "message": message.pk, "text": "Бүрсүгүнү"})
    changed = await bob.receive_json_from(timeout=3)
    assert changed["type"] == "chat.message_changed" and changed["data"]["text"] == "Бүрсүгүнү"

    await bob.send_json_to({"type": "delete", "message": message.pk})
    refused = await bob.receive_json_from(timeout=3)
    assert refused["type"] == "chat.error"  # not bob's message, and bob moderates nothing
    await alice.send_json_to({"type": "delete", "message": message.pk})
    deleted = await bob.receive_json_from(timeout=3)
    assert deleted["data"]["deleted"] is True and deleted["data"]["text"] == ""
    await alice.disconnect()
    await bob.disconnect()


async def test_an_after_beyond_the_newest_message_hides_nothing_to_come(cast, chat):
    bob = await connect(cast.other_student)
    await subscribe(bob, chat.pk, after=10**9)
    await database_sync_to_async(actions.message_post)(by=cast.student, chat_id=chat.pk, text="Кел")

    event = await bob.receive_json_from(timeout=3)
    assert event["type"] == "chat.message" and event["data"]["text"] == "Кел"
    await bob.disconnect()
