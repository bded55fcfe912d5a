"""The electronic journal (TC-2, GB-2): course lists, the grid, cells, lessons, plans, My grades.

A course's journal is read by its teacher and by those reading grades over
its group (the curator of group 1, deanery A, the institution-wide offices),
and written by its teacher and those with EDIT on grades over the group
(deanery A, the administrator, the vice-rector). A student reads their own grades, a parent their child's.
"""

from __future__ import annotations

from datetime import date

from academic.grades.models import Lesson
from tests.conftest import enrol_cast
from tests.grades_objects import autumn_term, graded_course, plan_line
from tests.policy import Policy

# Teachers (their own courses) and offices reading grades (within their scope).
COURSE_LISTERS = frozenset(
    {
        "teacher",
        "other_teacher",
        "curator",
        "deanery_a",
        "deanery_b",
        "admin",
        "vice_rector",
        "records_office",
        "academic_affairs",
    }
)
# The journal of group 1's course taught by cast.teacher.
JOURNAL_READERS = frozenset(
    {
        "teacher",
        "curator",
        "deanery_a",
        "admin",
        "vice_rector",
        "records_office",
        "academic_affairs",
    }
)
# EDIT on grades over group 1: deanery A, and institution-wide the administrator and the
# vice-rector (whose APPROVE includes EDIT).
JOURNAL_WRITERS = frozenset({"teacher", "deanery_a", "admin", "vice_rector"})
# Own grades: the students with personal files, and the parent of cast.student.
OWN_GRADES = frozenset({"student", "other_student", "parent"})

POLICY = {
    "grades:journal-courses": Policy(COURSE_LISTERS),
    "grades:journal": Policy(JOURNAL_READERS, kwargs="journal_course"),
    "grades:journal-data": Policy(JOURNAL_READERS, kwargs="journal_course"),
    # An empty body: those let in are told what is missing (400).
    "grades:journal-cell": Policy(
        JOURNAL_WRITERS, method="post", ok=(400,), kwargs="journal_course", data={}
    ),
    "grades:journal-checkpoints": Policy(JOURNAL_WRITERS, kwargs="journal_course"),
    "grades:journal-lesson-create": Policy(JOURNAL_WRITERS, kwargs="journal_course"),
    "grades:journal-lesson-edit": Policy(JOURNAL_WRITERS, kwargs="journal_lesson"),
    "grades:journal-lesson-delete": Policy(JOURNAL_WRITERS, kwargs="journal_lesson"),
    # Made with the course, so the students have personal files (no URL kwargs).
    "grades:journal-my-grades": Policy(OWN_GRADES, kwargs="journal_people"),
    "grades:journal-my-course": Policy(OWN_GRADES, kwargs="journal_course"),
}


def objects(cast, university) -> dict[str, dict]:
    enrol_cast(cast, university)
    term = autumn_term(2033)
    line = plan_line(university.group_a, term, code="JRN-1")
    course = graded_course(
        university.group_a, term, line, teacher=cast.teacher,
        checkpoints=(("Module 1", 60), ("Exam", 40)),
    )  # fmt: skip
    module = course.checkpoints.get(order=1)
    lesson = Lesson.objects.create(
        course=course, date=date(2033, 10, 1), checkpoint=module, max_score=10
    )
    return {
        "journal_people": {},
        "journal_course": {"course_id": course.pk},
        "journal_lesson": {"course_id": course.pk, "lesson_id": lesson.pk},
    }
