"""One announcement to 1,000 connected members: how long until every bell rings.

BENCH_ANNOUNCE_MEMBERS (default 1,000) signed-in users hold /ws/notifications/
sockets spread over the server processes. Then an administrator opens the
form and publishes an announcement to everyone through it (POST
/announcements/new/ on the first server, timed: the form, the action, one
notification row per reader, one `notification.created` per reader after
commit). Measured: from the start of
the POST to the moment each socket receives the event (every socket stays
open until all have it, as members' tabs do); the p99 must be
<= 500 ms and no socket may miss it. The database holds more readers than
there are sockets (the seeded students and staff): they are written and
published too, as they would be.

Baseline: the same number of sockets on the bare `websockets` broadcast server
receiving one relayed message.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid

from tests.bench.realtime_common import (
    PROCESSES,
    SERVER_KIND,
    bench_users,
    log,
    percentile_ms,
    project_servers,
    run_async,
    session_cookies,
)
from tests.bench.report import Row, row

SCENARIO = "announce"
MEMBERS = int(os.environ.get("BENCH_ANNOUNCE_MEMBERS", "1000"))
TARGET_P99_MS = 500.0
WAIT = 30.0  # seconds for the last delivery
CONNECTING = 50  # sockets opening at once (a real crowd is spread over seconds)


def _log(message: str) -> None:
    log(SCENARIO, message)


def _admin_cookie() -> str:
    from hub.accounts.models import User

    admin, _created = User.objects.get_or_create(
        username="rt-bench-admin",
        defaults={
            "is_superuser": True,
            "is_staff": True,
            "last_name": "Bench",
            "first_name": "Admin",
        },
    )
    return session_cookies([admin])[0]


class Receipts:
    def __init__(self) -> None:
        self.times: list[float] = []
        self.connected = 0
        self.failed = 0


async def _listener(url, headers, title_box, receipts: Receipts, ready, done, bare) -> None:
    import websockets

    try:
        socket = await websockets.connect(url, additional_headers=headers, open_timeout=60)
    except Exception:
        receipts.failed += 1
        ready.release()
        return
    async with socket:
        if not bare:
            while json.loads(await socket.recv())["type"] != "notification.synced":
                pass
        receipts.connected += 1
        ready.release()
        while not done.is_set():
            try:
                text = await asyncio.wait_for(socket.recv(), timeout=0.5)
            except TimeoutError:
                continue
            if bare:
                receipts.times.append(time.time() - float(text))
                break
            event = json.loads(text)
            if (
                event["type"] == "notification.created"
                and event["data"]["title"] == title_box["title"]
            ):
                receipts.times.append(time.time() - title_box["sent_at"])
                break
        # Members stay connected until every one has it: a socket closing as soon as its
        # bell rang made the servers handle a thousand disconnects amid the deliveries.
        await done.wait()


async def _connect_all(make_listener, count: int, ready) -> list:
    gate = asyncio.Semaphore(CONNECTING)

    async def gated(n):
        async with gate:
            task = asyncio.create_task(make_listener(n))
            await ready.acquire()
            return task

    return await asyncio.gather(*(gated(n) for n in range(count)))


async def _project(servers, cookies: list[str], admin_cookie: str) -> tuple[Receipts, float]:
    import httpx

    from tests.bench.servers import HOST

    receipts = Receipts()
    done = asyncio.Event()
    ready = asyncio.Semaphore(0)
    box = {"title": f"bench {uuid.uuid4().hex[:12]}", "sent_at": 0.0}

    def listener(n):
        server = servers[n % len(servers)]
        headers = {"Cookie": cookies[n], "Origin": f"http://{HOST}:{server.port}"}
        url = f"ws://{HOST}:{server.port}/ws/notifications/"
        return _listener(url, headers, box, receipts, ready, done, False)

    tasks = await _connect_all(listener, len(cookies), ready)
    _log(f"{receipts.connected} sockets connected ({receipts.failed} failed)")
    await asyncio.sleep(1.0)
    base = f"http://{HOST}:{servers[0].port}"
    token = uuid.uuid4().hex
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        # The administrator opens the form first, as in the cabinet: the
        # server has served a page before it is timed.
        form = await client.get("/announcements/new/", headers={"Cookie": admin_cookie})
        if form.status_code != 200:
            raise RuntimeError(f"announcement form answered {form.status_code}")
        box["sent_at"] = time.time()
        response = await client.post(
            "/announcements/new/",
            data={"audience": "institution", "title": box["title"], "body": "Bench announcement."},
            headers={
                "Cookie": f"{admin_cookie}; csrftoken={token}",
                "X-CSRFToken": token,
                "Origin": base,
            },
        )
        post_seconds = time.time() - box["sent_at"]
    if response.status_code not in (200, 302, 303):
        raise RuntimeError(f"announcement POST answered {response.status_code}")
    deadline = time.monotonic() + WAIT
    while len(receipts.times) < receipts.connected and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    done.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return receipts, post_seconds


async def _bare(port: int, count: int) -> Receipts:
    import websockets

    receipts = Receipts()
    done = asyncio.Event()
    ready = asyncio.Semaphore(0)
    url = f"ws://127.0.0.1:{port}/announce"

    def listener(n):
        return _listener(url, {}, None, receipts, ready, done, True)

    tasks = await _connect_all(listener, count, ready)
    await asyncio.sleep(1.0)
    async with websockets.connect(url) as sender:
        await sender.send(f"{time.time():.6f}")
        deadline = time.monotonic() + WAIT
        while len(receipts.times) < receipts.connected and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    done.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return receipts


def run(env: dict[str, str]) -> list[Row]:
    from django.conf import settings

    from tests.bench.servers import Server

    processes = PROCESSES if os.environ.get("REDIS_URL") else 1
    users = bench_users(MEMBERS)
    cookies = session_cookies(users)
    admin_cookie = _admin_cookie()
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
    where = f"{processes} {SERVER_KIND} process(es)"
    _log(f"{MEMBERS} members on /ws/notifications/, {where}")
    with Server("bare", {}, ready_path="/healthz") as bare_server:
        baseline = run_async(_bare(bare_server.port, MEMBERS))
    with project_servers(env, processes=processes) as servers:
        receipts, post_seconds = run_async(_project(servers, cookies, admin_cookie))
    missing = MEMBERS - len(receipts.times)
    p99 = percentile_ms(receipts.times, 0.99)
    _log(
        f"received by {len(receipts.times)} of {MEMBERS}, p50 "
        f"{percentile_ms(receipts.times, 0.5):.0f} ms, p99 {p99:.0f} ms, POST answered in "
        f"{post_seconds * 1000:.0f} ms; bare p99 {percentile_ms(baseline.times, 0.99):.0f} ms"
    )
    note = f"{MEMBERS} sockets, {where}; POST answered in {post_seconds * 1000:.0f} ms"
    return [
        row(SCENARIO, "members missing it", missing, "sockets", target="== 0", met=missing == 0,
            note=note),
        row(SCENARIO, "p99 delivery", p99, "ms", baseline=percentile_ms(baseline.times, 0.99),
            target=f"<= {TARGET_P99_MS:g} ms", met=p99 <= TARGET_P99_MS,
            note="from the start of the POST; baseline: bare websockets broadcast of one message"),
    ]  # fmt: skip
