"""Online classes (DL-7, TC-8): the class page of a lesson, start, end, attendance to confirm.

A lesson of group A's course taught by cast.teacher: its teacher starts, ends
and confirms the attendance; the students of group A today (student,
other_student) see the class page and join. Everyone else, offices included,
is refused: a class is for its participants, the journal is where offices read
attendance.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from academic.grades.models import Lesson
from realtime.classes.models import ClassStatus, OnlineClass
from tests.conftest import enrol_cast
from tests.grades_objects import autumn_term, graded_course, plan_line
from tests.policy import Policy

TEACHER = frozenset({"teacher"})
PARTICIPANTS = frozenset({"teacher", "student", "other_student"})

POLICY = {
    "classes:lesson": Policy(PARTICIPANTS, kwargs="class_lesson"),
    # The class already runs: starting again comes back to it (302).
    "classes:start": Policy(TEACHER, ok=(302,), method="post", kwargs="class_lesson"),
    "classes:end": Policy(TEACHER, ok=(302,), method="post", kwargs="class_live"),
    "classes:attendance": Policy(TEACHER, kwargs="class_live"),
}


def objects(cast, university) -> dict[str, dict]:
    enrol_cast(cast, university)
    term = autumn_term(2034)
    line = plan_line(university.group_a, term, code="OCL-1")
    course = graded_course(university.group_a, term, line, teacher=cast.teacher)
    lesson = Lesson.objects.create(course=course, date=date(2034, 10, 1))
    live = OnlineClass.objects.create(
        lesson=lesson,
        teacher=cast.teacher,
        status=ClassStatus.LIVE,
        started_at=timezone.now(),
        provider="builtin",
    )
    return {"class_lesson": {"lesson_id": lesson.pk}, "class_live": {"class_id": live.pk}}
