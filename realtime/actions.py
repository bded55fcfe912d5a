"""Writes of notifications. Each stores its row first, then publishes after commit."""

from __future__ import annotations

import json
import logging

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from hub.audit.log import audit_record
from realtime.events import EventType, send_event, send_events
from realtime.groups import group_user
from realtime.models import Notification, NotificationKind, NotificationSettings
from realtime.permissions import access_notification
from realtime.selectors import notification_payload, notification_unread_count

logger = logging.getLogger(__name__)


@transaction.atomic
def notification_create(
    *,
    recipient,
    title: str,
    body: str = "",
    url: str = "",
    kind: str = NotificationKind.INFO,
) -> Notification:
    """Store a notification for `recipient` and tell their open tabs.

    Publishes `notification.created` (the row and the new unread count) to
    `user.<recipient id>` after commit. Raises ValidationError for an unknown
    kind, an empty or too long title, or a link that leaves the site.
    """
    notification = Notification(recipient=recipient, kind=kind, title=title, body=body, url=url)
    notification.full_clean(exclude=["recipient"])
    if url and not _is_local_path(url):
        raise ValidationError({"url": _("A notification links only to a page of this site.")})
    notification.save()
    unread = notification_unread_count(user=recipient)
    send_event(
        group_user(recipient.pk),
        EventType.NOTIFICATION_CREATED,
        notification_payload(notification, unread=unread),
    )
    return notification


@transaction.atomic
def notification_send(
    *,
    recipients,
    title: str,
    body: str = "",
    url: str = "",
    kind: str = NotificationKind.INFO,
    important: bool = False,
) -> int:
    """Notify many users at once: the one way every module tells people something.

    Stores one notification per distinct recipient in one INSERT, then, after
    commit, publishes `notification.created` to each recipient's `user.<id>`
    with their new unread count (counted in one query). `important` ones are
    also e-mailed by a background task to those who keep e-mail on. Returns
    how many were stored. Raises ValidationError like notification_create.
    """
    probe = Notification(kind=kind, title=title, body=body, url=url)
    probe.full_clean(exclude=["recipient"])
    if url and not _is_local_path(url):
        raise ValidationError({"url": _("A notification links only to a page of this site.")})
    ids = sorted({getattr(r, "pk", r) for r in recipients})
    if not ids:
        return 0
    probe.created_at = timezone.now()
    probe.important = important
    rows = _insert_notifications(probe, ids)  # [(id, recipient id)]
    unread = _unread_counts(ids)
    shape = notification_payload(probe, unread=0)
    send_events(
        [
            (
                group_user(recipient),
                EventType.NOTIFICATION_CREATED,
                {**shape, "id": pk, "unread": unread.get(recipient, 1)},
            )
            for pk, recipient in rows
        ]
    )
    if important:
        # Queued after the live events (commit hooks run in order): the bell
        # should not wait for the mail queue, whose first use in a process is slow.
        stored = [pk for pk, _recipient in rows]
        transaction.on_commit(lambda: _email_later(stored))
    return len(rows)


# One row (column `id`) per element of an array parameter, on each database eBilim runs on.
_EACH_ID = {
    "postgresql": "unnest(%s::bigint[]) AS r(id)",
    "sqlite": "(SELECT value AS id FROM json_each(%s)) AS r",
}


def _insert_notifications(probe: Notification, ids: list[int]) -> list[tuple[int, int]]:
    """One copy of `probe` per recipient id, in one INSERT; their (id, recipient id).

    Django's bulk_create prepares every field of every row in Python: for an
    announcement to a thousand readers that was most of the publishing time.
    """
    fields = [f for f in Notification._meta.concrete_fields if f.name not in ("id", "recipient")]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = [f.get_db_prep_save(getattr(probe, f.attname), connection) for f in fields]
    table = connection.ops.quote_name(Notification._meta.db_table)
    recipient = connection.ops.quote_name(Notification._meta.get_field("recipient").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({recipient}, {columns}) "  # noqa: S608 (names from the model)
            f"SELECT r.id, {', '.join(['%s'] * len(values))} FROM {_EACH_ID[connection.vendor]} "
            f"RETURNING id, {recipient}",
            [*values, _ids_parameter(ids)],
        )
        return cursor.fetchall()


def _ids_parameter(ids: list[int]):
    """`ids` as the one parameter _EACH_ID reads: an array on PostgreSQL, JSON on SQLite."""
    return ids if connection.vendor == "postgresql" else json.dumps(ids)


def _unread_counts(ids: list[int]) -> dict[int, int]:
    """Unread notifications of each user in `ids`, in one statement.

    The ids travel as one array parameter: an IN list of a thousand
    placeholders cost more to build and parse than the count itself.
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.id, COUNT(n.id) FROM {_EACH_ID[connection.vendor]} "  # noqa: S608 (names from the model)
            f"LEFT JOIN {table} n ON n.recipient_id = r.id AND n.read_at IS NULL GROUP BY r.id",
            [_ids_parameter(ids)],
        )
        return dict(cursor.fetchall())


@transaction.atomic
def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read.

    Publishes `notification.read` (id and the new unread count) to
    `user.<id>` after commit so the user's other tabs update their badge;
    marking an already read notification changes and publishes nothing.
    Raises Http404 for a missing or foreign notification.
    """
    notification = access_notification(user, notification_id, write=True)
    if notification.read_at is not None:
        return notification
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])
    send_event(
        group_user(user.pk),
        EventType.NOTIFICATION_READ,
        {"id": notification.id, "unread": notification_unread_count(user=user)},
    )
    return notification


def _email_later(notification_ids: list[int]) -> None:
    from realtime.tasks import email_notifications

    try:
        email_notifications.delay(notification_ids)
    except Exception:
        # The notifications are stored and shown; only the e-mail copy is lost.
        logger.exception("e-mail of %d notifications was not queued", len(notification_ids))


@transaction.atomic
def notification_settings_set(*, user, email_important: bool) -> NotificationSettings:
    """Turn e-mail copies of important notifications on or off for `user` (audited)."""
    settings_row, _created = NotificationSettings.objects.get_or_create(user=user)
    before = {"email_important": settings_row.email_important}
    settings_row.email_important = email_important
    settings_row.save(update_fields=["email_important"])
    audit_record(
        action="notification_settings_set",
        obj=settings_row,
        before=before,
        after={"email_important": email_important},
        actor=user,
    )
    return settings_row


def _is_local_path(url: str) -> bool:
    # The toast and the list render the link: it must stay on this site
    # ("//evil.example" starts with a slash but is another host).
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
