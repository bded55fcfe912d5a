"""The notification socket follows a course or the grades office only for those who may read them."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from realtime.events import EventType, send_event
from realtime.groups import group_course, group_office
from tests.realtime.conftest import communicator, session_cookie


async def _watching(user, message: dict):
    cookie = await database_sync_to_async(session_cookie)(user)
    socket = communicator("/ws/notifications/", cookie=cookie)
    await socket.connect()
    await socket.receive_json_from(timeout=2)  # notification.synced
    await socket.send_json_to(message)
    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from(timeout=2))["type"] == "pong"  # the watch is settled
    return socket


def _publish(group: str) -> None:
    send_event(group, EventType.SHEET_CLOSED, {"sheet": 1})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("member", "hears"), [("teacher", True), ("deanery_a", True),
                                               ("curator", True), ("deanery_b", False),
                                               ("other_teacher", False), ("student", False)])  # fmt: skip
async def test_a_course_is_watched_by_its_readers_only(cast, course, member, hears):
    socket = await _watching(getattr(cast, member), {"type": "watch_course", "course": course.pk})
    await database_sync_to_async(_publish)(group_course(course.pk))
    if hears:
        assert (await socket.receive_json_from(timeout=2))["type"] == "sheet.closed"
    else:
        assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("member", "hears"), [("deanery_b", True), ("vice_rector", True),
                                               ("student", False), ("teacher", False)])  # fmt: skip
async def test_the_grades_office_is_watched_by_grade_offices_only(cast, university, member, hears):
    socket = await _watching(getattr(cast, member), {"type": "watch_office", "office": "grades"})
    await database_sync_to_async(_publish)(group_office("grades"))
    if hears:
        assert (await socket.receive_json_from(timeout=2))["type"] == "sheet.closed"
    else:
        assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_an_unknown_office_is_ignored(cast, university):
    socket = await _watching(cast.admin, {"type": "watch_office", "office": "records"})
    await database_sync_to_async(_publish)(group_office("records"))
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()
