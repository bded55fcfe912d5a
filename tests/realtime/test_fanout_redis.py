"""Fan-out through the real Redis channel layer, built from the project's settings.

10 groups x 50 members = 500 receivers, each blocked in `layer.receive()`, get
every one of M messages per group, in order, once. Run twice: with named
channels, where each waiting receiver holds its own Redis connection in
BZPOPMIN (500 at once: the pool must allow it), and with process-local
channels as Daphne's consumers use them, where every delivery of a process
shares one Redis sorted set (its capacity must hold a burst).
"""

from __future__ import annotations

import asyncio
import copy
import os
import time
import uuid

import pytest
import redis.asyncio as aioredis
from channels.layers import get_channel_layer

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL"),
    pytest.mark.timeout(120),
]

GROUPS = 10
MEMBERS = 50
MESSAGES = 20


@pytest.fixture
def layer(settings):
    """The project's layer, with a prefix of its own so runs never see each other's keys."""
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    layers["default"]["CONFIG"]["prefix"] = f"fanout-{uuid.uuid4().hex[:12]}"
    settings.CHANNEL_LAYERS = layers  # Channels rebuilds its backends on this change.
    return get_channel_layer()


def test_capacity_and_pool_size_are_set_explicitly(settings):
    config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "realtime.layers.RedisChannelLayer"
    assert config["capacity"] == settings.CHANNEL_CAPACITY >= 1000
    assert config["hosts"] == [
        {"address": settings.REDIS_URL, "max_connections": settings.REDIS_MAX_CONNECTIONS}
    ]
    assert settings.REDIS_MAX_CONNECTIONS >= 1000


async def test_the_built_layer_honours_capacity_and_pool_size(layer, settings):
    # channels_redis passes the host's extra keys to redis-py's
    # ConnectionPool.from_url: check they arrive rather than trust it.
    assert layer.capacity == settings.CHANNEL_CAPACITY
    pool = layer.connection(0).connection_pool
    assert pool.max_connections == settings.REDIS_MAX_CONNECTIONS
    await layer.flush()


async def redis_clients(url: str) -> tuple[int, int]:
    client = aioredis.from_url(url)
    try:
        info = await client.info("clients")
    finally:
        await client.aclose()
    return info["connected_clients"], info["blocked_clients"]


@pytest.mark.parametrize("kind", ["named", "process-local"])
async def test_every_group_delivery_arrives_once_and_in_order(layer, settings, kind):
    started = time.monotonic()
    groups = [f"fanout.{g}" for g in range(GROUPS)]
    members: dict[str, list[str]] = {}
    for group in groups:
        if kind == "named":
            channels = [f"fanout.{uuid.uuid4().hex}" for _ in range(MEMBERS)]
        else:
            channels = [await layer.new_channel() for _ in range(MEMBERS)]
        members[group] = channels
        for channel in channels:
            await layer.group_add(group, channel)

    received: dict[str, list[tuple[str, int]]] = {}

    async def receive_all(channel: str) -> None:
        got = received.setdefault(channel, [])
        while len(got) < MESSAGES:
            message = await layer.receive(channel)
            got.append((message["group"], message["seq"]))

    _, blocked_before = await redis_clients(settings.REDIS_URL)
    receivers = [
        asyncio.ensure_future(receive_all(channel))
        for channels in members.values()
        for channel in channels
    ]
    # Publish only once every receiver is waiting (named: each in its own BZPOPMIN).
    expected_blocked = GROUPS * MEMBERS if kind == "named" else 1
    deadline = time.monotonic() + 20
    while True:
        connected, blocked = await redis_clients(settings.REDIS_URL)
        if blocked - blocked_before >= expected_blocked:
            break
        assert time.monotonic() < deadline, f"only {blocked - blocked_before} receivers blocked"
        await asyncio.sleep(0.05)
    if kind == "named":
        assert connected >= GROUPS * MEMBERS

    async def publish(group: str) -> None:
        for seq in range(MESSAGES):
            await layer.group_send(group, {"type": "fanout.message", "group": group, "seq": seq})

    await asyncio.gather(*(publish(group) for group in groups))
    try:
        await asyncio.wait_for(asyncio.gather(*receivers), timeout=45)
    finally:
        for task in receivers:
            task.cancel()
        await asyncio.gather(*receivers, return_exceptions=True)

    for group, channels in members.items():
        for channel in channels:
            assert received[channel] == [(group, seq) for seq in range(MESSAGES)], channel
    assert sum(len(got) for got in received.values()) == GROUPS * MEMBERS * MESSAGES

    # Nothing left over either: no duplicate is waiting to be delivered later.
    for channel in (members[groups[0]][0], members[groups[-1]][-1]):
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(layer.receive(channel), 0.5)

    await layer.flush()
    assert time.monotonic() - started < 60
