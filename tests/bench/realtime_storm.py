"""Reconnect storm: 1,000 chat members drop and reconnect within 10 s while messages flow.

BENCH_STORM_MEMBERS (default 1,000) members in chats of 50 hold /ws/chat/
sockets spread over the server processes; one more socket per chat sends a
message a second throughout. After a calm start, every member closes its
socket at a random moment of a 10-second window and at once opens a new one,
subscribing with the last message id it saw (the resume rule of
docs/realtime-protocol.md §4). The sending goes on after the window, then stops.

Reported: messages missing (stored in the chat, not received by a member within SETTLE s)
and duplicated (received twice by one member) over the whole run, both must be
0; and the catch-up time of each reconnect, from opening the new socket to
`chat.subscribed` (which the server sends after replaying what was missed):
p99 <= 2 s.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
import uuid

from tests.bench.chat_load import bench_chat
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

SCENARIO = "reconnect storm"
MEMBERS = int(os.environ.get("BENCH_STORM_MEMBERS", "1000"))
PER_CHAT = 50
CALM = 3.0  # seconds of normal traffic before the storm
WINDOW = 10.0  # every member reconnects once within it
AFTER = 5.0  # seconds of traffic after the window
SETTLE = 30.0  # at most this long after the last send for the last deliveries
RATE = 1.0  # messages per second per chat
TARGET_CATCH_UP_MS = 2000.0


def _log(message: str) -> None:
    log(SCENARIO, message)


def prepare(count: int):
    """Chats of PER_CHAT members plus one sender each: [(chat id, sender cookie, member cookies)]."""
    from realtime.chat.models import ChatMember

    chats_needed = max(1, count // PER_CHAT)
    users = bench_users(chats_needed * (PER_CHAT + 1))
    chats = []
    for n in range(chats_needed):
        chat = bench_chat()
        people = users[n * (PER_CHAT + 1) : (n + 1) * (PER_CHAT + 1)]
        ChatMember.objects.bulk_create([ChatMember(chat=chat, user=user) for user in people])
        cookies = session_cookies(people)
        chats.append((chat.pk, cookies[0], cookies[1:]))
    return chats


class Member:
    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.last_id = 0
        self.duplicates = 0
        self.catch_ups: list[float] = []
        self.failures = 0


async def _subscribe(url, headers, chat_id, member: Member):
    import websockets

    started = time.monotonic()
    socket = await websockets.connect(
        url, additional_headers=headers, open_timeout=60, max_queue=None, ping_interval=None
    )
    await socket.send(json.dumps({"type": "subscribe", "chat": chat_id, "after": member.last_id}))
    while True:
        event = json.loads(await socket.recv())
        if event["type"] == "chat.subscribed":
            return socket, time.monotonic() - started
        _note(event, member)


def _note(event: dict, member: Member) -> None:
    if event.get("type") != "chat.message":
        return
    message_id = event["data"]["id"]
    if message_id in member.seen:
        member.duplicates += 1
    member.seen.add(message_id)
    member.last_id = max(member.last_id, message_id)


async def _listen(socket, member: Member, until) -> None:
    """Read the socket until `until` is set or the socket closes."""
    while not until.is_set():
        try:
            text = await asyncio.wait_for(socket.recv(), timeout=0.5)
        except TimeoutError:
            continue
        _note(json.loads(text), member)


async def _sender(url, headers, chat_id, go, duration: float, sent: list, stored: set) -> None:
    import websockets

    async with websockets.connect(
        url, additional_headers=headers, open_timeout=60, max_queue=None, ping_interval=None
    ) as socket:
        acked = 0

        async def drain():
            nonlocal acked
            async for text in socket:
                event = json.loads(text)
                if event.get("type") == "chat.ack":
                    acked += 1
                    stored.add(event["data"]["id"])

        reader = asyncio.create_task(drain())
        await go.wait()
        await asyncio.sleep(random.random() / RATE)
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < duration:
            payload = {"type": "send", "chat": chat_id, "text": f"storm #{n}",
                       "key": uuid.uuid4().hex}  # fmt: skip
            await socket.send(json.dumps(payload))
            sent.append(chat_id)
            n += 1
            await asyncio.sleep(max(0.0, started + n / RATE - time.monotonic()))
        # Wait until the server has stored everything sent.
        deadline = time.monotonic() + 30
        while acked < n and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        reader.cancel()


async def _storm(servers, chats):
    from tests.bench.servers import HOST

    ready = asyncio.Semaphore(0)
    go, stop = asyncio.Event(), asyncio.Event()
    members: dict[int, list[Member]] = {}
    tasks, senders, sent = [], [], []
    stored: dict[int, set[int]] = {}  # acknowledged message ids per chat
    gate = asyncio.Semaphore(50)
    index = 0

    def endpoint():
        nonlocal index
        server = servers[index % len(servers)]
        index += 1
        return f"ws://{HOST}:{server.port}/ws/chat/", f"http://{HOST}:{server.port}"

    connect_started = time.monotonic()
    for chat_id, sender_cookie, cookies in chats:
        url, origin = endpoint()
        stored[chat_id] = set()
        senders.append(
            asyncio.create_task(
                _sender(url, {"Cookie": sender_cookie, "Origin": origin}, chat_id, go,
                        CALM + WINDOW + AFTER, sent, stored[chat_id])
            )
        )  # fmt: skip
        for cookie in cookies:
            member = Member()
            members.setdefault(chat_id, []).append(member)
            url, origin = endpoint()
            headers = {"Cookie": cookie, "Origin": origin}
            tasks.append((url, headers, chat_id, member))
    at = {}

    async def gated(url, headers, chat_id, member):
        async with gate:
            task = asyncio.create_task(_member(url, headers, chat_id, member, ready, at, stop))
            await ready.acquire()
            return task

    member_tasks = await asyncio.gather(*(gated(*t) for t in tasks))
    _log(f"{len(member_tasks)} members in {len(chats)} chats connected in "
         f"{time.monotonic() - connect_started:.1f} s")  # fmt: skip
    at["base"] = time.monotonic() + CALM
    with CpuMeter(servers=servers) as meter:
        go.set()
        at.setdefault("event", asyncio.Event()).set()
        await asyncio.gather(*senders)
        # Every member back and holding every stored message, or SETTLE passed.
        deadline = time.monotonic() + SETTLE
        while time.monotonic() < deadline:
            if all(
                m.catch_ups and stored[chat_id] <= m.seen
                for chat_id, ms in members.items()
                for m in ms
            ):
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # a late duplicate would arrive now
        stop.set()
        await asyncio.gather(*member_tasks, return_exceptions=True)
    return members, len(sent), meter


async def _member(url, headers, chat_id, member: Member, ready, at: dict, stop) -> None:
    """One member: connect, listen, then at a random moment of the window reconnect and resume.

    The window starts at `at["base"]`, set (with `at["event"]`) once every member is in.
    """
    event = at.setdefault("event", asyncio.Event())
    socket, _ = await _subscribe(url, headers, chat_id, member)
    ready.release()
    leave = asyncio.Event()
    listener = asyncio.create_task(_listen(socket, member, leave))
    await event.wait()
    await asyncio.sleep(max(0.0, at["base"] + random.random() * WINDOW - time.monotonic()))
    leave.set()
    await listener
    await socket.close()
    for _attempt in range(5):
        try:
            socket, catch_up = await _subscribe(url, headers, chat_id, member)
            break
        except Exception:
            member.failures += 1
            await asyncio.sleep(0.5)
    else:
        return
    member.catch_ups.append(catch_up)
    try:
        await _listen(socket, member, stop)
    finally:
        await socket.close()


def run(env: dict[str, str]) -> list[Row]:
    from realtime.chat.models import Message

    processes = PROCESSES if os.environ.get("REDIS_URL") else 1
    where = f"{processes} {SERVER_KIND} process(es)"
    chats = prepare(MEMBERS)
    count = sum(len(c[2]) for c in chats)
    _log(f"{count} members in {len(chats)} chats, {RATE:g} msg/s per chat, "
         f"reconnecting within {WINDOW:g} s, {where}")  # fmt: skip
    with project_servers(env, processes=processes) as servers:
        members, sent, meter = run_async(_storm(servers, chats))
    stored = {}
    for chat_id, message_id in Message.objects.filter(
        chat_id__in=[c[0] for c in chats]
    ).values_list("chat_id", "id"):
        stored.setdefault(chat_id, set()).add(message_id)
    missing = sum(len(stored.get(chat_id, set()) - m.seen)
                  for chat_id, ms in members.items() for m in ms)  # fmt: skip
    duplicated = sum(m.duplicates for ms in members.values() for m in ms)
    catch_ups = [t for ms in members.values() for m in ms for t in m.catch_ups]
    not_back = sum(1 for ms in members.values() for m in ms if not m.catch_ups)
    p99 = percentile_ms(catch_ups, 0.99)
    _log(f"sent {sent}, stored {sum(len(s) for s in stored.values())}; missing {missing}, "
         f"duplicated {duplicated}, not reconnected {not_back}; catch-up p50 "
         f"{percentile_ms(catch_ups, 0.5):.0f} ms p99 {p99:.0f} ms; generator "
         f"{meter.own_share:.2f} cores, servers {meter.server_share:.2f}")  # fmt: skip
    note = f"{count} members, {len(chats)} chats, {RATE:g} msg/s each, {where}"
    return [
        row(SCENARIO, "missing after resume", missing, "msgs", target="== 0", met=missing == 0,
            note=note),
        row(SCENARIO, "duplicated after resume", duplicated, "msgs", target="== 0",
            met=duplicated == 0),
        row(SCENARIO, "members not back", not_back, "sockets", target="== 0", met=not_back == 0),
        row(SCENARIO, "catch-up p99", p99, "ms", target=f"<= {TARGET_CATCH_UP_MS:g} ms",
            met=p99 <= TARGET_CATCH_UP_MS,
            note="from opening the new socket to chat.subscribed (after the replay)"),
        row(SCENARIO, "generator CPU", meter.own_share, "cores", compare=False,
            note=f"servers used {meter.server_share:.2f} cores of {os.cpu_count()}"),
    ]  # fmt: skip
