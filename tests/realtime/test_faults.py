"""Faults in the middle of a conversation: a server process dies, Redis restarts.

Real uvicorn processes on the test database, real Redis; the clients behave
as the browser's chat module does (docs/realtime-protocol.md): every message
has a client key and stays in the outbox until its `chat.ack`; a dropped socket
reconnects with backoff, subscribes with the last id it saw and re-sends its
outbox, so the server's key de-duplication makes every message count once.

Checked after each fault: every message the sender wrote is stored exactly
once, and every member received every message exactly once.

Skipped without REDIS_URL and DATABASE_URL (the embedded run has neither
server process sharing a database nor a Redis); CI runs both. The Redis
restart uses a redis-server of its own on a free port, never the shared one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from realtime.chat.actions import private_chat_open
from realtime.chat.models import Message
from realtime.consumers import CLOSE_TRY_AGAIN
from tests.realtime.conftest import session_cookie
from tests.servers import AsgiServer, database_url_of_this_run, free_port

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
        reason="needs a real Redis and PostgreSQL shared with server processes: "
        "set REDIS_URL and DATABASE_URL",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]


class ChatClient:
    """One member's browser tab: a socket to /ws/chat/ that survives restarts."""

    def __init__(self, name: str, cookie: str, chat_id: int) -> None:
        self.name = name
        self.cookie = cookie
        self.chat_id = chat_id
        self.received: list[int] = []  # message ids in arrival order, duplicates kept
        self.texts: dict[int, str] = {}
        self.last_id = 0
        self.outbox: dict[str, str] = {}  # key -> text, until acknowledged
        self.acked: dict[str, int] = {}  # key -> stored message id
        self.errors: list[dict] = []
        self.connections = 0
        self.close_codes: list[int | None] = []  # of every socket that ended
        self.url = ""
        self.socket = None
        self._reader: asyncio.Task | None = None
        self.live = asyncio.Event()

    async def start(self, url: str) -> None:
        self.url = url
        self._reader = asyncio.create_task(self._run())
        await asyncio.wait_for(self.live.wait(), 20)

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)

    async def send(self, text: str) -> str:
        key = uuid.uuid4().hex
        self.outbox[key] = text
        if self.live.is_set():
            # On failure it stays in the outbox: sent again after reconnecting.
            with contextlib.suppress(ConnectionClosed, OSError):
                await self._send_one(key, text)
        return key

    async def _send_one(self, key: str, text: str) -> None:
        payload = {"type": "send", "chat": self.chat_id, "text": text, "key": key}
        await self.socket.send(json.dumps(payload))

    async def _run(self) -> None:
        delay = 0.1
        while True:
            try:
                origin = self.url.replace("ws://", "http://").split("/ws/")[0]
                async with connect(
                    self.url,
                    additional_headers={"Cookie": self.cookie},
                    origin=origin,
                    open_timeout=5,
                ) as ws:
                    self.socket = ws
                    await ws.send(
                        json.dumps(
                            {"type": "subscribe", "chat": self.chat_id, "after": self.last_id}
                        )
                    )
                    try:
                        async for text in ws:
                            event = json.loads(text)
                            if event["type"] == "chat.subscribed":
                                self.connections += 1
                                delay = 0.1
                                for key, body in list(self.outbox.items()):
                                    await self._send_one(key, body)
                                self.live.set()
                            else:
                                self._handle(event)
                    finally:
                        self.close_codes.append(ws.close_code)
            except (ConnectionClosed, OSError, InvalidHandshake, TimeoutError):
                pass
            self.live.clear()
            self.socket = None
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)

    def _handle(self, event: dict) -> None:
        data = event.get("data", {})
        if event["type"] == "chat.message":
            self.received.append(data["id"])
            self.texts[data["id"]] = data["text"]
            self.last_id = max(self.last_id, data["id"])
        elif event["type"] == "chat.ack":
            self.outbox.pop(data["key"], None)
            self.acked[data["key"]] = data["id"]
        elif event["type"] == "chat.error":
            self.errors.append(data)

    async def wait_for(self, condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"{self.name}: timed out waiting for {what}"
            await asyncio.sleep(0.05)


def restartable(server: AsgiServer) -> AsgiServer:
    """Start `server`'s process again on the same port (as systemd restarts a unit)."""
    server.stop()
    env = {**os.environ, "DATABASE_URL": database_url_of_this_run(), "DEBUG": "0"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with server.log_path.open("ab") as log:
        server.process = subprocess.Popen(
            server.process.args,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server.wait_ready()
    return server


async def _setup(cast) -> tuple[int, str, str]:
    chat = await database_sync_to_async(private_chat_open)(by=cast.student, other=cast.teacher)
    student = await database_sync_to_async(session_cookie)(cast.student)
    teacher = await database_sync_to_async(session_cookie)(cast.teacher)
    name = settings.SESSION_COOKIE_NAME
    return chat.pk, f"{name}={student}", f"{name}={teacher}"


async def _assert_exactly_once(chat_id: int, sender: ChatClient, readers: list[ChatClient], sent):
    stored = await database_sync_to_async(
        lambda: list(Message.objects.filter(chat_id=chat_id).values_list("id", "text"))
    )()
    texts = [text for _id, text in stored]
    assert sorted(texts) == sorted(sent), "every message sent is stored, once"
    ids = sorted(i for i, _text in stored)
    assert sorted(sender.acked.values()) == ids, "every message was acknowledged with its id"
    assert not sender.outbox
    for client in [sender, *readers]:
        assert sorted(client.received) == ids, f"{client.name} got each message exactly once"
        assert not client.errors


async def test_a_killed_server_process_loses_and_duplicates_nothing(cast, tmp_path):
    chat_id, student_cookie, teacher_cookie = await _setup(cast)
    with AsgiServer("uvicorn", tmp_path, name="killed") as server:
        url = f"ws://127.0.0.1:{server.port}/ws/chat/"
        student = ChatClient("student", student_cookie, chat_id)
        teacher = ChatClient("teacher", teacher_cookie, chat_id)
        await student.start(url)
        await teacher.start(url)
        sent = []
        try:
            for n in range(5):
                sent.append(f"before {n}")
                await student.send(sent[-1])
            await student.wait_for(lambda: not student.outbox, 10, "the first acks")
            # Mid-conversation: messages on the wire when the process dies. Their
            # fate is unknown to the sender (stored or not): the outbox keeps them.
            for n in range(5):
                sent.append(f"during {n}")
                await student.send(sent[-1])
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(5)
            for n in range(3):
                sent.append(f"while down {n}")
                await student.send(sent[-1])
            await asyncio.sleep(0.5)
            restartable(server)
            await student.wait_for(lambda: student.connections >= 2, 20, "reconnecting")
            await teacher.wait_for(lambda: teacher.connections >= 2, 20, "reconnecting")
            for n in range(3):
                sent.append(f"after {n}")
                await student.send(sent[-1])
            await student.wait_for(lambda: not student.outbox, 15, "every ack")
            total = len(sent)
            await teacher.wait_for(lambda: len(set(teacher.received)) >= total, 15, "every message")
            await student.wait_for(lambda: len(set(student.received)) >= total, 15, "every message")
            await asyncio.sleep(0.5)  # a late duplicate would arrive now
        finally:
            await student.stop()
            await teacher.stop()
    await _assert_exactly_once(chat_id, student, [teacher], sent)


class OwnRedis:
    """A throwaway redis-server on a free port (never the shared one), restartable."""

    def __init__(self, workdir) -> None:
        self.port = _free_redis_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"redis-server on {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)


def _free_redis_port() -> int:
    for port in range(6391, 6420):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    return free_port()


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs the redis-server binary")
async def test_a_redis_restart_loses_nothing_and_delivery_resumes(cast, tmp_path, monkeypatch):
    chat_id, student_cookie, teacher_cookie = await _setup(cast)
    redis = OwnRedis(tmp_path)
    redis.start()
    # The servers' channel layer (not this process's) uses the throwaway Redis.
    monkeypatch.setenv("REDIS_URL", redis.url)
    try:
        with (
            AsgiServer("uvicorn", tmp_path, name="a") as server_a,
            AsgiServer("uvicorn", tmp_path, name="b") as server_b,
        ):
            # The members sit on different processes: only Redis joins them.
            student = ChatClient("student", student_cookie, chat_id)
            teacher = ChatClient("teacher", teacher_cookie, chat_id)
            await student.start(f"ws://127.0.0.1:{server_a.port}/ws/chat/")
            await teacher.start(f"ws://127.0.0.1:{server_b.port}/ws/chat/")
            sent = []
            try:
                for n in range(3):
                    sent.append(f"before {n}")
                    await student.send(sent[-1])
                await teacher.wait_for(lambda: len(teacher.received) >= 3, 10, "live delivery")

                redis.stop()
                for n in range(4):
                    sent.append(f"redis down {n}")
                    await student.send(sent[-1])
                    await asyncio.sleep(0.2)
                # Sending kept working (stored and acknowledged) or the message
                # waits in the outbox: never silently dropped.
                await asyncio.sleep(1.0)
                assert len(student.acked) + len(student.outbox) == len(sent)
                # ... and the sockets said why: 1013, "try again later".
                assert CLOSE_TRY_AGAIN in student.close_codes + teacher.close_codes

                redis.start()
                await student.wait_for(lambda: not student.outbox, 30, "every ack after Redis")
                # Live again across processes, and the outage caught up by resuming.
                await teacher.wait_for(
                    lambda: len(set(teacher.received)) >= len(sent), 30, "catching up"
                )
                for n in range(3):
                    sent.append(f"after {n}")
                    await student.send(sent[-1])
                await student.wait_for(lambda: not student.outbox, 15, "acks after Redis")
                await teacher.wait_for(
                    lambda: len(set(teacher.received)) >= len(sent), 15, "live delivery again"
                )
                await student.wait_for(
                    lambda: len(set(student.received)) >= len(sent), 15, "own messages"
                )
                await asyncio.sleep(0.5)
            finally:
                await student.stop()
                await teacher.stop()
    finally:
        redis.stop()
    await _assert_exactly_once(chat_id, student, [teacher], sent)
