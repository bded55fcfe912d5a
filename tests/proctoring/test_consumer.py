"""`/ws/proctor/<test_id>/` through the real router (hub.asgi): the test's proctors get the
grid's snapshot and its live events; everyone else is refused."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

from proctoring import actions
from proctoring.consumers import CLOSE_NOT_PROCTOR
from realtime.consumers import CLOSE_UNAUTHENTICATED
from tests.proctoring import frame
from tests.realtime.conftest import communicator, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

PROCTORS = {"teacher", "other_teacher", "admin", "vice_rector", "deanery_a"}


async def until(socket, kind: str, timeout: float = 10.0) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            message = await socket.receive_json_from(timeout=timeout)
            if message["type"] == kind:
                return message["data"]


@database_sync_to_async
def _cookie(user) -> str:
    return session_cookie(user)


@database_sync_to_async
def _upload_and_analyse(user, attempt, name):
    stored = actions.frame_receive(by=user, attempt=attempt, jpeg=frame(name))
    return actions.frame_analyse(frame_id=stored.pk)


def test_a_proctor_gets_the_snapshot_then_the_frame_event(cast, proctored):
    async def scenario():
        socket = communicator(
            f"/ws/proctor/{proctored.test.pk}/", cookie=await _cookie(cast.teacher)
        )
        connected, _code = await socket.connect()
        assert connected
        try:
            synced = await until(socket, "proctor.synced")
            assert [row["attempt"] for row in synced["attempts"]] == [proctored.attempt.pk]
            assert synced["attempts"][0]["thumbnail"] == ""

            analysed = await _upload_and_analyse(cast.student, proctored.attempt, "two_faces")

            data = await until(socket, "proctor.frame")
            assert data["frame"] == analysed.pk and data["flags"] == ["many_faces"]

            await socket.send_json_to({"type": "sync"})
            again = await until(socket, "proctor.synced")
            assert again["attempts"][0]["flags"] == ["many_faces"]
            assert again["attempts"][0]["thumbnail"].endswith(f"/{analysed.pk}/thumbnail/")
        finally:
            await socket.disconnect()

    async_to_sync(scenario)()


def test_every_cast_member_is_let_in_or_refused(cast, proctored):
    """The socket in the authorization matrix's terms: the test's proctors only."""
    from tests.policy import ANONYMOUS, CAST_NAMES

    async def attempt(member: str) -> tuple[bool, int | None]:
        user = getattr(cast, member, None) if member != ANONYMOUS else None
        cookie = await _cookie(user) if user is not None else None
        socket = communicator(f"/ws/proctor/{proctored.test.pk}/", cookie=cookie)
        connected, code = await socket.connect()
        if connected:
            message = await socket.receive_output(timeout=5)
            code = message.get("code") if message["type"] == "websocket.close" else None
        await socket.disconnect()
        return code is None, code

    for member in [*CAST_NAMES, ANONYMOUS]:
        let_in, code = async_to_sync(attempt)(member)
        assert let_in == (member in PROCTORS), (member, code)
        if not let_in:
            expected = CLOSE_UNAUTHENTICATED if member == ANONYMOUS else CLOSE_NOT_PROCTOR
            assert code == expected, (member, code)


def test_a_missing_test_is_refused_like_a_foreign_one(cast, proctored):
    async def scenario():
        socket = communicator("/ws/proctor/999999/", cookie=await _cookie(cast.admin))
        connected, _code = await socket.connect()
        message = await socket.receive_output(timeout=5)
        await socket.disconnect()
        return connected, message

    _connected, message = async_to_sync(scenario)()
    assert message == {"type": "websocket.close", "code": CLOSE_NOT_PROCTOR}


def test_a_student_hears_nothing_of_the_test(cast, proctored):
    async def scenario():
        socket = communicator(
            f"/ws/proctor/{proctored.test.pk}/", cookie=await _cookie(cast.student)
        )
        await socket.connect()
        message = await socket.receive_output(timeout=5)
        await socket.disconnect()
        return message

    assert async_to_sync(scenario)() == {"type": "websocket.close", "code": CLOSE_NOT_PROCTOR}
