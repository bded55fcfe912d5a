"""The Redis channel layer: channels_redis', with two changes.

1. A receiver cancelled mid-pop loses nothing. In channels_redis one
   coroutine per process pops the process's messages from Redis on behalf of
   every socket (BZPOPMIN, then a copy into a backup set). Channels cancels a
   socket's pending receive when the socket closes; if that socket's receive
   was the one popping, a message Redis had already handed over was dropped
   between the pop and the backup: lost for every socket of the process, not
   only the closing one. A reconnect storm (hundreds of sockets closing while
   messages flow) hit it a few times a run. Here a cancelled receiver leaves
   its pop running, and the next receiver of the channel takes it over.

2. Many messages to many groups in a few round trips (`group_send_many`): an
   announcement tells each of a thousand readers' own group, and a
   `group_send` each cost four round trips to Redis, and one pop per reader
   in the receiving process. Here one script reads every group's members,
   and each server process gets ONE message holding what its sockets are due,
   which it unpacks into their receive buffers.

tests/realtime/test_layers.py proves both against a real Redis.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time

from channels_redis.core import RedisChannelLayer as ChannelsRedisLayer

logger = logging.getLogger(__name__)

# The key of a message that carries several: [[channels, message], ...].
BATCH = "__ebilim_batch__"

# Every group's members, after dropping memberships older than ARGV[1].
# KEYS: group keys. Returns one list of channel names per key.
MEMBERS_SCRIPT = """
local members = {}
for i = 1, #KEYS do
    redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, ARGV[1])
    members[i] = redis.call('ZRANGE', KEYS[i], 0, -1)
end
return members
"""

# Adds each message to its channel key unless the key holds `capacity` already,
# after dropping the key's expired messages (channels_redis' group_send script
# and its expiry step in one call).
# KEYS: channel keys; ARGV: the messages, then the capacities, then now and expiry.
STORE_SCRIPT = """
local over_capacity = 0
local current_time = ARGV[#ARGV - 1]
local expiry = ARGV[#ARGV]
for i = 1, #KEYS do
    redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, math.floor(current_time - expiry))
    if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + #KEYS]) then
        redis.call('ZADD', KEYS[i], current_time, ARGV[i])
        redis.call('EXPIRE', KEYS[i], expiry)
    else
        over_capacity = over_capacity + 1
    end
end
return over_capacity
"""


class RedisChannelLayer(ChannelsRedisLayer):
    """channels_redis' layer with pops that survive cancellation and batched group sends."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Pops whose receiver was cancelled, by channel, for the next receiver.
        self._orphaned_pops: dict[str, asyncio.Future] = {}

    # --- receiving ---------------------------------------------------------

    async def receive(self, channel):
        try:
            return await super().receive(channel)
        except asyncio.CancelledError:
            # channels_redis keeps the buffer of a receive cancelled while it
            # popped: an empty queue per closed socket, and one bound to the
            # event loop it waited in (another loop reusing the layer fails).
            queue = self.receive_buffer.get(channel)
            if queue is not None and queue.empty():
                del self.receive_buffer[channel]
            raise

    async def receive_single(self, channel):
        pop = self._take_orphaned_pop(channel)
        if pop is None:
            pop = asyncio.ensure_future(super().receive_single(channel))
        try:
            message_channel, message = await asyncio.shield(pop)
        except asyncio.CancelledError:
            if not pop.cancelled():
                self._orphaned_pops[channel] = pop
            raise
        return self._unpack_batch(message_channel, message)

    def _take_orphaned_pop(self, channel: str) -> asyncio.Future | None:
        """The pop a cancelled receiver left for `channel`, if it can still bring a message."""
        pop = self._orphaned_pops.pop(channel, None)
        if pop is None or pop.get_loop() is not asyncio.get_running_loop():
            return None
        if pop.done() and (pop.cancelled() or pop.exception() is not None):
            return None
        return pop

    def _unpack_batch(self, message_channel, message):
        """A batch goes into its channels' receive buffers; ([], None) tells receive() so.

        No await here: receive() runs this and its own buffering as one step.
        """
        batch = message.pop(BATCH, None)
        if batch is None:
            return message_channel, message
        for channels, item in batch:
            for name in channels:
                self.receive_buffer[name].put_nowait(item)
        return [], None

    # --- sending -----------------------------------------------------------

    async def group_send_many(self, sends: list[tuple[str, dict]]) -> None:
        """Send each (group, message): the deliveries of a `group_send` each, batched.

        Each server process's sockets get one Redis message holding all they
        are due; a channel outside a process (a named worker channel) gets
        its messages one by one. Over a key's capacity a message is dropped
        and logged, as `group_send` does.
        """
        members = await self._group_members([group for group, _message in sends])
        batches = collections.defaultdict(list)  # process key -> [[channels, message]]
        singles = []  # (key, message) for channels outside a process
        for (_group, message), channels in zip(sends, members, strict=True):
            local = collections.defaultdict(list)
            for channel in channels:
                if "!" in channel:
                    local[self.prefix + self.non_local_name(channel)].append(channel)
                else:
                    singles.append(
                        (self.prefix + channel, {**message, "__asgi_channel__": channel})
                    )
            for key, names in local.items():
                batches[key].append([names, message])
        entries = [(key, {BATCH: batch}) for key, batch in batches.items()] + singles
        await self._store_messages(entries)

    async def _group_members(self, groups: list[str]) -> list[list[str]]:
        """The channels of each group (expired memberships discarded first), in order."""
        oldest = int(time.time()) - self.group_expiry
        by_connection = collections.defaultdict(list)
        for position, group in enumerate(groups):
            assert self.require_valid_group_name(group), "Group name not valid"
            by_connection[self.consistent_hash(group)].append(position)
        members: list[list[str]] = [[] for _group in groups]
        for index, positions in by_connection.items():
            keys = [self._group_key(groups[position]) for position in positions]
            replies = await self.connection(index).eval(MEMBERS_SCRIPT, len(keys), *keys, oldest)
            for position, names in zip(positions, replies, strict=True):
                members[position] = [name.decode("utf8") for name in names]
        return members

    async def _store_messages(self, entries: list[tuple[str, dict]]) -> None:
        """Store each (channel key, message), one script call per Redis host."""
        by_connection = collections.defaultdict(list)
        for key, message in entries:
            channel = key.removeprefix(self.prefix)
            by_connection[self.consistent_hash(channel)].append(
                (key, self.serialize(message), self.get_capacity(channel))
            )
        for index, batch in by_connection.items():
            keys = [key for key, _message, _capacity in batch]
            args = [message for _key, message, _capacity in batch]
            args += [capacity for _key, _message, capacity in batch]
            args += [time.time(), self.expiry]
            over = await self.connection(index).eval(STORE_SCRIPT, len(keys), *keys, *args)
            if over:
                logger.warning(
                    "%d of %d messages dropped: their channels are full", over, len(keys)
                )
