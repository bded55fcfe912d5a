"""realtime.auth: the socket's user comes from the session cookie, checked as Django checks it."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from realtime.auth import session_key, user_of_session
from tests.realtime.conftest import communicator, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_session_key_is_read_from_the_cookie_header(settings):
    headers = [(b"cookie", f"theme=dark; {settings.SESSION_COOKIE_NAME}=abc123".encode())]

    assert session_key({"headers": headers}) == "abc123"
    assert session_key({"headers": [(b"cookie", b"theme=dark")]}) is None
    assert session_key({"headers": []}) is None


def test_a_live_session_gives_its_user_and_anything_else_nobody(cast):
    assert user_of_session(session_cookie(cast.student)) == cast.student
    assert not user_of_session("no-such-session").is_authenticated
    assert not user_of_session(None).is_authenticated


def test_a_password_change_signs_the_sockets_out(cast):
    key = session_cookie(cast.student)
    cast.student.set_password("a new secret 2026")
    cast.student.save()

    assert not user_of_session(key).is_authenticated


async def test_a_socket_of_a_changed_password_is_closed_as_signed_out(cast):
    key = await database_sync_to_async(session_cookie)(cast.student)

    def change_password():
        cast.student.set_password("a new secret 2026")
        cast.student.save()

    await database_sync_to_async(change_password)()
    socket = communicator("/ws/notifications/", cookie=key)
    await socket.connect()

    assert (await socket.receive_output(timeout=2))["code"] == 4401
