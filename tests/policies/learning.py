"""Distance learning (DL-1…DL-4, TC-4, TC-5, SC-2): My courses, the course page, its
content, assignments, submissions and their files.

cast.teacher's e-course of group A (faculty A) is read by its teacher, by the
students studying in group A (student, other_student), by deanery A (VIEW on
learning over its faculty) and institution-wide by the administrator and the
vice-rector (who also read its analytics; the students never do); it is written by its teacher and the administrator (the
distance-learning office is not in the cast). Deanery B, the curator (no
learning rights) and the parent are refused. A submission is read by its
student and the readers of the course who are not its students.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from hub.learning import actions
from hub.learning.models import ECourse
from tests.conftest import enrol_cast
from tests.grades_objects import autumn_term, graded_course, plan_line
from tests.policy import EVERYONE, Policy

WRITERS = frozenset({"teacher", "admin"})
OFFICE_READERS = frozenset({"teacher", "deanery_a", "admin", "vice_rector"})
READERS = OFFICE_READERS | {"student", "other_student"}
SUBMISSION_READERS = OFFICE_READERS | {"student"}
STUDENTS = frozenset({"student", "other_student"})
# The analytics (DL-6): every teacher (of their own courses) and every office reading
# learning somewhere (each deanery over its faculty); never students.
ANALYTICS_READERS = frozenset(
    {"teacher", "other_teacher", "deanery_a", "deanery_b", "admin", "vice_rector"}
)

POLICY = {
    "learning:courses": Policy(EVERYONE),
    "learning:course": Policy(READERS, kwargs="ecourse"),
    "learning:syllabus": Policy(WRITERS, kwargs="ecourse"),
    "learning:section-create": Policy(WRITERS, kwargs="ecourse"),
    "learning:section-edit": Policy(WRITERS, kwargs="section"),
    "learning:section-delete": Policy(WRITERS, ok=(302,), method="post", kwargs="section"),
    "learning:material-create": Policy(WRITERS, kwargs="section"),
    "learning:material-file": Policy(READERS, kwargs="material"),
    "learning:material-delete": Policy(WRITERS, ok=(302,), method="post", kwargs="material"),
    "learning:assignment-create": Policy(WRITERS, kwargs="ecourse"),
    "learning:assignment": Policy(READERS, kwargs="assignment"),
    # An empty body: the form again with what is missing (other_student), or the work
    # resent with its files kept (student, who has sent it already).
    "learning:assignment-submit": Policy(
        STUDENTS, ok=(200, 302), method="post", kwargs="assignment", data={}
    ),
    "learning:submissions-zip": Policy(OFFICE_READERS, kwargs="assignment"),
    "learning:assignment-file": Policy(READERS, kwargs="assignment_file"),
    "learning:submission": Policy(SUBMISSION_READERS, kwargs="submission"),
    "learning:submission-file": Policy(SUBMISSION_READERS, kwargs="submission_file"),
    "learning:analytics": Policy(ANALYTICS_READERS),
    # One course's analytics: its readers who are not its students.
    "learning:course-analytics": Policy(OFFICE_READERS, kwargs="ecourse"),
}


def _file(name: str, content: bytes) -> ContentFile:
    return ContentFile(content, name=name)


def objects(cast, university) -> dict[str, dict]:
    enrol_cast(cast, university)
    term = autumn_term(2033)
    line = plan_line(university.group_a, term, code="LRN-P")
    graded_course(university.group_a, term, line, teacher=cast.teacher)
    actions.ecourses_sync()
    ecourse = ECourse.objects.get(term=term, discipline=line.discipline)
    section = actions.section_create(by=cast.teacher, ecourse=ecourse, title_en="Week 1")
    pdf = b"%PDF-1.4\n%%EOF\n"
    material = actions.material_add(
        by=cast.teacher, section=section, kind="file", title_en="Lecture",
        file=_file("lecture.pdf", pdf),
    )  # fmt: skip
    assignment = actions.assignment_give(
        by=cast.teacher, ecourse=ecourse, title_en="Essay",
        deadline=timezone.now() + timedelta(days=30), max_score=10,
        files=[_file("task.pdf", pdf)],
    )  # fmt: skip
    submission = actions.submission_submit(
        by=cast.student, assignment=assignment, text="My essay", files=[_file("essay.pdf", pdf)]
    )
    return {
        "ecourse": {"ecourse_id": ecourse.pk},
        "section": {"section_id": section.pk},
        "material": {"material_id": material.pk},
        "assignment": {"assignment_id": assignment.pk},
        "assignment_file": {"file_id": assignment.files.get().pk},
        "submission": {"submission_id": submission.pk},
        "submission_file": {"file_id": submission.files.get().pk},
    }
