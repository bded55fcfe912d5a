"""Reads of online classes: the current class of a lesson, who is in, the proposed attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from academic.grades.models import Attendance, AttendanceMark, Lesson
from academic.records.models import Student
from academic.records.selectors import group_students_on
from realtime.classes.models import ClassMessage, OnlineClass, Participation

# A student who joins within this time of the start is present; later, late.
LATE_AFTER = timedelta(minutes=10)


def class_of_lesson(lesson: Lesson) -> OnlineClass | None:
    """The lesson's newest class (live, or the last one held), or None."""
    return OnlineClass.objects.filter(lesson=lesson).order_by("-created_at", "-pk").first()


def lesson_students(lesson: Lesson) -> list[Student]:
    """The students of the lesson's group today, by name, with their users."""
    return list(group_students_on(lesson.course.group_id))


def class_size(lesson: Lesson) -> int:
    """How many take part in the lesson's class: the group's students and the teacher."""
    return group_students_on(lesson.course.group_id).count() + 1


def participants(online_class: OnlineClass) -> list[Participation]:
    """The open spans of the class (who is in now), with their users, by joining time."""
    return list(
        Participation.objects.filter(online_class=online_class, left_at__isnull=True)
        .select_related("user")
        .order_by("joined_at", "pk")
    )


def names(user, key: str = "name") -> dict[str, str]:
    """A person's name for a live payload: `key` in Cyrillic, `<key>_en` in Latin.

    One event reaches every member of the class, each reading in their own
    language: the page shows the Latin name on an English page.
    """
    name = user.get_full_name() or user.get_username()
    return {key: name, f"{key}_en": user.get_full_name_latin() or name}


def participant_payload(span: Participation) -> dict:
    """One participant as the class page lists them."""
    return {
        "user": span.user_id,
        **names(span.user),
        "hand_raised": span.hand_raised,
        "allowed": span.allowed_to_speak,
        "teacher": span.user_id == span.online_class.teacher_id,
    }


def message_payload(message: ClassMessage) -> dict:
    """A chat message of a class as its live event and the page show it."""
    return {
        "id": message.pk,
        "class": message.online_class_id,
        "author": message.author_id,
        **names(message.author, "author_name"),
        "text": message.text,
        "created_at": message.created_at.isoformat(),
    }


def recent_messages(online_class: OnlineClass, limit: int = 50) -> list[ClassMessage]:
    """The last `limit` chat messages of the class, oldest first."""
    newest = ClassMessage.objects.filter(online_class=online_class).select_related("author")
    return list(reversed(newest.order_by("-pk")[:limit]))


def attendance_proposal(online_class: OnlineClass) -> dict[int, str]:
    """student id -> present / late / absent, from the class's spans.

    Present: first joined within LATE_AFTER of the start; late: joined later;
    absent: never joined. Students are those of the group today.
    """
    started = online_class.started_at or timezone.now()
    first_join: dict[int, object] = {}
    for user_id, joined in (
        Participation.objects.filter(online_class=online_class)
        .order_by("joined_at")
        .values_list("user_id", "joined_at")
    ):
        first_join.setdefault(user_id, joined)
    proposal = {}
    for student in lesson_students(online_class.lesson):
        joined = first_join.get(student.user_id)
        if joined is None:
            proposal[student.pk] = AttendanceMark.ABSENT.value
        elif joined - started <= LATE_AFTER:
            proposal[student.pk] = AttendanceMark.PRESENT.value
        else:
            proposal[student.pk] = AttendanceMark.LATE.value
    return proposal


@dataclass(frozen=True)
class AttendanceRow:
    """A line of the confirmation page: the student, the proposal and the journal's cell."""

    student: Student
    proposed: str
    current: str | None
    version: int


def attendance_rows(online_class: OnlineClass) -> list[AttendanceRow]:
    """The proposal of an ended class beside the journal's current cells, by name."""
    proposal = {int(k): v for k, v in (online_class.attendance_proposal or {}).items()}
    students = lesson_students(online_class.lesson)
    cells = {
        a.student_id: a
        for a in Attendance.objects.filter(lesson=online_class.lesson, student__in=students)
    }
    return [
        AttendanceRow(
            student=s,
            proposed=proposal.get(s.pk, AttendanceMark.ABSENT.value),
            current=cells[s.pk].mark if s.pk in cells else None,
            version=cells[s.pk].version if s.pk in cells else 0,
        )
        for s in students
    ]
