"""Writes of online classes (DL-7, TC-8): start, join and leave, hands, moderation, end, attendance.

Every action is keyword-only and atomic, writes an audit entry for what
outlives the class (start, end, moderation, attendance) and publishes its live
event to `class.<id>` after commit. Who may call them is decided before, by
`permissions.access_*` (views and the class consumer); the teacher-only
actions check it again, as they change others' presence.

The media side (rooms, tracks) is not touched here: actions run in a thread
without the event loop the rooms live on, so the consumer applies the
media change after the action committed.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.grades.actions.journal import CellConflict, attendance_set
from academic.grades.models import Attendance, AttendanceMark, Lesson
from academic.records.models import Student
from hub.accounts.models import User
from hub.audit.log import audit_record, snapshot
from hub.errors import DomainError
from realtime.actions import notification_send
from realtime.classes import rooms
from realtime.classes.models import ClassMessage, ClassStatus, OnlineClass, Participation
from realtime.classes.permissions import is_class_teacher
from realtime.classes.selectors import (
    attendance_proposal,
    class_size,
    lesson_students,
    message_payload,
    names,
)
from realtime.events import EventType, send_event
from realtime.groups import group_class

CLASS_FIELDS = ("lesson", "teacher", "status", "started_at", "ended_at", "provider", "record")
MAX_MESSAGE = 2000


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _require_teacher(by: User, online_class: OnlineClass) -> None:
    if not is_class_teacher(by, online_class.lesson):
        raise DomainError(_("Only the teacher of the lesson can do this."))


def _require_live(online_class: OnlineClass) -> None:
    # Read afresh: a consumer holds its class from the connect, and it may have ended since.
    if not OnlineClass.objects.filter(pk=online_class.pk, status=ClassStatus.LIVE).exists():
        raise DomainError(_("This class is not live."))


def _open_span(online_class: OnlineClass, user_id: int) -> Participation | None:
    return (
        Participation.objects.select_for_update()
        .filter(online_class=online_class, user_id=user_id, left_at__isnull=True)
        .order_by("-joined_at")
        .first()
    )


@transaction.atomic
def class_start(*, by: User, lesson: Lesson, record: bool = False) -> OnlineClass:
    """Start the lesson's online class (or return the one already live).

    The media server is chosen by the class size (the group's students and
    the teacher) against CLASSES_BUILTIN_MAX; the choice and its reason are
    stored for the page. Refused (DomainError) to anyone but the course's
    teacher and when no media server can take the class. Audited; notifies
    the group's students (notification centre, with the class page's link)
    and publishes CLASS_STARTED to class.<id>.
    """
    if not is_class_teacher(by, lesson):
        raise DomainError(_("Only the teacher of the lesson can start its class."))
    live = OnlineClass.objects.filter(lesson=lesson, status=ClassStatus.LIVE).first()
    if live is not None:
        return live
    choice = rooms.choose(class_size(lesson))
    if choice.provider is None:
        raise DomainError(str(choice.reason))
    try:
        with transaction.atomic():
            online_class = OnlineClass.objects.create(
                lesson=lesson,
                teacher=by,
                status=ClassStatus.LIVE,
                started_at=timezone.now(),
                provider=choice.provider.name,
                provider_reason=str(choice.reason)[:500],
                max_size=choice.provider.max_participants,
                record=record,
            )
    except IntegrityError:
        # Another tab of the teacher started it a moment ago.
        return OnlineClass.objects.get(lesson=lesson, status=ClassStatus.LIVE)
    audit_record(
        action="class_start", obj=online_class, after=snapshot(online_class, CLASS_FIELDS), actor=by
    )
    url = reverse("classes:lesson", args=[lesson.pk])
    course = lesson.course
    notification_send(
        recipients=[s.user_id for s in lesson_students(lesson)],
        title=_("Online class has started: %(discipline)s") % {"discipline": course.discipline},
        body=_("%(teacher)s started the class. Join from the class page.") % {"teacher": _name(by)},
        url=url,
    )
    send_event(
        group_class(online_class.pk),
        EventType.CLASS_STARTED,
        {"id": online_class.pk, "lesson": lesson.pk, "provider": online_class.provider, "url": url},
    )
    return online_class


@transaction.atomic
def class_join(*, by: User, online_class: OnlineClass) -> Participation:
    """Record that `by` joined the live class: a new span (an open one of theirs is closed first).

    The teacher's allowance to speak carries over from `by`'s last span of the
    class, so a reconnect (whether the old socket closed before or after the
    new one opened) or a rejoin keeps it until the teacher mutes or removes
    them. Publishes CLASS_PRESENCE (joined) to class.<id>. Refused when the
    class is not live.
    """
    _require_live(online_class)
    now = timezone.now()
    previous = _open_span(online_class, by.pk)
    if previous is not None:
        # A reconnect whose old socket has not closed yet: its span ends where the new one begins.
        previous.left_at = now
        previous.save(update_fields=["left_at"])
    last = (
        Participation.objects.filter(online_class=online_class, user=by)
        .order_by("-joined_at", "-pk")
        .values_list("allowed_to_speak", flat=True)
        .first()
    )
    span = Participation.objects.create(
        online_class=online_class, user=by, joined_at=now, allowed_to_speak=bool(last)
    )
    _presence(online_class, by, "joined")
    return span


@transaction.atomic
def class_leave(*, by: User, online_class: OnlineClass) -> int:
    """Close `by`'s open spans in the class; returns how many were open.

    Publishes CLASS_PRESENCE (left) to class.<id> when one was.
    """
    closed = Participation.objects.filter(
        online_class=online_class, user=by, left_at__isnull=True
    ).update(left_at=timezone.now(), hand_raised=False)
    if closed:
        _presence(online_class, by, "left")
    return closed


def _presence(online_class: OnlineClass, user: User, status: str) -> None:
    send_event(
        group_class(online_class.pk),
        EventType.CLASS_PRESENCE,
        {
            "class": online_class.pk,
            "user": user.pk,
            **names(user),
            "status": status,
            "teacher": user.pk == online_class.teacher_id,
        },
    )


def _set_hand(online_class: OnlineClass, by: User, raised: bool) -> Participation:
    _require_live(online_class)
    span = _open_span(online_class, by.pk)
    if span is None:
        raise DomainError(_("Join the class first."))
    span.hand_raised = raised
    span.save(update_fields=["hand_raised"])
    send_event(
        group_class(online_class.pk),
        EventType.CLASS_HAND,
        {"class": online_class.pk, "user": by.pk, **names(by), "raised": raised},
    )
    return span


@transaction.atomic
def hand_raise(*, by: User, online_class: OnlineClass) -> Participation:
    """Raise `by`'s hand in the class. Publishes CLASS_HAND to class.<id>."""
    return _set_hand(online_class, by, True)


@transaction.atomic
def hand_lower(*, by: User, online_class: OnlineClass) -> Participation:
    """Lower `by`'s hand. Publishes CLASS_HAND to class.<id>."""
    return _set_hand(online_class, by, False)


def _moderate(by: User, online_class: OnlineClass, user_id: int, action: str) -> Participation:
    _require_teacher(by, online_class)
    _require_live(online_class)
    span = _open_span(online_class, user_id)
    if span is None or user_id == by.pk:
        raise DomainError(_("This participant is not in the class."))
    before = {"allowed_to_speak": span.allowed_to_speak, "left_at": None}
    if action == "allow":
        span.allowed_to_speak, span.hand_raised = True, False
    elif action == "mute":
        span.allowed_to_speak = False
    else:
        # Removal also takes the allowance back: it must not return with a later rejoin.
        span.left_at, span.hand_raised, span.allowed_to_speak = timezone.now(), False, False
    span.save(update_fields=["allowed_to_speak", "hand_raised", "left_at"])
    audit_record(
        action=f"class_participant_{action}",
        obj=span,
        before=before,
        after={"allowed_to_speak": span.allowed_to_speak, "left_at": str(span.left_at or "")},
        actor=by,
    )
    send_event(
        group_class(online_class.pk),
        EventType.CLASS_MODERATED,
        {"class": online_class.pk, "user": user_id, "action": action},
    )
    return span


@transaction.atomic
def participant_allow(*, by: User, online_class: OnlineClass, user_id: int) -> Participation:
    """Let a student publish their microphone and camera. Teacher only; audited; CLASS_MODERATED."""
    return _moderate(by, online_class, user_id, "allow")


@transaction.atomic
def participant_mute(*, by: User, online_class: OnlineClass, user_id: int) -> Participation:
    """Stop relaying a student's media (allowed again only by the teacher). Teacher only; audited."""
    return _moderate(by, online_class, user_id, "mute")


@transaction.atomic
def participant_remove(*, by: User, online_class: OnlineClass, user_id: int) -> Participation:
    """Remove a participant: their span closes (the allowance to speak with it) and their socket
    is closed on CLASS_MODERATED. Teacher only; audited."""
    return _moderate(by, online_class, user_id, "remove")


@transaction.atomic
def class_message_post(*, by: User, online_class: OnlineClass, text: str) -> ClassMessage:
    """Store a chat message of the live class, then publish CLASS_MESSAGE to class.<id>."""
    _require_live(online_class)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("The message is empty."))
    if len(text) > MAX_MESSAGE:
        raise DomainError(_("A message has at most %(limit)d characters.") % {"limit": MAX_MESSAGE})
    message = ClassMessage.objects.create(online_class=online_class, author=by, text=text)
    message.author = by
    send_event(group_class(online_class.pk), EventType.CLASS_MESSAGE, message_payload(message))
    return message


@transaction.atomic
def class_end(*, by: User, online_class: OnlineClass) -> dict[int, str]:
    """End the live class: close every open span and propose the attendance.

    Returns (and stores on the class) student id -> present/late/absent
    (selectors.attendance_proposal). Teacher only; audited; publishes
    CLASS_ENDED (with the attendance page's address) to class.<id>, on which
    the sockets close the media room and themselves.
    """
    _require_teacher(by, online_class)
    caller = online_class
    online_class = OnlineClass.objects.select_for_update().get(pk=online_class.pk)
    _require_live(online_class)
    before = snapshot(online_class, CLASS_FIELDS)
    now = timezone.now()
    Participation.objects.filter(online_class=online_class, left_at__isnull=True).update(
        left_at=now, hand_raised=False
    )
    proposal = attendance_proposal(online_class)
    online_class.status, online_class.ended_at = ClassStatus.ENDED, now
    online_class.attendance_proposal = {str(k): v for k, v in proposal.items()}
    online_class.save(update_fields=["status", "ended_at", "attendance_proposal"])
    # The caller's instance (a view's, a consumer's) sees the end too.
    caller.status, caller.ended_at = online_class.status, online_class.ended_at
    caller.attendance_proposal = online_class.attendance_proposal
    audit_record(
        action="class_end",
        obj=online_class,
        before=before,
        after=snapshot(online_class, CLASS_FIELDS),
        actor=by,
    )
    send_event(
        group_class(online_class.pk),
        EventType.CLASS_ENDED,
        {"id": online_class.pk, "url": reverse("classes:attendance", args=[online_class.pk])},
    )
    return proposal


@transaction.atomic
def class_recording_attach(*, online_class: OnlineClass, name: str) -> OnlineClass:
    """Attach the recording file `name` (relative to MEDIA_ROOT) to the class. Audited."""
    online_class.recording.name = name
    online_class.save(update_fields=["recording"])
    audit_record(action="class_recording_attach", obj=online_class, after={"recording": name})
    return online_class


@transaction.atomic
def class_attendance_confirm(
    *, by: User, online_class: OnlineClass, marks: dict[int, str]
) -> dict[int, str]:
    """Write the teacher's confirmed marks (student id -> mark) into the lesson's journal.

    Each cell goes through grades' attendance_set with the version it holds
    now (the teacher confirms over whatever is there). A cell the journal
    refuses (closed journal, a student no longer on the roll, a racing
    writer) is skipped and reported: returns student id -> the error's
    message. Teacher only, after the end; marks the proposal confirmed.
    """
    _require_teacher(by, online_class)
    if online_class.status != ClassStatus.ENDED:
        raise DomainError(_("The attendance is confirmed after the class ends."))
    lesson = online_class.lesson
    students = {s.pk: s for s in lesson_students(lesson)}
    extra = Student.objects.filter(
        pk__in=[int(k) for k in online_class.attendance_proposal or {}]
    ).exclude(pk__in=students)
    students.update({s.pk: s for s in extra.select_related("user")})
    versions = dict(
        Attendance.objects.filter(lesson=lesson, student_id__in=list(students)).values_list(
            "student_id", "version"
        )
    )
    failed: dict[int, str] = {}
    for student_id, mark in marks.items():
        student = students.get(int(student_id))
        if student is None or mark not in AttendanceMark.values:
            continue
        try:
            with transaction.atomic():
                attendance_set(
                    by=by,
                    lesson=lesson,
                    student=student,
                    mark=mark,
                    expected_version=versions.get(student.pk, 0),
                )
        except (CellConflict, DomainError) as error:
            failed[student.pk] = str(error)
    online_class.attendance_confirmed_at = timezone.now()
    online_class.save(update_fields=["attendance_confirmed_at"])
    audit_record(
        action="class_attendance_confirm",
        obj=online_class,
        after={"marks": {str(k): v for k, v in marks.items()}, "failed": sorted(failed)},
        actor=by,
    )
    return failed
