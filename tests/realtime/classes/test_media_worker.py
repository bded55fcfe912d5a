"""The built-in media server in its own worker, fed by the channel layer (CLASSES_MEDIA_WORKER on).

The worker (realtime.classes.media.worker.MediaWorker, what `manage.py
media_worker` runs) is started as a task of the test's event loop on the same
channel layer as the sockets, which go through the real router. Browsers are
played by in-process aiortc peers whose signalling goes over the socket, so
every offer, answer and moderation command travels consumer -> channel layer ->
worker -> the worker's room and back.

The class-socket tests that go through the media (publishing, server offers,
moderation, reconnects, recording) run in this mode too, in test_consumer.py
(its `media` fixture); this file keeps what only the worker has: the setting,
Redis, the process of its own, a worker that is silent or stops.
"""

from __future__ import annotations

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
from realtime.classes.consumers import CLOSE_NOT_LIVE
from realtime.classes.media.client import ChannelMedia, InProcessMedia, media_client
from realtime.classes.media.worker import MediaWorker
from realtime.classes.models import Participation
from tests.realtime.classes.test_consumer import (
    _cookie,
    joined,
    student_first,
    teacher_to_student,
    until,
)
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
        frames, left = await teacher_to_student(cast, live_class)
    return frames, worker, len(left)


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL")
def test_the_worker_serves_over_redis(cast, live_class, settings):
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    assert layers["default"]["BACKEND"] == "realtime.layers.RedisChannelLayer"
    layers["default"]["CONFIG"]["prefix"] = f"media-{uuid.uuid4().hex[:12]}"
    settings.CHANNEL_LAYERS = layers  # Channels rebuilds its backends on this change.

    frames, worker, left = async_to_sync(_teacher_to_student)(cast, live_class)

    assert frames >= 3 and worker.handled >= 6 and left == 0


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
        frames = async_to_sync(student_first)(cast, live_class)
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=60)

    assert frames >= 3
    assert worker.returncode == 0, output
    assert "media worker stopped" in output


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
