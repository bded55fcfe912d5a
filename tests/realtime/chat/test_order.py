"""A chat's posts are stored and published one at a time (realtime.chat.actions.posting_in_order),
so a chat's id order is its order of delivery, which resuming "after id N" relies on."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection

from realtime.chat import actions
from realtime.chat.membership import group_chat_sync
from realtime.chat.models import Message
from realtime.groups import group_chat

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="several server processes post at once only on PostgreSQL",
    ),
]


@pytest.fixture
def chat(cast, university, enrolled, in_english):
    return group_chat_sync(group=university.group_a).chat


def _in_thread(target, *args):
    """Run `target` on its own thread and database connection, as another server process would."""
    failures = []

    def run():
        try:
            target(*args)
        except Exception as error:  # reported by the test, not lost in the thread
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, failures


def test_a_post_waits_while_another_post_to_the_chat_is_in_progress(cast, chat):
    with actions.posting_in_order(chat.pk):
        thread, failures = _in_thread(
            lambda: actions.message_post(by=cast.student, chat_id=chat.pk, text="second")
        )
        thread.join(0.5)
        assert thread.is_alive(), "the post went ahead while the chat's lock was held"
        assert not Message.objects.filter(chat=chat).exists()
    thread.join(10)
    assert not failures
    assert list(Message.objects.filter(chat=chat).values_list("text", flat=True)) == ["second"]


def test_posts_from_two_writers_at_once_are_delivered_in_id_order(cast, chat):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group_chat(chat.pk), channel)
    authors = [member.user for member in chat.members.select_related("user")[:2]]
    assert len(authors) == 2
    writers = [_in_thread(_post_many, author, chat.pk, 15) for author in authors]
    for thread, failures in writers:
        thread.join(60)
        assert not failures

    async def received():
        ids = []
        while len(ids) < 30:
            message = await asyncio.wait_for(layer.receive(channel), 10)
            if message["event"]["type"] == "chat.message":
                ids.append(message["event"]["data"]["id"])
        return ids

    ids = async_to_sync(received)()
    assert ids == sorted(ids)
    assert len(set(ids)) == 30


def _post_many(author, chat_id: int, count: int) -> None:
    for n in range(count):
        actions.message_post(by=author, chat_id=chat_id, text=f"{author.username} {n}")
        time.sleep(0.001)
