"""Presence: a socket marks its user online; the mark expires without heartbeats."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.core.cache import cache
from django.urls import reverse

from realtime.chat.membership import group_chat_sync
from realtime.presence import online_among, presence_touch
from tests.realtime.conftest import communicator, session_cookie


def test_a_touched_user_is_online_until_the_mark_expires(db, cast):
    presence_touch(cast.student.pk)
    assert online_among([cast.student.pk, cast.teacher.pk]) == {cast.student.pk}
    cache.delete(f"presence:{cast.student.pk}")  # what expiry does after PRESENCE_TTL
    assert online_among([cast.student.pk]) == set()


@pytest.mark.django_db(transaction=True)
async def test_connecting_a_socket_marks_the_user_online(cast):
    cache.clear()
    cookie = await database_sync_to_async(session_cookie)(cast.teacher)
    socket = communicator("/ws/notifications/", cookie=cookie)
    await socket.connect()
    await socket.receive_json_from(timeout=2)  # notification.synced
    assert online_among([cast.teacher.pk]) == {cast.teacher.pk}
    await socket.disconnect()


def test_the_chat_lists_its_online_members(client, cast, university, enrolled):
    cache.clear()
    chat = group_chat_sync(group=university.group_a).chat
    presence_touch(cast.other_student.pk)
    client.force_login(cast.student)

    online = client.get(reverse("chat:online", kwargs={"chat_id": chat.pk})).json()["online"]

    assert online == [cast.other_student.pk]
