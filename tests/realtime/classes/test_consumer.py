"""`/ws/class/<id>/` through the real router (hub.asgi): members join and signal, strangers are refused.

The browser is played by an in-process aiortc Peer whose signalling goes over
the socket, so the answer it applies is the built-in server's real one. The
tests whose traffic goes through the media (publishing, server offers,
moderation, reconnects, recording) run twice through the `media` fixture: with
the rooms in this process (the embedded default) and in a media worker fed by
the channel layer (CLASSES_MEDIA_WORKER); the others need only one.
"""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async

from realtime.classes import actions, rooms
from realtime.classes.consumers import CLOSE_NOT_LIVE, CLOSE_NOT_MEMBER, CLOSE_REMOVED
from realtime.classes.models import ClassMessage, Participation
from realtime.consumers import CLOSE_UNAUTHENTICATED
from tests.conftest import admit, make_user, personal_file
from tests.realtime.classes.peers import Peer, SyntheticVideo, Tone, wait_for
from tests.realtime.conftest import communicator, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


class SocketSignalling:
    """What a Peer takes for a room: its `signal` goes over the class socket and waits for the reply."""

    def __init__(self, socket) -> None:
        self.socket = socket

    async def signal(self, name: str, message: dict) -> dict | None:
        await self.socket.send_json_to({"type": "signal", "data": message})
        if message["type"] != "offer":
            return None
        return await until(self.socket, "class.signal")


async def until(socket, kind: str, timeout: float = 10.0) -> dict:
    """The data of the next message of `kind`, skipping the class's other events."""
    async with asyncio.timeout(timeout):
        while True:
            message = await socket.receive_json_from(timeout=timeout)
            if message["type"] == kind:
                return message["data"]


def answering(socket, peer: Peer) -> asyncio.Task:
    """Answer the server's offers that reach `socket`, as the page does, until cancelled.

    It reads the socket: start it once the peer's own offer was answered.
    """

    async def pump() -> None:
        while True:
            data = await until(socket, "class.signal", timeout=120)
            if data.get("type") == "offer":
                await peer.on_server_offer(data)

    return asyncio.ensure_future(pump())


async def joined(user, class_id: int):
    socket = communicator(f"/ws/class/{class_id}/", cookie=await _cookie(user))
    connected, _code = await socket.connect()
    assert connected
    return socket, await until(socket, "class.joined")


@database_sync_to_async
def _cookie(user) -> str:
    return session_cookie(user)


@pytest.fixture
def live_class(cast, lesson):
    return actions.class_start(by=cast.teacher, lesson=lesson)


def test_a_student_of_the_group_joins_and_gets_an_answer_to_an_offer(cast, live_class):
    async def scenario():
        socket, info = await joined(cast.student, live_class.pk)
        assert info["role"] == "student"
        assert info["join"]["mode"] == "signalling" and info["join"]["provider"] == "builtin"
        peer = Peer(SocketSignalling(socket), str(cast.student.pk))
        try:
            await peer.connect(video=2, audio=1)
            assert peer.pc.remoteDescription.type == "answer"
        finally:
            await peer.close()
            await socket.disconnect()

    async_to_sync(scenario)()

    span = Participation.objects.get(online_class=live_class, user=cast.student)
    assert span.left_at is not None  # the disconnect closed the span


async def teacher_to_student(cast, live_class) -> tuple[int, set]:
    """The teacher publishes a camera and a student receives it, then both leave.

    Returns the frames the student counted and who is still in the room.
    """
    teacher_socket, info = await joined(cast.teacher, live_class.pk)
    assert info["join"]["provider"] == "builtin" and info["join"]["can_publish"]
    teacher = Peer(SocketSignalling(teacher_socket), str(cast.teacher.pk))
    student_socket, _ = await joined(cast.student, live_class.pk)
    student = Peer(SocketSignalling(student_socket), str(cast.student.pk))
    try:
        await teacher.connect(send=[SyntheticVideo(160, 120)], video=0, audio=0, names=["camera"])
        await student.connect(video=1, audio=0)
        await wait_for(lambda: student.of(str(cast.teacher.pk), "camera").frames >= 3, timeout=15)
        frames = student.of(str(cast.teacher.pk), "camera").frames
    finally:
        await student.close()
        await teacher.close()
        await student_socket.disconnect(timeout=5)
        await teacher_socket.disconnect(timeout=5)
    return frames, set(rooms.builtin_provider().rooms[live_class.room_name].participants)


def test_the_teacher_publishes_and_a_student_receives_frames(cast, live_class, media):
    async def scenario():
        return await teacher_to_student(cast, live_class)

    frames, left_in_room = media.run(scenario)

    assert frames >= 3
    assert left_in_room == set()  # both sockets' leaves reached the room
    spans = Participation.objects.filter(online_class=live_class)
    assert spans.count() == 2 and not spans.filter(left_at=None).exists()


async def student_first(cast, live_class) -> int:
    """A student waits, then the teacher publishes: the room's offer reaches the student's socket
    as class.signal (rooms.route_signal), is answered, and frames flow; returns how many."""
    student_socket, _ = await joined(cast.student, live_class.pk)
    student = Peer(SocketSignalling(student_socket), str(cast.student.pk))
    teacher_socket, _ = await joined(cast.teacher, live_class.pk)
    teacher = Peer(SocketSignalling(teacher_socket), str(cast.teacher.pk))
    offers = []

    async def answer_server_offers():
        while True:
            data = await until(student_socket, "class.signal", timeout=60)
            if data.get("type") == "offer":
                offers.append(data)
                await student.on_server_offer(data)

    pump = None
    try:
        await student.connect(video=1, audio=0)
        pump = asyncio.ensure_future(answer_server_offers())
        await teacher.connect(send=[SyntheticVideo(160, 120)], video=0, audio=0, names=["camera"])
        await wait_for(lambda: student.of(str(cast.teacher.pk), "camera").frames >= 3, timeout=20)
        assert offers, "no server offer reached the student's socket"
        return student.of(str(cast.teacher.pk), "camera").frames
    finally:
        if pump is not None:
            pump.cancel()
        await student.close()
        await teacher.close()
        await student_socket.disconnect(timeout=5)
        await teacher_socket.disconnect(timeout=5)


def test_a_student_who_joined_first_receives_the_teacher_by_a_server_offer(cast, live_class, media):
    assert media.run(lambda: student_first(cast, live_class)) >= 3


def test_moderation_reaches_the_room(cast, live_class, media):
    teacher_id, student_id = str(cast.teacher.pk), str(cast.student.pk)

    async def scenario():
        teacher_socket, _ = await joined(cast.teacher, live_class.pk)
        student_socket, _ = await joined(cast.student, live_class.pk)
        room = rooms.builtin_provider().rooms[live_class.room_name]
        try:
            before = set(room.participants), room.participants[student_id].allowed
            await teacher_socket.send_json_to({"type": "allow", "user": cast.student.pk})
            await until(student_socket, "class.moderated")
            allowed = await wait_for(lambda: room.participants[student_id].allowed)
            await teacher_socket.send_json_to({"type": "mute", "user": cast.student.pk})
            muted = await wait_for(lambda: not room.participants[student_id].allowed)
            await teacher_socket.send_json_to({"type": "remove", "user": cast.student.pk})
            while (await until(student_socket, "class.moderated"))["action"] != "remove":
                pass
            closed = await student_socket.receive_output(timeout=5)
            gone = await wait_for(lambda: student_id not in room.participants)
            return before, allowed, muted, closed, gone, set(room.participants)
        finally:
            await student_socket.disconnect(timeout=5)
            await teacher_socket.disconnect(timeout=5)

    before, allowed, muted, closed, gone, after = media.run(scenario)

    assert before == ({teacher_id, student_id}, False)
    assert allowed and muted and gone
    assert closed == {"type": "websocket.close", "code": CLOSE_REMOVED}
    assert after == {teacher_id}


def test_an_allowed_student_who_reconnects_is_allowed_and_heard_again(cast, live_class, media):
    """The socket of a student the teacher allowed drops; the reconnect gets the allowance back
    (class.joined says so), and the microphone the page offers again reaches the others."""
    teacher_id, student_id = str(cast.teacher.pk), str(cast.student.pk)

    async def scenario():
        teacher_socket, _ = await joined(cast.teacher, live_class.pk)
        teacher = Peer(SocketSignalling(teacher_socket), teacher_id)
        listener_socket, _ = await joined(cast.other_student, live_class.pk)
        listener = Peer(SocketSignalling(listener_socket), str(cast.other_student.pk))
        first_socket, _ = await joined(cast.student, live_class.pk)
        first = Peer(SocketSignalling(first_socket), student_id)
        second_socket = second = None
        pumps = []
        try:
            await teacher.connect(send=[SyntheticVideo(160, 120)], video=0, audio=0)
            pumps.append(answering(teacher_socket, teacher))
            await listener.connect(video=1, audio=1)
            pumps.append(answering(listener_socket, listener))
            await teacher_socket.send_json_to({"type": "allow", "user": cast.student.pk})
            await until(first_socket, "class.moderated")
            await first.connect(send=[Tone()], video=1, audio=0, names=["microphone"])
            assert await wait_for(
                lambda: all(
                    p.of(student_id, "microphone").frames >= 10 for p in (teacher, listener)
                ),
                timeout=20,
            ), (teacher.received, listener.received)
            heard = [teacher.of(student_id, "microphone"), listener.of(student_id, "microphone")]

            # The socket drops (the old one closes first, as a page's reconnect after back-off).
            await first.close()
            await first_socket.disconnect(timeout=5)
            second_socket, info = await joined(cast.student, live_class.pk)
            room = rooms.builtin_provider().rooms[live_class.room_name]
            allowed_in_room = room.participants[student_id].allowed
            second = Peer(SocketSignalling(second_socket), student_id)
            await second.connect(send=[Tone()], video=1, audio=0, names=["microphone"])

            def heard_again() -> bool:
                return all(
                    p.of(student_id, "microphone") not in heard
                    and p.of(student_id, "microphone").frames >= 10
                    for p in (teacher, listener)
                )

            assert await wait_for(heard_again, timeout=20), (teacher.tracks, listener.tracks)
            return info, allowed_in_room
        finally:
            for pump in pumps:
                pump.cancel()
            for peer in (second, first, listener, teacher):
                if peer is not None:
                    await peer.close()
            for socket in (second_socket, listener_socket, teacher_socket):
                if socket is not None:
                    await socket.disconnect(timeout=5)

    info, allowed_in_room = media.run(scenario)

    assert info["join"]["can_publish"] and allowed_in_room
    me = next(p for p in info["participants"] if p["user"] == cast.student.pk)
    assert me["allowed"]
    spans = Participation.objects.filter(online_class=live_class, user=cast.student)
    assert [s.allowed_to_speak for s in spans] == [True, True]


def test_a_student_never_allowed_reconnects_without_the_right_to_publish(cast, live_class, media):
    async def scenario():
        socket, _ = await joined(cast.student, live_class.pk)
        await socket.disconnect(timeout=5)
        socket, info = await joined(cast.student, live_class.pk)
        room = rooms.builtin_provider().rooms[live_class.room_name]
        allowed = room.participants[str(cast.student.pk)].allowed
        await socket.disconnect(timeout=5)
        return info, allowed

    info, allowed = media.run(scenario)

    assert not info["join"]["can_publish"] and not allowed


def test_a_teacher_sharing_the_screen_who_reconnects_shares_it_again(cast, live_class, media):
    """The teacher's socket drops while sharing the screen; the page offers camera, screen and
    microphone again on the new socket, and a student who stayed receives all of them anew."""
    teacher_id = str(cast.teacher.pk)
    names = ["camera", "screen", "microphone"]

    def tracks():
        return [SyntheticVideo(160, 120), SyntheticVideo(320, 180, fps=5), Tone()]

    async def scenario():
        first_socket, _ = await joined(cast.teacher, live_class.pk)
        first = Peer(SocketSignalling(first_socket), teacher_id)
        student_socket, _ = await joined(cast.student, live_class.pk)
        student = Peer(SocketSignalling(student_socket), str(cast.student.pk))
        second_socket = second = pump = None
        try:
            await first.connect(send=tracks(), video=0, audio=0, names=names)
            await student.connect(video=2, audio=1)
            pump = answering(student_socket, student)
            assert await wait_for(
                lambda: all(student.of(teacher_id, n).frames >= 3 for n in names), timeout=20
            ), student.received
            before = {n: student.of(teacher_id, n) for n in names}

            await first.close()
            await first_socket.disconnect(timeout=5)
            second_socket, info = await joined(cast.teacher, live_class.pk)
            assert info["join"]["can_publish"]
            second = Peer(SocketSignalling(second_socket), teacher_id)
            await second.connect(send=tracks(), video=0, audio=0, names=names)

            def again() -> bool:
                return all(
                    student.of(teacher_id, n) is not before[n]
                    and student.of(teacher_id, n).frames >= 3
                    for n in names
                )

            assert await wait_for(again, timeout=20), (student.tracks, student.received)
            return student.of(teacher_id, "screen").sizes, student.of(teacher_id, "camera").sizes
        finally:
            if pump is not None:
                pump.cancel()
            for peer in (second, first, student):
                if peer is not None:
                    await peer.close()
            for socket in (second_socket, student_socket):
                if socket is not None:
                    await socket.disconnect(timeout=5)

    screen, camera = media.run(scenario)

    assert screen == {(320, 180)} and camera == {(160, 120)}


def test_a_student_of_another_group_is_refused(cast, university, live_class):
    stranger = make_user("stranger_b")
    admit([personal_file(stranger, "24-0900")], university.group_b, number="2-B")

    for user in (stranger, cast.other_teacher, cast.parent):
        code = async_to_sync(_refused)(user, live_class.pk)
        assert code == CLOSE_NOT_MEMBER, user
    assert not Participation.objects.exists()


def test_an_anonymous_visitor_is_told_to_log_in(live_class):
    async def scenario():
        socket = communicator(f"/ws/class/{live_class.pk}/")
        await socket.connect()
        closed = await socket.receive_output(timeout=2)
        await socket.disconnect()
        return closed.get("code")

    assert async_to_sync(scenario)() == CLOSE_UNAUTHENTICATED


def test_an_ended_class_closes_the_socket(cast, live_class):
    actions.class_end(by=cast.teacher, online_class=live_class)

    assert async_to_sync(_refused)(cast.student, live_class.pk) == CLOSE_NOT_LIVE


async def _refused(user, class_id: int) -> int | None:
    socket = communicator(f"/ws/class/{class_id}/", cookie=await _cookie(user))
    await socket.connect()
    closed = await socket.receive_output(timeout=3)
    await socket.disconnect()
    return closed.get("code")


def test_a_chat_message_is_stored_then_received_by_everyone(cast, live_class):
    async def scenario():
        teacher_socket, _ = await joined(cast.teacher, live_class.pk)
        student_socket, _ = await joined(cast.student, live_class.pk)
        try:
            await student_socket.send_json_to({"type": "chat", "text": "May I ask?"})
            at_teacher = await until(teacher_socket, "class.message")
            at_student = await until(student_socket, "class.message")
            stored = await database_sync_to_async(ClassMessage.objects.get)()
            return at_teacher, at_student, stored
        finally:
            await student_socket.disconnect()
            await teacher_socket.disconnect()

    at_teacher, at_student, stored = async_to_sync(scenario)()

    assert stored.text == "May I ask?" and stored.author_id == cast.student.pk
    assert at_teacher == at_student
    assert at_teacher["id"] == stored.pk and at_teacher["author"] == cast.student.pk


def test_the_teacher_removes_a_student_whose_socket_closes(cast, live_class):
    async def scenario():
        teacher_socket, _ = await joined(cast.teacher, live_class.pk)
        student_socket, _ = await joined(cast.student, live_class.pk)
        try:
            await student_socket.send_json_to({"type": "hand", "raised": True})
            hand = await until(teacher_socket, "class.hand")
            await teacher_socket.send_json_to({"type": "remove", "user": cast.student.pk})
            moderated = await until(student_socket, "class.moderated")
            closed = await student_socket.receive_output(timeout=3)
            return hand, moderated, closed
        finally:
            await student_socket.disconnect()
            await teacher_socket.disconnect()

    hand, moderated, closed = async_to_sync(scenario)()

    assert hand["raised"] and hand["user"] == cast.student.pk
    assert moderated == {"class": live_class.pk, "user": cast.student.pk, "action": "remove"}
    assert closed == {"type": "websocket.close", "code": CLOSE_REMOVED}


def test_a_student_cannot_moderate(cast, live_class):
    async def scenario():
        socket, _ = await joined(cast.student, live_class.pk)
        try:
            await socket.send_json_to({"type": "remove", "user": cast.other_student.pk})
            return await until(socket, "class.error")
        finally:
            await socket.disconnect()

    assert "teacher" in async_to_sync(scenario)()["detail"]


def test_a_class_on_livekit_hands_out_its_url_and_a_token(cast, lesson, settings, monkeypatch):
    from realtime.classes import rooms
    from realtime.classes.media.livekit import LiveKitProvider

    settings.CLASSES_BUILTIN_MAX = 2
    settings.LIVEKIT_URL = "https://livekit.example.kg"
    settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET = "key", "secret" * 6
    rooms.reset()

    async def create_room(self, room):  # no LiveKit server in the tests
        self.created.add(room)
        return {"name": room}

    monkeypatch.setattr(LiveKitProvider, "create_room", create_room)
    online_class = actions.class_start(by=cast.teacher, lesson=lesson)

    async def scenario():
        socket, info = await joined(cast.student, online_class.pk)
        await socket.disconnect()
        return info["join"]

    join = async_to_sync(scenario)()

    assert join["mode"] == "sfu" and join["provider"] == "LiveKit"
    assert join["url"] == "wss://livekit.example.kg" and join["token"].count(".") == 2
    assert join["room"] == f"class-{online_class.pk}" and not join["can_publish"]


def test_a_recorded_class_attaches_the_teachers_tracks_when_it_ends(
    cast, lesson, media, settings, tmp_path
):
    from realtime.classes.models import OnlineClass

    settings.MEDIA_ROOT = tmp_path
    online_class = actions.class_start(by=cast.teacher, lesson=lesson, record=True)

    async def scenario():
        socket, _ = await joined(cast.teacher, online_class.pk)
        teacher = Peer(SocketSignalling(socket), str(cast.teacher.pk))
        try:
            await teacher.connect(send=[SyntheticVideo(160, 120)], video=0, audio=0)
            room = rooms.builtin_provider().rooms[online_class.room_name]
            assert await wait_for(lambda: room.recorder is not None, timeout=10)
            await asyncio.sleep(1.5)
            await socket.send_json_to({"type": "end"})
            await until(socket, "class.ended")
            closed = await socket.receive_output(timeout=10)
            return closed, online_class.room_name in rooms.builtin_provider().rooms
        finally:
            await teacher.close()
            await socket.disconnect(timeout=5)

    closed, still_open = media.run(scenario)

    assert closed == {"type": "websocket.close", "code": CLOSE_NOT_LIVE}
    assert not still_open
    recording = OnlineClass.objects.get(pk=online_class.pk).recording
    assert recording.name == f"classes/recordings/class-{online_class.pk}.mp4"
    assert (tmp_path / recording.name).stat().st_size > 1000


def test_every_cast_member_is_let_in_or_refused(cast, live_class):
    """The class socket in the authorization matrix's terms: the teacher and group A's students only."""
    from tests.policy import ANONYMOUS, CAST_NAMES

    allowed = {"teacher", "student", "other_student"}

    async def attempt(member: str) -> tuple[bool, int | None]:
        user = getattr(cast, member, None) if member != ANONYMOUS else None
        cookie = await _cookie(user) if user is not None else None
        socket = communicator(f"/ws/class/{live_class.pk}/", cookie=cookie)
        connected, code = await socket.connect()
        if connected:
            message = await socket.receive_output(timeout=5)
            code = message.get("code") if message["type"] == "websocket.close" else None
        await socket.disconnect()
        return code is None, code

    for member in [*CAST_NAMES, ANONYMOUS]:
        let_in, code = async_to_sync(attempt)(member)
        assert let_in == (member in allowed), (member, code)
        if not let_in:
            expected = CLOSE_UNAUTHENTICATED if member == ANONYMOUS else CLOSE_NOT_MEMBER
            assert code == expected, (member, code)
