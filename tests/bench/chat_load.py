"""Chat fan-out through the project's whole path: 10 chats × 50 members on /ws/chat/.

Each chat's first member sends one message a second for DURATION seconds over
its socket (authenticated by a real session, checked, stored, acknowledged,
published after commit); every member's socket, the sender's included, must
receive every message of its chat. Reported: deliveries expected and
received (lost = the difference), deliveries per second, and the p99 of the
time from sending to receiving. Baseline, in the same run: a bare asyncio
`websockets` broadcast server with the same rooms, members and rate.

Server: one Daphne process on the bench database (embedded: the in-memory
channel layer; with REDIS_URL set: Redis).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid

from tests.bench.report import Row, row

CHATS = 10
MEMBERS = 50
RATES = (1.0, 10.0)  # messages per second per chat: the usual load, then ten times it
DURATION = float(os.environ.get("BENCH_CHAT_SECONDS", "20"))
SETTLE = 3.0  # seconds to wait for the last deliveries


def _log(message: str) -> None:
    import sys

    print(f"chat_load: {message}", file=sys.stderr, flush=True)


def prepare() -> list[tuple[int, list[str]]]:
    """CHATS chats of MEMBERS demo students each: (chat id, the members' session cookies)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from hub.accounts.models import Cabinet, User
    from realtime.chat.models import Chat, ChatKind, ChatMember

    users = list(
        User.objects.filter(cabinet=Cabinet.STUDENT, is_active=True).order_by("id")[
            : CHATS * MEMBERS
        ]
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    chats = []
    for n in range(CHATS):
        chat = Chat.objects.create(kind=ChatKind.STREAM, title=f"bench-{uuid.uuid4().hex[:8]}")
        members = users[n * MEMBERS : (n + 1) * MEMBERS]
        ChatMember.objects.bulk_create([ChatMember(chat=chat, user=user) for user in members])
        cookies = []
        for user in members:
            session = store()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
        chats.append((chat.pk, cookies))
    return chats


class Tally:
    def __init__(self) -> None:
        self.sent = 0
        self.received = 0
        self.latencies: list[float] = []
        self.first_sent = self.last_received = 0.0

    def rate(self) -> float:
        """Deliveries per second from the first send to the last delivery."""
        elapsed = self.last_received - self.first_sent
        return self.received / elapsed if elapsed > 0 else float("nan")

    def percentile_ms(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    def p99_ms(self) -> float:
        return self.percentile_ms(0.99)


async def _member(
    url: str, headers: dict, chat_id: int, tally: Tally, ready, go, stop, rate: float
) -> None:
    """One member's socket; with a `rate` (messages per second) it is also the chat's sender."""
    import websockets

    async with websockets.connect(url, additional_headers=headers, max_queue=None) as socket:
        await socket.send(json.dumps({"type": "subscribe", "chat": chat_id, "after": 0}))
        while json.loads(await socket.recv())["type"] != "chat.subscribed":
            pass
        ready.release()
        # Senders start when every member listens: the connection storm is not measured.
        sender = asyncio.create_task(_send_loop(socket, chat_id, tally, go, rate)) if rate else None
        try:
            while True:
                try:
                    text = await asyncio.wait_for(socket.recv(), timeout=0.5)
                except TimeoutError:
                    if stop.is_set():
                        break
                    continue
                event = json.loads(text)
                if event.get("type") == "chat.message":
                    sent_at = float(event["data"]["text"].split()[0])
                    tally.received += 1
                    tally.last_received = time.time()
                    tally.latencies.append(tally.last_received - sent_at)
        finally:
            if sender is not None:
                sender.cancel()


async def _send_loop(socket, chat_id: int, tally: Tally, go, rate: float) -> None:
    await go.wait()
    # Chats are not in step with each other: each starts at its own point of the second.
    await asyncio.sleep((chat_id % CHATS) / (CHATS * rate))
    started = time.monotonic()
    tally.first_sent = tally.first_sent or time.time()
    n = 0
    while time.monotonic() - started < DURATION:
        await socket.send(
            json.dumps(
                {
                    "type": "send",
                    "chat": chat_id,
                    "text": f"{time.time():.6f} #{n}",
                    "key": uuid.uuid4().hex,
                }
            )
        )
        tally.sent += 1
        n += 1
        await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))


async def _run_clients(url: str, origin: str, chats, rate: float) -> Tally:
    tally = Tally()
    stop, go = asyncio.Event(), asyncio.Event()
    ready = asyncio.Semaphore(0)
    tasks = []
    for chat_id, cookies in chats:
        for i, cookie in enumerate(cookies):
            headers = {"Cookie": cookie, "Origin": origin}
            member = _member(url, headers, chat_id, tally, ready, go, stop, rate if i == 0 else 0)
            tasks.append(asyncio.create_task(member))
    for _ in tasks:
        await asyncio.wait_for(ready.acquire(), timeout=60)
    go.set()
    await asyncio.sleep(DURATION + SETTLE)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return tally


async def _bare_baseline(rate: float) -> Tally:
    """The same rooms and rate on a bare websockets broadcast server in this process."""
    import websockets

    rooms: dict[int, set] = {n: set() for n in range(CHATS)}

    async def handler(socket):
        room = int(socket.request.path.strip("/"))
        rooms[room].add(socket)
        try:
            async for text in socket:
                websockets.broadcast(rooms[room], text)
        finally:
            rooms[room].discard(socket)

    tally = Tally()
    stop = asyncio.Event()
    async with websockets.serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]

        async def member(room: int, send: bool) -> None:
            async with websockets.connect(f"ws://127.0.0.1:{port}/{room}") as socket:
                sender = asyncio.create_task(_bare_send(socket, tally, rate)) if send else None
                while not stop.is_set():
                    try:
                        text = await asyncio.wait_for(socket.recv(), timeout=0.5)
                    except TimeoutError:
                        continue
                    tally.received += 1
                    tally.last_received = time.time()
                    tally.latencies.append(tally.last_received - float(text.split()[0]))
                if sender is not None:
                    sender.cancel()

        tasks = [
            asyncio.create_task(member(room, i == 0))
            for room in range(CHATS)
            for i in range(MEMBERS)
        ]
        await asyncio.sleep(DURATION + SETTLE)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return tally


async def _bare_send(socket, tally: Tally, rate: float) -> None:
    await asyncio.sleep(0.5)  # let the room fill
    started = time.monotonic()
    tally.first_sent = tally.first_sent or time.time()
    n = 0
    while time.monotonic() - started < DURATION:
        await socket.send(f"{time.time():.6f} #{n}")
        tally.sent += 1
        n += 1
        await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))


def run(env: dict[str, str]) -> list[Row]:
    from tests.bench.servers import HOST, Server

    rows: list[Row] = []
    with Server("daphne", env) as server:
        for rate in RATES:
            chats = prepare()  # fresh chats: nothing of the previous run is replayed
            _log(f"{CHATS} chats x {MEMBERS} members, {rate:g} msg/s per chat, {DURATION:g} s")
            baseline = asyncio.run(_bare_baseline(rate))
            url = f"ws://{HOST}:{server.port}/ws/chat/"
            tally = asyncio.run(_run_clients(url, f"http://{HOST}:{server.port}", chats, rate))
            rows += _rows(rate, tally, baseline)
    return rows


def _rows(rate: float, tally: Tally, baseline: Tally) -> list[Row]:
    expected = tally.sent * MEMBERS
    lost = expected - tally.received
    _log(
        f"sent {tally.sent}, delivered {tally.received} of {expected}, "
        f"p50 {tally.percentile_ms(0.5):.1f} ms, p99 {tally.p99_ms():.1f} ms"
    )
    scenario = f"chat {rate:g}/s"
    note = f"{CHATS} chats x {MEMBERS} members, {rate:g} msg/s per chat, {DURATION:g} s, Daphne"
    offered = CHATS * MEMBERS * rate
    p99_target = rate <= 1  # the 200 ms target is the usual load's; ten times it: no loss
    return [
        row(scenario, "lost deliveries", lost, "msgs", target="== 0", met=lost == 0, note=note),
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
            target=f">= {0.9 * offered:g} (of {offered:g} offered)",
            met=tally.rate() >= 0.9 * offered,
        ),
    ]
