"""Reads of notifications; each runs a fixed number of queries."""

from __future__ import annotations

from django.db.models import QuerySet

from realtime.models import Notification

# A reconnecting tab gets at most this many missed notifications; older ones
# are on the notifications page.
REPLAY_LIMIT = 100


def notification_unread_count(*, user) -> int:
    """How many of `user`'s notifications are unread (one query)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user) -> QuerySet[Notification]:
    """`user`'s notifications, newest first, ready to paginate (no joins needed)."""
    return Notification.objects.filter(recipient=user).order_by("-id")


def notifications_after(*, user, after_id: int, limit: int = REPLAY_LIMIT) -> list[Notification]:
    """`user`'s notifications with an id above `after_id`, oldest first.

    When more than `limit` were missed, the newest `limit` are returned (still
    oldest first): a tab that was away that long needs the latest, and the page
    holds the rest.
    """
    rows = list(
        Notification.objects.filter(recipient=user, id__gt=after_id).order_by("-id")[:limit]
    )
    rows.reverse()
    return rows


def notification_last_id(*, user) -> int:
    """The id of `user`'s newest notification, 0 when there is none."""
    last = (
        Notification.objects.filter(recipient=user)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return last or 0


def notification_payload(notification: Notification, *, unread: int) -> dict:
    """The event data that describes one notification to the browser."""
    return {
        "id": notification.id,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "created_at": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
        "unread": unread,
    }
