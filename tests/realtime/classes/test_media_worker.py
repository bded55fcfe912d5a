"""The built-in media server in its own worker, fed by the channel layer (CLASSES_MEDIA_WORKER on).

The worker (realtime.classes.media.worker.MediaWorker, what `manage.py
media_worker` runs) is started as a task of the test's event loop on the same
channel layer as the sockets, which go through the real router. Browsers are
played by in-process aiortc peers whose signalling goes over the socket, so
every offer, answer and moderation command travels consumer -> channel layer ->
worker -> the worker's room and back.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync

from realtime.classes import actions, rooms
from realtime.classes.consumers import CLOSE_NOT_LIVE, CLOSE_REMOVED
from realtime.classes.media.client import ChannelMedia, InProcessMedia, media_client
from realtime.classes.media.worker import MediaWorker
from realtime.classes.models import Participation
from tests.realtime.classes.peers import Peer, SyntheticVideo, wait_for
from tests.realtime.classes.test_consumer import SocketSignalling, _cookie, joined, until
from tests.realtime.conftest import communicator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker_mode(settings, fresh_rooms):
    settings.CLASSES_MEDIA_WORKER = True
    settings.CLASSES_MEDIA_TIMEOUT = 10


@pytest.fixture
def live_class(cast, lesson, worker_mode):
    return actions.class_start(by=cast.teacher, lesson=lesson)


@contextlib.asynccontextmanager
async def media_worker():
    """A media worker consuming the media channel in this event loop; its rooms end on exit."""
    worker = MediaWorker()
    worker.start()
    try:
        yield worker
    finally:
        await worker.stop()


def test_the_setting_chooses_the_client(settings):
    settings.CLASSES_MEDIA_WORKER = False
    assert isinstance(media_client(), InProcessMedia)
    settings.CLASSES_MEDIA_WORKER = True
    settings.CLASSES_MEDIA_TIMEOUT = 7
    client = media_client()
    assert isinstance(client, ChannelMedia) and client.timeout == 7


async def _teacher_to_student(cast, live_class) -> tuple[int, MediaWorker, int]:
    """The teacher publishes a camera, a student receives it; (frames, worker, rooms at the end)."""
    async with media_worker() as worker:
        teacher_socket, info = await joined(cast.teacher, live_class.pk)
        assert info["join"]["provider"] == "builtin" and info["join"]["can_publish"]
        teacher = Peer(SocketSignalling(teacher_socket), str(cast.teacher.pk))
        student_socket, _ = await joined(cast.student, live_class.pk)
        student = Peer(SocketSignalling(student_socket), str(cast.student.pk))
        try:
            await teacher.connect(
                send=[SyntheticVideo(160, 120)], video=0, audio=0, names=["camera"]
            )
            await student.connect(video=1, audio=0)
            await wait_for(
                lambda: student.of(str(cast.teacher.pk), "camera").frames >= 3, timeout=15
            )
            frames = student.of(str(cast.teacher.pk), "camera").frames
        finally:
            await student.close()
            await teacher.close()
            await student_socket.disconnect(timeout=5)
            await teacher_socket.disconnect(timeout=5)
        room = rooms.builtin_provider().rooms[live_class.room_name]
        left = len(room.participants)
    return frames, worker, left


def test_the_teacher_publishes_through_the_worker_and_a_student_receives_frames(cast, live_class):
    frames, worker, left = async_to_sync(_teacher_to_student)(cast, live_class)

    assert frames >= 3
    # 2 joins, 2 offers, 2 leaves at least (ICE travels inside the SDP here).
    assert worker.handled >= 6
    assert left == 0  # both sockets' leaves reached the worker's room
    spans = Participation.objects.filter(online_class=live_class)
    assert spans.count() == 2 and not spans.filter(left_at=None).exists()


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL")
def test_the_worker_serves_over_redis(cast, live_class, settings):
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    assert layers["default"]["BACKEND"] == "realtime.layers.RedisChannelLayer"
    layers["default"]["CONFIG"]["prefix"] = f"media-{uuid.uuid4().hex[:12]}"
    settings.CHANNEL_LAYERS = layers  # Channels rebuilds its backends on this change.

    frames, worker, left = async_to_sync(_teacher_to_student)(cast, live_class)

    assert frames >= 3 and worker.handled >= 6 and left == 0


async def _student_first(cast, live_class) -> int:
    """A student waits, then the teacher publishes: the worker's renegotiation offer reaches the
    student's socket as class.signal (rooms.route_signal), is answered, and frames flow."""
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


def test_server_offers_of_the_worker_reach_the_socket(cast, live_class):
    async def scenario():
        async with media_worker():
            return await _student_first(cast, live_class)

    assert async_to_sync(scenario)() >= 3


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL")
@pytest.mark.timeout(120)
def test_the_media_worker_command_serves_another_process(cast, live_class, settings):
    """`manage.py media_worker` as a process of its own: the class works, SIGTERM stops it cleanly."""
    prefix = f"media-{uuid.uuid4().hex[:12]}"
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    layers["default"]["CONFIG"]["prefix"] = prefix
    settings.CHANNEL_LAYERS = layers
    settings.CLASSES_MEDIA_TIMEOUT = 30  # the requests wait in Redis while the worker starts
    root = Path(__file__).resolve().parents[3]
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "media_worker"],
        cwd=root,
        env={**os.environ, "CHANNEL_PREFIX": prefix},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        frames = async_to_sync(_student_first)(cast, live_class)
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)

    assert frames >= 3
    assert worker.returncode == 0, output
    assert "media worker stopped" in output


def test_moderation_reaches_the_workers_room(cast, live_class):
    teacher_id, student_id = str(cast.teacher.pk), str(cast.student.pk)

    async def scenario():
        async with media_worker():
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

    before, allowed, muted, closed, gone, after = async_to_sync(scenario)()

    assert before == ({teacher_id, student_id}, False)
    assert allowed and muted and gone
    assert closed == {"type": "websocket.close", "code": CLOSE_REMOVED}
    assert after == {teacher_id}


def test_a_silent_worker_gives_the_joiner_an_error_not_a_hang(cast, live_class, settings):
    settings.CLASSES_MEDIA_TIMEOUT = 1

    async def scenario():
        # No worker consumes the media channel.
        socket = communicator(f"/ws/class/{live_class.pk}/", cookie=await _cookie(cast.student))
        connected, _ = await socket.connect()
        assert connected
        try:
            error = await until(socket, "class.error", timeout=5)
            closed = await socket.receive_output(timeout=5)
        finally:
            await socket.disconnect(timeout=5)
        return error, closed

    error, closed = async_to_sync(scenario)()

    assert error["detail"]  # in the user's language (Kyrgyz by default)
    assert closed == {"type": "websocket.close", "code": CLOSE_NOT_LIVE}
    # The span of the failed join is closed with the socket, though the worker never answered.
    assert not Participation.objects.filter(online_class=live_class, left_at=None).exists()


def test_a_worker_that_stops_mid_class_gives_the_signaller_an_error(
    cast, live_class, settings, in_english
):
    settings.CLASSES_MEDIA_TIMEOUT = 1
    cast.student.language = "en"
    cast.student.save(update_fields=["language"])

    async def scenario():
        async with media_worker():
            socket, _ = await joined(cast.student, live_class.pk)
        # The worker is gone (its rooms with it): signalling must not hang.
        try:
            await socket.send_json_to({"type": "signal", "data": {"type": "ice", "candidate": ""}})
            error = await until(socket, "class.error", timeout=5)
            await socket.send_json_to({"type": "ping"})
            pong = await socket.receive_json_from(timeout=5)
            while pong["type"] != "pong":  # skipping the class's events
                pong = await socket.receive_json_from(timeout=5)
        finally:
            await socket.disconnect(timeout=5)
        return error, pong

    error, pong = async_to_sync(scenario)()

    assert error == {"detail": "The media server is not available. Try again in a minute."}
    assert pong["type"] == "pong"  # the socket still serves its other commands


def test_a_recorded_class_ends_through_the_worker_and_attaches_the_file(
    cast, lesson, worker_mode, settings, tmp_path
):
    from realtime.classes.models import OnlineClass

    settings.MEDIA_ROOT = tmp_path
    online_class = actions.class_start(by=cast.teacher, lesson=lesson, record=True)

    async def scenario():
        async with media_worker():
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

    closed, still_open = async_to_sync(scenario)()

    assert closed == {"type": "websocket.close", "code": CLOSE_NOT_LIVE}
    assert not still_open
    recording = OnlineClass.objects.get(pk=online_class.pk).recording
    assert recording.name == f"classes/recordings/class-{online_class.pk}.mp4"
    assert (tmp_path / recording.name).stat().st_size > 1000


def test_the_worker_ends_its_rooms_when_stopped(cast, live_class, settings):
    settings.CLASSES_MEDIA_TIMEOUT = 1

    async def scenario():
        async with media_worker():
            socket, _ = await joined(cast.student, live_class.pk)
            during = set(rooms.builtin_provider().rooms)
        after = set(rooms.builtin_provider().rooms)
        # The socket's leave finds no worker: it is told nothing, its span still closes.
        await socket.disconnect(timeout=15)
        return during, after

    during, after = async_to_sync(scenario)()

    assert during == {live_class.room_name} and after == set()
    assert not Participation.objects.filter(online_class=live_class, left_at=None).exists()
