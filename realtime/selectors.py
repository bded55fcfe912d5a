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


# --- The curator's live view ------------------------------------------------------------------

# How many of a student's newest scores the curator's view shows, and how far back it looks.
CURATOR_LATEST_SCORES = 3
CURATOR_SCORES_DAYS = 14


def curator_journal(*, group_id: int, students: list, on) -> dict[int, str]:
    """Today's attendance and the newest scores of `students` of a group, for the curator's view.

    Sets `today_marks` [(course id, discipline, mark)] and `latest_scores`
    [(course id, discipline, value)] on each student and returns course id →
    discipline name of the group's courses with lessons or scores in view, so
    the page labels what arrives live. Three queries whatever the group's size.
    """
    from datetime import timedelta

    from django.utils import timezone

    from academic.grades.models import Attendance, Course, Score

    ids = [s.pk for s in students]
    marks: dict[int, list] = {pk: [] for pk in ids}
    scores: dict[int, list] = {pk: [] for pk in ids}
    for row in (
        Attendance.objects.filter(
            lesson__date=on, lesson__course__group_id=group_id, student_id__in=ids
        )
        .order_by("lesson__course_id", "lesson_id")
        .values_list("student_id", "lesson__course_id", "lesson__course__discipline__code", "mark")
    ):
        marks[row[0]].append(row[1:])
    since = timezone.now() - timedelta(days=CURATOR_SCORES_DAYS)
    for student_id, course_id, code, value in (
        Score.objects.filter(
            checkpoint__course__group_id=group_id, student_id__in=ids, updated_at__gte=since
        )
        .order_by("-updated_at", "-pk")
        .values_list(
            "student_id", "checkpoint__course_id", "checkpoint__course__discipline__code", "value"
        )[: CURATOR_LATEST_SCORES * max(len(ids), 1) * 4]
    ):
        if len(scores[student_id]) < CURATOR_LATEST_SCORES:
            scores[student_id].append((course_id, code, value))
    for student in students:
        student.today_marks = marks[student.pk]
        student.latest_scores = scores[student.pk]
    return dict(
        Course.objects.filter(
            group_id=group_id, term__starts_on__lte=on, term__ends_on__gte=on
        ).values_list("pk", "discipline__code")
    )
