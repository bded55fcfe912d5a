"""Two ASGI server processes sharing one Redis deliver each other's events.

Both servers we run are covered: Daphne (`make run`) and uvicorn (production,
chosen by `make bench`; see deploy/SCALING.md).

A signed-in user's socket is open on server B; the user marks a notification
read through server A (and the test process creates one): both events reach
the socket on B. The servers are real subprocesses on the test database.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection
from django.utils.crypto import get_random_string
from websockets.asyncio.client import connect

from realtime.actions import notification_create
from realtime.models import Notification
from tests.realtime.conftest import session_cookie

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]

BIN = Path(sys.executable).parent
SERVER_COMMANDS = {
    "daphne": lambda port: [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port)],
    "uvicorn": lambda port: [str(BIN / "uvicorn"), "--host", "127.0.0.1", "--port", str(port)],
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_of_this_run() -> str:
    """The URL of the database this test run uses (the test database, not the configured one)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db["USER"] or ""
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


class Server:
    def __init__(self, name: str, kind: str, log_dir: Path) -> None:
        self.kind = kind
        self.port = free_port()
        self.log = (log_dir / f"{kind}-{name}.log").open("wb")
        env = {**os.environ, "DATABASE_URL": database_url_of_this_run()}
        self.process = subprocess.Popen(
            [*SERVER_COMMANDS[kind](self.port), "hub.asgi:application"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                if httpx.get(f"{self.http}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.kind} on {self.port} did not start:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.log.close()


@pytest.fixture(params=["daphne", "uvicorn"])
def servers(request, tmp_path):
    started = []
    try:
        for name in ("a", "b"):
            started.append(Server(name, request.param, tmp_path))
        for server in started:
            server.wait_ready()
        yield started
    finally:
        for server in started:
            server.stop()


async def next_event(ws, event_type: str, timeout: float = 10) -> dict:
    while True:
        event = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if event["type"] == event_type:
            return event


async def test_an_event_published_through_server_a_reaches_a_socket_on_server_b(cast, servers):
    server_a, server_b = servers
    notification = await database_sync_to_async(notification_create)(
        recipient=cast.student, title="Transcript ready"
    )
    cookie = await database_sync_to_async(session_cookie)(cast.student)
    session = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    ws_url = f"ws://127.0.0.1:{server_b.port}/ws/notifications/"

    async with connect(
        ws_url, additional_headers={"Cookie": session}, origin=server_b.http, open_timeout=10
    ) as ws:
        synced = await next_event(ws, "notification.synced")
        assert synced["data"] == {"unread": 1, "last_id": notification.id}

        # The double-submit CSRF token a browser would send: cookie and header agree.
        token = get_random_string(32)
        async with httpx.AsyncClient(base_url=server_a.http) as client:
            response = await client.post(
                f"/notifications/{notification.id}/read/",
                headers={
                    "Cookie": f"{session}; {settings.CSRF_COOKIE_NAME}={token}",
                    "X-CSRFToken": token,
                    "Origin": server_a.http,
                    "HX-Request": "true",
                },
            )
        assert response.status_code == 204, server_a.output()
        read = await next_event(ws, "notification.read")
        assert read["data"] == {"id": notification.id, "unread": 0}

        # A third process (this test) publishing reaches server B as well.
        created = await database_sync_to_async(notification_create)(
            recipient=cast.student, title="Grade posted"
        )
        event = await next_event(ws, "notification.created")
        assert (event["data"]["id"], event["data"]["title"]) == (created.id, "Grade posted")

    assert await Notification.objects.filter(read_at__isnull=False).acount() == 1


async def test_a_stranger_on_server_b_hears_nothing_of_it(cast, servers):
    _, server_b = servers
    cookie = await database_sync_to_async(session_cookie)(cast.other_student)
    async with connect(
        f"ws://127.0.0.1:{server_b.port}/ws/notifications/",
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
        origin=server_b.http,
        open_timeout=10,
    ) as ws:
        await next_event(ws, "notification.synced")
        await database_sync_to_async(notification_create)(recipient=cast.student, title="Private")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(ws.recv(), 1.5)
