"""The one way anything publishes a live event.

An action writes its rows first and then calls `send_event(group, type, data)`;
the event leaves through the channel layer only after the surrounding
transaction commits, so no browser ever sees a change that was rolled back.
Every consumer that joined `group` receives the channel message

    {"type": "live.event", "event": {"type": "<area.verb>", "data": {...}}}

and forwards `event` to its browser unchanged. Events that describe a
persisted row carry its `id` in `data`, so a client that reconnects can ask
for everything after the last id it saw.
"""

from __future__ import annotations

import asyncio
import logging
from enum import StrEnum
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from realtime.groups import validate_group

logger = logging.getLogger(__name__)

# The channel-message type; Channels dispatches it to `Consumer.live_event`.
CHANNEL_MESSAGE_TYPE = "live.event"


class EventType(StrEnum):
    """Every live event type, declared once, named `area.verb`."""

    # To user.<id>: a notification was stored for the user; data is the row
    # (id, kind, title, body, url, created_at, read) plus the unread count.
    NOTIFICATION_CREATED = "notification.created"
    # To user.<id>: the user read a notification in one tab; the others update
    # their unread badge. data: id, unread.
    NOTIFICATION_READ = "notification.read"
    # Sent by the notification consumer to its own socket on (re)connect, not
    # through a group: the current unread count and the newest id, so a tab
    # that missed reads elsewhere is correct again. data: last_id, unread.
    NOTIFICATION_SYNCED = "notification.synced"
    # To user.<id> of the job's owner: a background job moved on. data: id,
    # done, total, message.
    JOB_PROGRESS = "job.progress"
    # To user.<id> of the job's owner: the job succeeded or failed. data: id,
    # status, url.
    JOB_FINISHED = "job.finished"
    # To academic.<group id> of the group left and the group joined, and to
    # office.records: a signed order moved a student. data: student, order,
    # kind, status, from_group, to_group, effective_date.
    STUDENT_MOVED = "student.moved"
    # To office.records: an order was signed. data: id, kind, number, students.
    ORDER_SIGNED = "order.signed"
    # To user.<id>: the user joined or left a chat (membership follows the
    # records). data: chat, title, status ("joined" or "left").
    CHAT_MEMBERSHIP = "chat.membership"
    # To chat.<id>: a message was stored. data: the message (id, chat, author,
    # author_name, text, reply_to, created_at, client_key).
    CHAT_MESSAGE = "chat.message"
    # To chat.<id>: a message was edited or deleted. data: the message as above
    # with edited_at / deleted (text empty when deleted).
    CHAT_MESSAGE_CHANGED = "chat.message_changed"
    # To chat.<id>, from the chat consumer, not stored: a member is typing.
    # data: chat, user, name.
    CHAT_TYPING = "chat.typing"
    # To course.<id>, user.<student's user id> and academic.<group id>: a score
    # of the journal, a test or an assignment was saved or removed. data:
    # course, checkpoint, student, lesson (or null), value (or null when
    # removed), version, checkpoint_total, total.
    GRADE_CHANGED = "grade.changed"
    # To course.<id>, user.<student's user id> and academic.<group id>: an
    # attendance cell was saved. data: course, lesson, student, mark, version,
    # date.
    ATTENDANCE_CHANGED = "attendance.changed"
    # To course.<id> and user.<student's user id>: a line of an exam sheet was
    # saved. data: sheet, line, student, final_score, absent, total, letter,
    # mark, passed, version.
    SHEET_LINE_CHANGED = "sheet.line_changed"
    # To office.grades and course.<id>: a sheet was closed or reopened by an
    # approved change. data: sheet, course, group, faculty, status, closed_at.
    SHEET_CLOSED = "sheet.closed"
    # To class.<id>: the teacher started the online class. data: id, lesson,
    # provider, url.
    CLASS_STARTED = "class.started"
    # To class.<id>: the class ended; every socket of it closes. data: id, url
    # (the attendance page).
    CLASS_ENDED = "class.ended"
    # To class.<id>: someone joined or left. data: class, user, name, status
    # ("joined" or "left"), teacher (whether it is the class's teacher).
    CLASS_PRESENCE = "class.presence"
    # To class.<id>: a hand went up or down. data: class, user, name, raised.
    CLASS_HAND = "class.hand"
    # To class.<id>: the teacher allowed, muted or removed a participant.
    # data: class, user, action ("allow", "mute" or "remove").
    CLASS_MODERATED = "class.moderated"
    # To class.<id>: a chat message of the class was stored. data: id, class,
    # author, author_name, text, created_at.
    CLASS_MESSAGE = "class.message"
    # To proctor.<test id>: a frame was analysed. data: attempt, frame, taken_at,
    # flags, face_count, error, thumbnail (URL), suspicion, flag_count, baseline.
    PROCTOR_FRAME = "proctor.frame"
    # To proctor.<test id>: the browser reported page events. data: attempt,
    # events (kind, at, detail), suspicion, event_count.
    PROCTOR_PAGE_EVENT = "proctor.page_event"
    # To proctor.<test id>: a proctor extended or ended an attempt. data:
    # attempt, student, status, deadline, reason.
    PROCTOR_ATTEMPT = "proctor.attempt"


def build_message(event_type: EventType | str, data: dict[str, Any]) -> dict[str, Any]:
    """The channel message for one event; raises ValueError for an undeclared type."""
    event_type = EventType(event_type)
    if not isinstance(data, dict):
        raise TypeError(f"event data must be a dict, not {type(data).__name__}")
    return {"type": CHANNEL_MESSAGE_TYPE, "event": {"type": event_type.value, "data": data}}


def send_event(group: str, event_type: EventType | str, data: dict[str, Any]) -> None:
    """Publish `event_type` with `data` to every consumer in `group` after commit.

    Inside a transaction the event waits for the commit and is dropped on
    rollback; outside one it is published at once. The type and group are
    checked now, so a mistake fails in the action rather than in a callback.
    A channel layer that cannot be reached is logged, not raised: the change
    is already committed, and reconnecting clients resume from the database.
    """
    validate_group(group)
    message = build_message(event_type, data)
    transaction.on_commit(lambda: _publish(group, message))


# How many group_send calls one batch keeps in flight: enough to hide the
# round trips to Redis, few enough not to flood its connection pool.
BATCH_CONCURRENCY = 64


def send_events(events: list[tuple[str, EventType | str, dict[str, Any]]]) -> None:
    """Publish many events (group, type, data) after commit, concurrently.

    For actions that tell hundreds of people at once (an announcement's
    notifications): one event at a time costs round trips to the channel
    layer each, seconds for a thousand readers; the Redis layer sends them all
    in a few (realtime/layers.py), other layers BATCH_CONCURRENCY at a time. Checked now, published on commit, dropped on rollback, failures
    logged per event like send_event.
    """
    messages = [(validate_group(group), build_message(kind, data)) for group, kind, data in events]
    if messages:
        transaction.on_commit(lambda: async_to_sync(_publish_many)(messages))


async def _publish_many(messages: list[tuple[str, dict[str, Any]]]) -> None:
    layer = get_channel_layer()
    if hasattr(layer, "group_send_many"):  # the Redis layer: a few round trips for all
        try:
            await layer.group_send_many(messages)
        except Exception:
            logger.exception("%d live events were not published", len(messages))
        return
    limit = asyncio.Semaphore(BATCH_CONCURRENCY)

    async def publish(group: str, message: dict[str, Any]) -> None:
        async with limit:
            try:
                await layer.group_send(group, message)
            except Exception:
                logger.exception(
                    "live event %s to %s was not published", message["event"]["type"], group
                )

    await asyncio.gather(*(publish(group, message) for group, message in messages))


async def asend_event(group: str, event_type: EventType | str, data: dict[str, Any]) -> None:
    """Publish at once from async code (a consumer or an async task).

    There is no transaction to wait for here: call it only after the rows the
    event describes are committed (for example after a `database_sync_to_async`
    action returned), or for events that describe nothing persisted.
    """
    validate_group(group)
    message = build_message(event_type, data)
    await get_channel_layer().group_send(group, message)


def _publish(group: str, message: dict[str, Any]) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(group, message)
    except Exception:
        # Not re-raised: the action's rows are committed, its caller must not
        # see a failure, and clients catch up from the database on reconnect.
        logger.exception("live event %s to %s was not published", message["event"]["type"], group)
