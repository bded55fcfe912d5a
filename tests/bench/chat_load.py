"""Chat fan-out through the project's whole path: 10 chats × 50 members on /ws/chat/.

Members of each chat send messages over their sockets (authenticated by a
real session, checked, stored, acknowledged, published after commit); every
member's socket, the senders' included, must receive every message of its
chat exactly once. At 1 message/s per chat one member sends; at 10/s ten
members send one a second each (a person's socket may send at most 6/s:
ChatConsumer.rate_limit). After the sending stops the run waits up to SETTLE
seconds for the last deliveries; what never arrives is lost.

Reported per rate: deliveries lost and duplicated, the p99 of the time from
sending to receiving, deliveries per second (from the first send to the last
delivery), and the CPU the load generator (this process) and the servers
used. Baseline, in the same run: the bare `websockets` broadcast server
(tests/bench/realtime_bare.py, one process) with the same rooms, members and
senders.

Servers: BENCH_RT_PROCESSES (default 2) processes of BENCH_RT_SERVER
(default uvicorn, the production server) on the bench database and Redis;
the members of every chat are spread over the processes, as nginx spreads
browsers. Embedded (no REDIS_URL) there is no shared layer: one process.
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
    CpuMeter,
    bench_users,
    log,
    percentile_ms,
    project_servers,
    run_async,
    session_cookies,
)
from tests.bench.report import Row, row

CHATS = 10
MEMBERS = 50
# Messages per second per chat: the usual load, then ten times it.
RATES = tuple(float(r) for r in os.environ.get("BENCH_CHAT_RATES", "1,10").split(","))
DURATION = float(os.environ.get("BENCH_CHAT_SECONDS", "20"))
SETTLE = 20.0  # at most this long after the last send for the last deliveries
SCENARIO = "chat_load"


def _log(message: str) -> None:
    log(SCENARIO, message)


def bench_chat():
    """A chat of the bench's own: no group or stream behind it, so nothing keeps it in step.

    Its kind is "private" (a private chat only needs a unique pair key); the
    message path does not look at the kind.
    """
    from realtime.chat.models import Chat, ChatKind

    tag = uuid.uuid4().hex[:24]
    return Chat.objects.create(kind=ChatKind.PRIVATE, pair_key=f"bench:{tag}", title=f"bench-{tag}")


def prepare() -> list[tuple[int, list[str]]]:
    """CHATS chats of MEMBERS bench students each: (chat id, the members' session cookies)."""
    from realtime.chat.models import ChatMember

    users = bench_users(CHATS * MEMBERS)
    chats = []
    for n in range(CHATS):
        chat = bench_chat()
        members = users[n * MEMBERS : (n + 1) * MEMBERS]
        ChatMember.objects.bulk_create([ChatMember(chat=chat, user=user) for user in members])
        chats.append((chat.pk, session_cookies(members)))
    return chats


class Tally:
    def __init__(self) -> None:
        self.sent = 0
        self.received = 0
        self.duplicates = 0
        self.out_of_order = 0
        self.errors = 0
        self.latencies: list[float] = []
        self.acks: list[float] = []  # from sending to the server's acknowledgement
        self.pending: dict[str, float] = {}
        self.first_sent = self.last_sent = self.last_received = 0.0

    def rate(self) -> float:
        """Deliveries per second from the first send to the last delivery."""
        elapsed = self.last_received - self.first_sent
        return self.received / elapsed if elapsed > 0 else float("nan")

    def percentile_ms(self, share: float) -> float:
        return percentile_ms(self.latencies, share)

    def p99_ms(self) -> float:
        return self.percentile_ms(0.99)

    def note(self, sent_at: float) -> None:
        now = time.time()
        self.received += 1
        self.last_received = now
        self.latencies.append(now - sent_at)


async def _member(url, headers, chat_id, tally: Tally, ready, go, stop, send_at, bare) -> None:
    """One member's socket; with `send_at` (offset, period) it is also one of the chat's senders."""
    import websockets

    async with websockets.connect(
        url, additional_headers=headers, max_queue=None, open_timeout=60
    ) as socket:
        if not bare:
            await socket.send(json.dumps({"type": "subscribe", "chat": chat_id, "after": 0}))
            while json.loads(await socket.recv())["type"] != "chat.subscribed":
                pass
        ready.release()
        # Senders start when every member listens: the connection storm is not measured.
        sender = None
        if send_at is not None:
            sender = asyncio.create_task(_send_loop(socket, chat_id, tally, go, *send_at, bare))
        # Concurrent senders' messages may arrive out of id order: remember every id.
        seen: set[int] = set()
        newest = 0
        try:
            while True:
                try:
                    text = await asyncio.wait_for(socket.recv(), timeout=0.5)
                except TimeoutError:
                    if stop.is_set():
                        break
                    continue
                if bare:
                    tally.note(float(text.split()[0]))
                    continue
                event = json.loads(text)
                if event.get("type") == "chat.message":
                    data = event["data"]
                    if data["id"] in seen:
                        tally.duplicates += 1
                        continue
                    seen.add(data["id"])
                    if data["id"] < newest:
                        tally.out_of_order += 1
                    newest = max(newest, data["id"])
                    tally.note(float(data["text"].split()[0]))
                elif event.get("type") == "chat.ack":
                    sent_at = tally.pending.pop(event["data"]["key"], None)
                    if sent_at is not None:
                        tally.acks.append(time.monotonic() - sent_at)
                elif event.get("type") == "chat.error":
                    tally.errors += 1
        finally:
            if sender is not None:
                sender.cancel()


async def _send_loop(socket, chat_id, tally: Tally, go, offset: float, period: float, bare) -> None:
    await go.wait()
    await asyncio.sleep(offset)
    started = time.monotonic()
    tally.first_sent = tally.first_sent or time.time()
    n = 0
    while time.monotonic() - started < DURATION - offset:
        text = f"{time.time():.6f} #{n}"
        if not bare:
            key = uuid.uuid4().hex
            tally.pending[key] = time.monotonic()
            text = json.dumps({"type": "send", "chat": chat_id, "text": text, "key": key})
        await socket.send(text)
        tally.sent += 1
        tally.last_sent = time.time()
        n += 1
        await asyncio.sleep(max(0.0, started + n * period - time.monotonic()))


async def _run_clients(urls: list[str], chats, rate: float, *, bare: bool, meter: CpuMeter):
    """Members of chat n spread over `urls` round-robin; `rate` messages/s per chat."""
    tally = Tally()
    stop, go = asyncio.Event(), asyncio.Event()
    ready = asyncio.Semaphore(0)
    senders = max(1, round(rate))
    period = senders / rate  # each sender's interval; the chat's messages are 1/rate apart
    tasks = []
    for n, (chat_id, cookies) in enumerate(chats):
        for i, cookie in enumerate(cookies):
            server = urls[(n * len(cookies) + i) % len(urls)]
            url, origin = (f"{server}/{chat_id}", None) if bare else server
            headers = {} if bare else {"Cookie": cookie, "Origin": origin}
            # Chats are not in step with each other: each starts at its own point of the second.
            send_at = ((n / len(chats) + i) / rate, period) if i < senders else None
            member = _member(url, headers, chat_id, tally, ready, go, stop, send_at, bare)
            tasks.append(asyncio.create_task(member))
    try:
        for _ in tasks:
            await asyncio.wait_for(ready.acquire(), timeout=120)
    except TimeoutError:
        failed = [t.exception() for t in tasks if t.done() and t.exception()]
        raise RuntimeError(f"members did not connect: {failed[:3]}") from None
    with meter:
        go.set()
        await asyncio.sleep(DURATION)
        members = len(chats[0][1])
        deadline = time.monotonic() + SETTLE
        while tally.received < tally.sent * members and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return tally


def run(env: dict[str, str]) -> list[Row]:
    from tests.bench.servers import HOST, Server

    processes = PROCESSES if os.environ.get("REDIS_URL") else 1
    rows: list[Row] = []
    with project_servers(env, processes=processes) as servers:
        urls = [(f"ws://{HOST}:{s.port}/ws/chat/", f"http://{HOST}:{s.port}") for s in servers]
        for rate in RATES:
            where = f"{processes} {SERVER_KIND} process(es)"
            _log(
                f"{CHATS} chats x {MEMBERS} members, {rate:g} msg/s per chat, {DURATION:g} s, {where}"
            )
            with Server("bare", {}, ready_path="/healthz") as bare_server:
                bare_meter = CpuMeter(servers=[bare_server])
                baseline = run_async(
                    _run_clients(
                        [f"ws://{HOST}:{bare_server.port}"],
                        [(n + 1, [""] * MEMBERS) for n in range(CHATS)],
                        rate,
                        bare=True,
                        meter=bare_meter,
                    )
                )
            chats = prepare()  # fresh chats: nothing of the previous run is replayed
            meter = CpuMeter(servers=servers)
            tally = run_async(_run_clients(urls, chats, rate, bare=False, meter=meter))
            rows += _rows(rate, tally, baseline, meter, bare_meter, where)
    return rows


def _rows(rate, tally: Tally, baseline: Tally, meter: CpuMeter, bare_meter: CpuMeter, where):
    expected = tally.sent * MEMBERS
    lost = expected - tally.received
    _log(
        f"sent {tally.sent}, delivered {tally.received} of {expected}, dup {tally.duplicates}, "
        f"errors {tally.errors}, out of order {tally.out_of_order}, {tally.rate():.0f}/s, p50 {tally.percentile_ms(0.5):.1f} ms, "
        f"p99 {tally.p99_ms():.1f} ms, ack p50 {percentile_ms(tally.acks, 0.5):.1f} p99 "
        f"{percentile_ms(tally.acks, 0.99):.1f} ms; generator {meter.own_share:.2f} cores, servers "
        f"{meter.server_share:.2f}; bare: {baseline.received} of {baseline.sent * MEMBERS}, "
        f"{baseline.rate():.0f}/s, p99 {baseline.p99_ms():.1f} ms, generator "
        f"{bare_meter.own_share:.2f}, server {bare_meter.server_share:.2f}"
    )
    scenario = f"chat {rate:g}/s"
    note = f"{CHATS} chats x {MEMBERS} members, {rate:g} msg/s per chat, {DURATION:g} s, {where}"
    offered = CHATS * MEMBERS * rate
    p99_target = rate <= 1  # the 200 ms target is the usual load's; ten times it: no loss
    floor = 4500 if rate >= 10 else 0.9 * offered
    return [
        row(
            scenario,
            "lost deliveries",
            lost,
            "msgs",
            target="== 0",
            met=lost == 0,
            note=f"{note}; not received {SETTLE:g} s after the last send (dropped or late)",
        ),
        row(
            scenario,
            "duplicated deliveries",
            tally.duplicates,
            "msgs",
            target="== 0",
            met=tally.duplicates == 0,
        ),
        row(
            scenario,
            "p99 delivery",
            tally.p99_ms(),
            "ms",
            baseline=baseline.p99_ms(),
            target="<= 200 ms" if p99_target else None,
            met=tally.p99_ms() <= 200 if p99_target else None,
            note="baseline: bare websockets broadcast, same rooms and rate",
        ),
        row(
            scenario,
            "deliveries",
            tally.rate(),
            "msg/s",
            baseline=baseline.rate(),
            target=f">= {floor:g} (of {offered:g} offered)",
            met=tally.rate() >= floor,
        ),
        row(
            scenario,
            "generator CPU",
            meter.own_share,
            "cores",
            baseline=bare_meter.own_share,
            compare=False,
            note=f"this process's clients; servers used {meter.server_share:.2f} cores "
            f"(bare server {bare_meter.server_share:.2f}) of {os.cpu_count()}",
        ),
    ]
