"""Idle sockets over time: memory per connection and Redis keys stay flat.

BENCH_IDLE_SOCKETS (default 1,000) signed-in users open /ws/notifications/
(the socket every page keeps) spread over the server processes and then only
ping every 25 s, as the browser does, for BENCH_IDLE_SECONDS (default 60; the
issue's full run is 300). Sampled every 10 s: the servers' resident memory
and the Redis keys of the bench (channel layer and cache keys under "ebilim", plus the whole
database's DBSIZE).

Reported: memory per idle connection (the servers' growth from before the
sockets opened to when all are open, divided by their number), the memory
and key growth from the first sample to the last while nothing happens (flat
means within 5 % for memory, no growth for keys), and the keys left after the
sockets close.
"""

from __future__ import annotations

import asyncio
import json
import os
import time

from tests.bench.realtime_common import (
    PROCESSES,
    SERVER_KIND,
    bench_users,
    log,
    project_servers,
    run_async,
    session_cookies,
)
from tests.bench.report import Row, row

SCENARIO = "idle sockets"
SOCKETS = int(os.environ.get("BENCH_IDLE_SOCKETS", "1000"))
SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "60"))
SAMPLE_EVERY = 10.0
PING_EVERY = 25.0
CONNECTING = 50


def _log(message: str) -> None:
    log(SCENARIO, message)


class RedisKeys:
    """Counts the bench's keys in the Redis of REDIS_URL (None without Redis).

    `prefix` is the bench's channel-layer prefix (groups, process queues); the
    presence keys of the cache (`…:presence:<user>`, 70 s TTL) are counted apart.
    """

    def __init__(self, prefix: str) -> None:
        url = os.environ.get("REDIS_URL")
        self.client = None
        self.prefix = prefix
        if url:
            import redis

            self.client = redis.Redis.from_url(url)

    def clear(self) -> None:
        """Forget what earlier bench runs left under the bench's own prefix."""
        if self.client is not None:
            for key in self.client.scan_iter(match=f"{self.prefix}*", count=1000):
                self.client.delete(key)

    def count(self) -> tuple[int | None, int | None, int | None]:
        """(channel-layer keys of the bench, presence keys, DBSIZE)."""
        if self.client is None:
            return None, None, None
        ours = sum(1 for _ in self.client.scan_iter(match=f"{self.prefix}*", count=1000))
        presence = sum(1 for _ in self.client.scan_iter(match="*:presence:*", count=1000))
        return ours, presence, self.client.dbsize()


async def _hold(servers, cookies: list[str], seconds: float, sample) -> list:
    import websockets

    from tests.bench.servers import HOST

    opened = []
    gate = asyncio.Semaphore(CONNECTING)
    failed = 0

    async def one(n: int):
        nonlocal failed
        server = servers[n % len(servers)]
        async with gate:
            try:
                socket = await websockets.connect(
                    f"ws://{HOST}:{server.port}/ws/notifications/",
                    additional_headers={
                        "Cookie": cookies[n], "Origin": f"http://{HOST}:{server.port}"
                    },
                    open_timeout=60,
                    max_queue=None,
                )  # fmt: skip
                while json.loads(await socket.recv())["type"] != "notification.synced":
                    pass
                opened.append(socket)
            except Exception:
                failed += 1

    await asyncio.gather(*(one(n) for n in range(len(cookies))))
    _log(f"{len(opened)} sockets open ({failed} failed)")
    samples = [sample("open")]

    async def pinger(socket):
        while True:
            await asyncio.sleep(PING_EVERY)
            await socket.send(json.dumps({"type": "ping"}))

    async def drain(socket):
        async for _text in socket:
            pass

    tasks = [asyncio.create_task(drain(s)) for s in opened]
    tasks += [asyncio.create_task(pinger(s)) for s in opened]
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        await asyncio.sleep(min(SAMPLE_EVERY, seconds - (time.monotonic() - started)))
        samples.append(sample(f"{time.monotonic() - started:.0f} s"))
    for task in tasks:
        task.cancel()
    await asyncio.gather(*(s.close() for s in opened), return_exceptions=True)
    await asyncio.gather(*tasks, return_exceptions=True)
    return samples, len(opened)


def run(env: dict[str, str]) -> list[Row]:
    processes = PROCESSES if os.environ.get("REDIS_URL") else 1
    where = f"{processes} {SERVER_KIND} process(es)"
    cookies = session_cookies(bench_users(SOCKETS))
    keys = RedisKeys(env.get("CHANNEL_PREFIX", "ebilim"))
    keys.clear()
    _log(f"{SOCKETS} idle /ws/notifications/ sockets for {SECONDS:g} s, {where}")
    with project_servers(env, processes=processes) as servers:
        time.sleep(1.0)
        memory_before = sum(s.rss_bytes() for s in servers)
        keys_before = keys.count()

        def sample(label: str):
            taken = (label, sum(s.rss_bytes() for s in servers), *keys.count())
            _log(f"{label}: servers {taken[1] / 2**20:.1f} MiB, layer keys {taken[2]}, presence "
                 f"keys {taken[3]}, DBSIZE {taken[4]}")  # fmt: skip
            return taken

        samples, opened = run_async(_hold(servers, cookies, SECONDS, sample))
        time.sleep(2.0)  # the closed sockets' group_discard calls
        keys_after = keys.count()
    per_socket = (samples[0][1] - memory_before) / max(opened, 1)
    first, last = samples[0], samples[-1]
    growth = (last[1] - first[1]) / first[1] if first[1] else float("nan")
    note = f"{opened} sockets, {where}, held {SECONDS:g} s (BENCH_IDLE_SECONDS)"
    rows = [
        row(SCENARIO, "memory per idle socket", per_socket / 1024, "KiB", note=note),
        row(SCENARIO, "memory growth while idle", 100 * growth, "%", target="<= 5 %",
            met=growth <= 0.05,
            note=f"servers {first[1] / 2**20:.0f} -> {last[1] / 2**20:.0f} MiB"),
    ]  # fmt: skip
    if first[2] is not None:
        rows += [
            row(SCENARIO, "Redis key growth while idle", last[2] - first[2], "keys",
                target="<= 0", met=last[2] <= first[2],
                note=f"channel layer: {keys_before[0]} before, {first[2]} open, {last[2]} at the "
                f"end; presence {first[3]} -> {last[3]}; DBSIZE {first[4]} -> {last[4]}"),
            row(SCENARIO, "Redis keys left after close", keys_after[0] - keys_before[0], "keys",
                target="<= 0", met=keys_after[0] <= keys_before[0],
                note=f"channel layer: {keys_before[0]} before, {keys_after[0]} after; presence "
                f"keys expire 70 s after the last ping ({keys_after[1]} now)"),
        ]  # fmt: skip
    return rows
