"""WebSocket consumers: authenticate, check access, join groups, forward.

They publish nothing of their own and never check rights themselves beyond
calling the app's `access_*` functions; the ORM is touched only through
`database_sync_to_async`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import translation

from realtime.events import CHANNEL_MESSAGE_TYPE, EventType
from realtime.groups import group_academic, group_course, group_office, group_user
from realtime.presence import presence_touch
from realtime.selectors import (
    notification_last_id,
    notification_payload,
    notification_unread_count,
    notifications_after,
)

# Close codes in the 4000-4999 range that applications may define. The
# browser reads them: 4401 means "log in again", so it stops reconnecting.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_TOO_MANY_MESSAGES = 4429
# The standard "try again later": the live layer (Redis) is unreachable.
CLOSE_TRY_AGAIN = 1013

logger = logging.getLogger(__name__)


def _layer_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # the in-memory layer cannot fail this way
        return (ConnectionError,)
    return (ConnectionError, RedisConnectionError, RedisTimeoutError)


LAYER_ERRORS = _layer_errors()


class InboundRateLimit:
    """At most `limit` messages from the client in any `window` seconds."""

    def __init__(self, limit: int, window: float, clock=time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.times: deque[float] = deque()

    def allow(self) -> bool:
        now = self.clock()
        while self.times and now - self.times[0] >= self.window:
            self.times.popleft()
        if len(self.times) >= self.limit:
            return False
        self.times.append(now)
        return True


def event_text(message: dict) -> str:
    """The event of a `live.event` channel message as the JSON text browsers get.

    Each consumer encodes its own copy: both channel layers hand every member
    of a group a separate copy of the message (a copy, or one decoded from Redis).
    """
    return json.dumps(message["event"])


class LiveDispatch:
    """Deliver `live.event` channel messages without a trip through the sync thread.

    Channels' `AsyncConsumer.dispatch` calls `close_old_connections` through
    `sync_to_async` before every message, on the one thread every database call
    of the process shares: at thousands of deliveries a second that queue, not
    the CPU, held up both the deliveries and the writes waiting behind them.
    `live_event` handlers touch no database (every ORM call here goes through
    `database_sync_to_async`, which closes old connections itself), so their
    messages skip it; everything else is dispatched as Channels does.
    """

    async def dispatch(self, message: dict) -> None:
        if message.get("type") == CHANNEL_MESSAGE_TYPE:
            await self.live_event(message)
        else:
            await super().dispatch(message)

    async def __call__(self, scope, receive, send) -> None:
        # Without its channel layer (Redis restarting) a socket can neither join
        # groups nor hear them: close it with "try again later" rather than a
        # bare 1011, so the browser reconnects with back-off and resumes; what it
        # sent and saw no `chat.ack` for stays in its outbox (nothing is lost).
        try:
            await super().__call__(scope, receive, send)
        except LAYER_ERRORS:
            logger.warning("channel layer unavailable: socket closed with %s", CLOSE_TRY_AGAIN)
            # The socket may be gone already.
            with contextlib.suppress(Exception):
                await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN})


Command = Callable[[dict], Awaitable[None]]


class CommandConsumer(LiveDispatch, AsyncJsonWebsocketConsumer):
    """A socket whose client sends JSON commands: `{"type": "<command>", ...}`.

    The preamble every such socket shares: commands are heard only once
    `connect` has set `user`, at most `rate_limit` of them in `rate_window`
    seconds (beyond that the socket is closed with CLOSE_TOO_MANY_MESSAGES),
    anything that is not a JSON object is ignored, `ping` is answered by
    `pong`, and every other command goes to its handler from `commands()`,
    run in the user's language so that errors reach them translated.
    """

    rate_limit = 60
    rate_window = 10.0

    user = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limiter = InboundRateLimit(self.rate_limit, self.rate_window)

    def commands(self) -> dict[str, Command]:
        """The handlers of the client's commands, by type."""
        raise NotImplementedError

    async def ping(self, content: dict) -> None:
        await self.send_json({"type": "pong"})

    async def decode_json(self, text_data):
        try:
            return json.loads(text_data)
        except ValueError:
            return None

    async def receive_json(self, content, **kwargs) -> None:
        if self.user is None:
            return
        if not self.limiter.allow():
            await self.close(code=CLOSE_TOO_MANY_MESSAGES)
            return
        if not isinstance(content, dict):
            return
        if content.get("type") == "ping":
            await self.ping(content)
            return
        handler = self.commands().get(content.get("type"))
        if handler is not None:
            with translation.override(getattr(self.user, "language", None)):
                await handler(content)


class NotificationConsumer(CommandConsumer):
    """`/ws/notifications/[?after=<id>]`: the signed-in user's personal events.

    Joins `user.<id>`, replays the notifications stored after `after` (the
    last id the tab saw before its connection dropped), sends
    `notification.synced` with the unread count, then forwards every event
    published to the group. The client sends pings (which keep its presence), and
    `{"type": "watch", "group": <id>}` to follow an academic group it may read,
    `{"type": "watch_course", "course": <id>}` a course's journal and sheets,
    `{"type": "watch_office", "office": "grades"}` an office's live lists.
    """

    # Clients send a ping every 25 s or so; twenty messages in ten seconds is
    # a broken or hostile client, and each message costs the server a task.
    rate_limit = 20
    rate_window = 10.0

    group: str | None = None
    replayed_up_to = 0
    watched: set[int] = frozenset()
    watched_other: set[str] = frozenset()

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Accept first, then close: a handshake refused outright reaches
            # the browser as code 1006, which it cannot tell from a network
            # failure and would retry for ever.
            await self.accept()
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.watched = set()
        self.watched_other = set()
        # Join before reading the backlog, so nothing published in between is
        # lost; what arrives twice is dropped by `replayed_up_to` below.
        self.user, self.group = user, group_user(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await database_sync_to_async(presence_touch)(user.pk)
        after = _after_id(self.scope.get("query_string", b""))
        missed, unread, last_id = await _backlog(user, after)
        self.replayed_up_to = missed[-1].id if missed else 0
        for notification in missed:
            await self.send_event(
                EventType.NOTIFICATION_CREATED, notification_payload(notification, unread=unread)
            )
        await self.send_event(EventType.NOTIFICATION_SYNCED, {"last_id": last_id, "unread": unread})

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None
        for group_id in self.watched:
            await self.channel_layer.group_discard(group_academic(group_id), self.channel_name)
        for group in self.watched_other:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.watched = set()
        self.watched_other = set()

    def commands(self) -> dict[str, Command]:
        return {
            "watch": lambda content: self.watch(content.get("group")),
            "watch_course": lambda content: self.watch_course(content.get("course")),
            "watch_office": lambda content: self.watch_office(content.get("office")),
        }

    async def ping(self, content: dict) -> None:
        # A ping keeps the user's presence alive.
        await database_sync_to_async(presence_touch)(self.user.pk)
        await self.send_json({"type": "pong"})

    async def watch(self, group_id) -> None:
        """Follow an academic group's live events, if the user may read the group."""
        if not isinstance(group_id, int) or group_id <= 0 or group_id in self.watched:
            return
        if await _may_read_group(self.scope["user"], group_id):
            self.watched.add(group_id)
            await self.channel_layer.group_add(group_academic(group_id), self.channel_name)

    async def watch_course(self, course_id) -> None:
        """Follow a course's journal and sheets live, if the user may read its journal."""
        if not isinstance(course_id, int) or course_id <= 0:
            return
        group = group_course(course_id)
        if group not in self.watched_other and await _may_read_course(
            self.scope["user"], course_id
        ):
            self.watched_other.add(group)
            await self.channel_layer.group_add(group, self.channel_name)

    async def watch_office(self, office) -> None:
        """Follow an office's live lists (`grades`: sheets closing in a session)."""
        if office not in OFFICE_WATCHERS:
            return
        group = group_office(office)
        if group not in self.watched_other and await OFFICE_WATCHERS[office](self.scope["user"]):
            self.watched_other.add(group)
            await self.channel_layer.group_add(group, self.channel_name)

    async def live_event(self, message: dict) -> None:
        event = message["event"]
        if (
            event["type"] == EventType.NOTIFICATION_CREATED
            and event["data"].get("id", 0) <= self.replayed_up_to
        ):
            return
        await self.send(text_data=event_text(message))

    async def send_event(self, event_type: EventType, data: dict) -> None:
        await self.send_json({"type": event_type.value, "data": data})


def _after_id(query_string: bytes) -> int | None:
    values = parse_qs(query_string.decode("latin-1")).get("after")
    if not values:
        return None
    try:
        after = int(values[0])
    except ValueError:
        return None
    return after if after >= 0 else None


@database_sync_to_async
def _backlog(user, after: int | None):
    missed = notifications_after(user=user, after_id=after) if after is not None else []
    return missed, notification_unread_count(user=user), notification_last_id(user=user)


@database_sync_to_async
def _may_read_group(user, group_id: int) -> bool:
    from django.http import Http404

    from academic.structure.permissions import access_group

    try:
        access_group(user, group_id)
    except Http404:
        return False
    return True


@database_sync_to_async
def _may_read_course(user, course_id: int) -> bool:
    from django.http import Http404

    from academic.grades.permissions import access_course

    try:
        access_course(user, course_id)
    except Http404:
        return False
    return True


@database_sync_to_async
def _may_read_grades_office(user) -> bool:
    from academic.grades.permissions import may_read_grades_office

    return may_read_grades_office(user)


# Offices whose live lists a socket may follow, with who may follow them.
OFFICE_WATCHERS = {"grades": _may_read_grades_office}
