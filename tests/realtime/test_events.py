import asyncio
import threading

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import connections, transaction

from realtime.events import EventType, build_message, send_event, send_events

GROUP = "user.987654"


class Rollback(Exception):
    pass


def test_event_types_are_declared_as_area_verb():
    values = {event.value for event in EventType}
    assert {"notification.created", "notification.read", "job.progress", "job.finished"} <= values
    for value in values:
        area, verb = value.split(".")
        assert area.isidentifier() and verb.isidentifier()


def test_an_undeclared_event_type_raises():
    with pytest.raises(ValueError):
        send_event(GROUP, "notification.exploded", {})


def test_a_malformed_group_raises_before_anything_is_queued():
    with pytest.raises(ValueError):
        send_event("user 1", EventType.NOTIFICATION_READ, {"id": 1})


def test_event_data_must_be_a_dict():
    with pytest.raises(TypeError):
        build_message(EventType.JOB_PROGRESS, [1, 2])


async def subscribe(group: str) -> str:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    return channel


async def next_message(channel: str, timeout: float = 2.0):
    return await asyncio.wait_for(get_channel_layer().receive(channel), timeout)


async def nothing_arrives(channel: str, timeout: float = 0.3) -> bool:
    try:
        await next_message(channel, timeout)
    except TimeoutError:
        return True
    return False


@pytest.mark.django_db(transaction=True)
async def test_outside_a_transaction_the_event_is_published_at_once():
    channel = await subscribe(GROUP)
    await database_sync_to_async(send_event)(
        GROUP, EventType.JOB_PROGRESS, {"id": 3, "done": 1, "total": 4}
    )
    assert await next_message(channel) == {
        "type": "live.event",
        "event": {"type": "job.progress", "data": {"id": 3, "done": 1, "total": 4}},
    }
    await get_channel_layer().group_discard(GROUP, channel)


@pytest.mark.django_db(transaction=True)
async def test_a_rolled_back_transaction_publishes_nothing():
    channel = await subscribe(GROUP)

    def publish_then_fail():
        try:
            with transaction.atomic():
                send_event(GROUP, EventType.JOB_FINISHED, {"id": 5, "status": "failed"})
                raise Rollback
        except Rollback:
            pass

    await database_sync_to_async(publish_then_fail)()
    assert await nothing_arrives(channel)
    await get_channel_layer().group_discard(GROUP, channel)


@pytest.mark.django_db(transaction=True)
async def test_the_event_leaves_only_when_the_transaction_commits():
    channel = await subscribe(GROUP)
    queued = threading.Event()
    commit = threading.Event()

    def publish_in_open_transaction():
        try:
            with transaction.atomic():
                send_event(GROUP, EventType.JOB_FINISHED, {"id": 6, "status": "done"})
                queued.set()
                assert commit.wait(10)
        finally:
            connections.close_all()

    # Its own thread, so the transaction stays open while this loop listens.
    worker = asyncio.ensure_future(
        sync_to_async(publish_in_open_transaction, thread_sensitive=False)()
    )
    assert await asyncio.to_thread(queued.wait, 10)
    assert await nothing_arrives(channel, timeout=0.5)
    commit.set()
    await worker
    message = await next_message(channel)
    assert message["event"] == {"type": "job.finished", "data": {"id": 6, "status": "done"}}
    await get_channel_layer().group_discard(GROUP, channel)


@pytest.mark.django_db(transaction=True)
async def test_a_nested_savepoint_rolled_back_drops_only_its_own_event():
    channel = await subscribe(GROUP)

    def outer_commits_inner_fails():
        with transaction.atomic():
            send_event(GROUP, EventType.JOB_PROGRESS, {"id": 7, "done": 1, "total": 2})
            try:
                with transaction.atomic():
                    send_event(GROUP, EventType.JOB_PROGRESS, {"id": 7, "done": 2, "total": 2})
                    raise Rollback
            except Rollback:
                pass

    await database_sync_to_async(outer_commits_inner_fails)()
    message = await next_message(channel)
    assert message["event"]["data"]["done"] == 1
    assert await nothing_arrives(channel)
    await get_channel_layer().group_discard(GROUP, channel)


@pytest.mark.django_db(transaction=True)
async def test_many_events_leave_together_on_commit_each_to_its_group():
    groups = [f"user.{n}" for n in range(900, 1000)]
    channels = [await subscribe(group) for group in groups]

    def publish_many():
        with transaction.atomic():
            send_events(
                [(group, EventType.JOB_PROGRESS, {"id": n}) for n, group in enumerate(groups)]
            )

    await database_sync_to_async(publish_many)()
    received = [await next_message(channel) for channel in channels]
    assert [m["event"]["data"]["id"] for m in received] == list(range(len(groups)))
    for group, channel in zip(groups, channels, strict=True):
        await get_channel_layer().group_discard(group, channel)


@pytest.mark.django_db(transaction=True)
async def test_many_events_rolled_back_publish_nothing():
    channel = await subscribe(GROUP)

    def publish_then_fail():
        try:
            with transaction.atomic():
                send_events([(GROUP, EventType.JOB_PROGRESS, {"id": 1})])
                raise Rollback
        except Rollback:
            pass

    await database_sync_to_async(publish_then_fail)()
    assert await nothing_arrives(channel)
    await get_channel_layer().group_discard(GROUP, channel)


def test_many_events_are_checked_before_anything_is_queued():
    with pytest.raises(ValueError):
        send_events([("user.1", EventType.JOB_PROGRESS, {}), ("not a group", "job.progress", {})])
