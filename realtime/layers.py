"""The Redis channel layer, made safe against a receiver cancelled mid-pop.

In channels_redis one coroutine per process pops the process's messages from
Redis on behalf of every socket (BZPOPMIN, then a copy into a backup set).
Channels cancels a socket's pending receive when the socket closes; if that
socket's receive was the one popping, a message Redis had already handed over
was dropped between the pop and the backup: lost for every socket of the
process, not only the closing one. A reconnect storm (hundreds of sockets
closing while messages flow) hit it a few times a run; tests/realtime/
test_layers.py reproduces it against a real Redis.

Here a cancelled receiver leaves its pop running, and the next receiver of
the same channel takes that pop over instead of starting another, so the
message it brings reaches the sockets it is addressed to.
"""

from __future__ import annotations

import asyncio

from channels_redis.core import RedisChannelLayer as ChannelsRedisLayer


class RedisChannelLayer(ChannelsRedisLayer):
    """channels_redis' layer whose pops survive their caller's cancellation."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Pops whose receiver was cancelled, by channel, for the next receiver.
        self._orphaned_pops: dict[str, asyncio.Future] = {}

    async def receive_single(self, channel):
        pop = self._take_orphaned_pop(channel)
        if pop is None:
            pop = asyncio.ensure_future(super().receive_single(channel))
        try:
            return await asyncio.shield(pop)
        except asyncio.CancelledError:
            if not pop.cancelled():
                self._orphaned_pops[channel] = pop
            raise

    def _take_orphaned_pop(self, channel: str) -> asyncio.Future | None:
        """The pop a cancelled receiver left for `channel`, if it can still bring a message."""
        pop = self._orphaned_pops.pop(channel, None)
        if pop is None or pop.get_loop() is not asyncio.get_running_loop():
            return None
        if pop.done() and (pop.cancelled() or pop.exception() is not None):
            return None
        return pop
