"""NotificationConsumer through hub.asgi.application: origin check, session auth, router."""

import asyncio
import threading

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import connections, transaction

from realtime.actions import notification_create, notification_mark_read
from realtime.events import EventType, build_message
from realtime.groups import group_user
from realtime.models import Notification
from tests.realtime.conftest import communicator, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/notifications/"


class Rollback(Exception):
    pass


async def open_socket(user=None, *, path: str = PATH):
    """A connected socket for `user`, with the initial `notification.synced` consumed."""
    cookie = await database_sync_to_async(session_cookie)(user) if user else None
    socket = communicator(path, cookie=cookie)
    connected, _ = await socket.connect()
    assert connected
    return socket


async def open_and_sync(user, *, path: str = PATH):
    socket = await open_socket(user, path=path)
    replayed = []
    while True:
        event = await socket.receive_json_from(timeout=2)
        if event["type"] == "notification.synced":
            return socket, replayed, event["data"]
        replayed.append(event)


create = database_sync_to_async(notification_create)
mark_read = database_sync_to_async(notification_mark_read)


async def test_an_anonymous_visitor_is_closed_with_4401(cast):
    socket = await open_socket(None)
    assert await socket.receive_output(timeout=2) == {"type": "websocket.close", "code": 4401}
    await socket.disconnect()


async def test_a_forged_session_cookie_is_closed_with_4401(cast):
    socket = communicator(PATH, cookie="not-a-session")
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_output(timeout=2) == {"type": "websocket.close", "code": 4401}
    await socket.disconnect()


async def test_a_foreign_origin_is_refused_before_the_handshake(cast):
    cookie = await database_sync_to_async(session_cookie)(cast.student)
    socket = communicator(PATH, cookie=cookie, origin=b"http://evil.example")
    connected, _ = await socket.connect()
    assert not connected
    await socket.disconnect()


async def test_a_user_is_told_the_unread_count_on_connect(cast):
    first = await create(recipient=cast.student, title="A")
    await create(recipient=cast.student, title="B")
    await mark_read(user=cast.student, notification_id=first.id)
    socket, replayed, synced = await open_and_sync(cast.student)
    assert replayed == []
    assert synced == {"unread": 1, "last_id": first.id + 1}
    await socket.disconnect()


async def test_a_user_receives_their_own_notification(cast):
    socket, _, _ = await open_and_sync(cast.student)
    notification = await create(
        recipient=cast.student, title="Certificate ready", body="Room 104", url="/services/1/"
    )
    event = await socket.receive_json_from(timeout=2)
    assert event["type"] == "notification.created"
    assert event["data"] == {
        "id": notification.id,
        "kind": "info",
        "title": "Certificate ready",
        "body": "Room 104",
        "url": "/services/1/",
        "created_at": notification.created_at.isoformat(),
        "read": False,
        "unread": 1,
    }
    assert await socket.receive_nothing()
    await socket.disconnect()


async def test_another_user_receives_nothing(cast):
    owner, _, _ = await open_and_sync(cast.student)
    stranger, _, _ = await open_and_sync(cast.other_student)
    await create(recipient=cast.student, title="Only for the student")
    assert (await owner.receive_json_from(timeout=2))["type"] == "notification.created"
    assert await stranger.receive_nothing()
    await owner.disconnect()
    await stranger.disconnect()


async def test_reading_in_one_tab_updates_the_users_other_tabs(cast):
    notification = await create(recipient=cast.student, title="Grade posted")
    tab_a, _, _ = await open_and_sync(cast.student)
    tab_b, _, _ = await open_and_sync(cast.student)
    await mark_read(user=cast.student, notification_id=notification.id)
    expected = {"type": "notification.read", "data": {"id": notification.id, "unread": 0}}
    assert await tab_a.receive_json_from(timeout=2) == expected
    assert await tab_b.receive_json_from(timeout=2) == expected
    await tab_a.disconnect()
    await tab_b.disconnect()


async def test_resuming_after_an_id_replays_exactly_the_missed_ones_in_order(cast):
    seen = await create(recipient=cast.student, title="seen")
    await create(recipient=cast.other_student, title="someone else's")
    missed = [await create(recipient=cast.student, title=f"missed {i}") for i in range(3)]
    socket, replayed, synced = await open_and_sync(cast.student, path=f"{PATH}?after={seen.id}")
    assert [(e["type"], e["data"]["id"], e["data"]["title"]) for e in replayed] == [
        ("notification.created", n.id, n.title) for n in missed
    ]
    assert synced == {"unread": 4, "last_id": missed[-1].id}
    assert await socket.receive_nothing()
    await socket.disconnect()


async def test_a_malformed_after_replays_nothing(cast):
    await create(recipient=cast.student, title="old")
    socket, replayed, synced = await open_and_sync(cast.student, path=f"{PATH}?after=abc")
    assert replayed == []
    assert synced["unread"] == 1
    await socket.disconnect()


async def test_an_event_already_replayed_is_not_forwarded_twice(cast):
    first = await create(recipient=cast.student, title="first")
    second = await create(recipient=cast.student, title="second")
    socket, replayed, _ = await open_and_sync(cast.student, path=f"{PATH}?after={first.id}")
    assert [e["data"]["id"] for e in replayed] == [second.id]
    # The same event arriving live (published while the backlog was read).
    await get_channel_layer().group_send(
        group_user(cast.student.id),
        build_message(EventType.NOTIFICATION_CREATED, {"id": second.id, "unread": 2}),
    )
    assert await socket.receive_nothing()
    await socket.disconnect()


async def test_a_rolled_back_transaction_publishes_nothing(cast):
    socket, _, _ = await open_and_sync(cast.student)

    def create_then_fail():
        try:
            with transaction.atomic():
                notification_create(recipient=cast.student, title="never")
                raise Rollback
        except Rollback:
            pass

    await database_sync_to_async(create_then_fail)()
    assert await socket.receive_nothing(timeout=0.5)
    assert not await Notification.objects.filter(title="never").aexists()
    await socket.disconnect()


async def test_the_event_is_sent_only_after_the_commit(cast):
    socket, _, _ = await open_and_sync(cast.student)
    created = threading.Event()
    commit = threading.Event()

    def create_in_open_transaction():
        try:
            with transaction.atomic():
                notification_create(recipient=cast.student, title="after commit")
                created.set()
                assert commit.wait(10)
        finally:
            connections.close_all()

    worker = asyncio.ensure_future(
        sync_to_async(create_in_open_transaction, thread_sensitive=False)()
    )
    assert await asyncio.to_thread(created.wait, 10)
    assert await socket.receive_nothing(timeout=0.5)
    commit.set()
    await worker
    event = await socket.receive_json_from(timeout=2)
    assert (event["type"], event["data"]["title"]) == ("notification.created", "after commit")
    await socket.disconnect()


async def test_pings_are_answered(cast):
    socket, _, _ = await open_and_sync(cast.student)
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=2) == {"type": "pong"}
    await socket.send_to(text_data="not json")
    assert await socket.receive_nothing()
    await socket.disconnect()


async def test_a_flooding_connection_is_closed_with_4429(cast):
    socket, _, _ = await open_and_sync(cast.student)
    for _ in range(20):
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from(timeout=2) == {"type": "pong"}
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_output(timeout=2) == {"type": "websocket.close", "code": 4429}
    await socket.disconnect()


async def test_a_disconnected_socket_leaves_the_user_group(cast):
    socket, _, _ = await open_and_sync(cast.student)
    await socket.disconnect()
    # Nobody is left in the group: the layer would deliver to the channel otherwise.
    layer = get_channel_layer()
    probe = await layer.new_channel()
    await layer.group_add(group_user(cast.student.id), probe)
    await create(recipient=cast.student, title="after leaving")
    message = await asyncio.wait_for(layer.receive(probe), 2)
    assert message["event"]["data"]["title"] == "after leaving"
    await layer.group_discard(group_user(cast.student.id), probe)
