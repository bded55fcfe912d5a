"""The curator's live view: the group's students with their presence, and live moves."""

from __future__ import annotations

from datetime import date

import pytest
from channels.db import database_sync_to_async
from django.core.cache import cache
from django.urls import reverse

from academic.records import actions as records
from academic.records.models import OrderKind
from academic.structure.actions import group_assign_curator
from realtime.presence import presence_touch
from tests.realtime.conftest import communicator, session_cookie


def test_the_view_lists_the_students_and_who_is_online(db, client, cast, university, enrolled):
    cache.clear()
    group_assign_curator(
        by=None, group=university.group_a, curator=cast.curator, on=date(2024, 9, 1)
    )
    presence_touch(cast.student.pk)
    client.force_login(cast.curator)

    mine = client.get(reverse("curator-groups")).content.decode()
    assert university.group_a.name in mine
    page = client.get(reverse("curator-group", kwargs={"group_id": university.group_a.pk}))
    online = dict((s.user_id, on) for s, on in page.context["rows"])
    assert online == {cast.student.pk: True, cast.other_student.pk: False}


@pytest.mark.django_db(transaction=True)
async def test_a_watching_curator_hears_of_a_signed_transfer(cast, university, enrolled):
    cookie = await database_sync_to_async(session_cookie)(cast.curator)
    socket = communicator("/ws/notifications/", cookie=cookie)
    await socket.connect()
    await socket.receive_json_from(timeout=2)  # notification.synced
    await socket.send_json_to({"type": "watch", "group": university.group_a.pk})
    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from(timeout=2))["type"] == "pong"  # the watch is in place

    def transfer():
        today = date.today()
        order = records.order_create(
            by=None, kind=OrderKind.TRANSFER, number="L-1", date=today, effective_date=today
        )
        records.order_line_add(
            by=None, order=order, student=enrolled.student, group=university.group_b
        )
        records.order_sign(by=None, order=order, signer="Ректор")

    await database_sync_to_async(transfer)()

    event = await socket.receive_json_from(timeout=3)
    assert event["type"] == "student.moved"
    assert event["data"]["from_group"] == university.group_a.pk
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_group_outside_ones_scope_cannot_be_watched(cast, university, enrolled):
    cookie = await database_sync_to_async(session_cookie)(cast.deanery_b)
    socket = communicator("/ws/notifications/", cookie=cookie)
    await socket.connect()
    await socket.receive_json_from(timeout=2)
    await socket.send_json_to({"type": "watch", "group": university.group_a.pk})

    def transfer():
        today = date.today()
        order = records.order_create(
            by=None, kind=OrderKind.TRANSFER, number="L-2", date=today, effective_date=today
        )
        records.order_line_add(
            by=None, order=order, student=enrolled.student, group=university.group_b
        )
        records.order_sign(by=None, order=order, signer="Ректор")

    await database_sync_to_async(transfer)()
    # Deanery B hears of group B (its own faculty) only if it watched it; it watched A.
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()
