"""Reads of distance learning, with the joins that keep each page's queries constant."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from academic.grades.models import Checkpoint, Course
from academic.records.models import Status, Student, StudentState
from academic.records.selectors import covering
from academic.structure.models import Group
from hub.learning.models import Assignment, ECourse, Material, Section, Submission
from hub.learning.permissions import assignment_is_for


def my_ecourses(visible: QuerySet[ECourse]) -> QuerySet[ECourse]:
    """The rows of "My courses": the visible e-courses with term, discipline and teacher."""
    return visible.select_related("term__academic_year", "discipline", "teacher").order_by(
        "-term__starts_on", "discipline__code", "pk"
    )


def stream_groups(ecourse: ECourse) -> list[Group]:
    """The groups of the e-course's stream, by name."""
    return list(
        Group.objects.filter(pk__in=ecourse.stream_courses().values("group_id")).order_by("name")
    )


def stream_states(ecourse: ECourse) -> QuerySet[StudentState]:
    """The states (student, group) of the students studying today in the stream's groups."""
    return (
        StudentState.objects.filter(
            covering(timezone.localdate()),
            status=Status.STUDYING,
            group_id__in=ecourse.stream_courses().values("group_id"),
        )
        .select_related("student__user", "group")
        .order_by("student__user__last_name", "student__user__first_name", "pk")
    )


def stream_students(ecourse: ECourse) -> list[Student]:
    """The students studying today in the stream's groups, by name."""
    return [state.student for state in stream_states(ecourse)]


def stream_checkpoints(ecourse: ECourse) -> QuerySet[Checkpoint]:
    """The checkpoints of the stream's courses, for choosing an assignment's target."""
    return (
        Checkpoint.objects.filter(course__in=ecourse.stream_courses())
        .select_related("course__group")
        .order_by("course__group__name", "order")
    )


def assignment_states(assignment: Assignment) -> list[StudentState]:
    """The states of the students the assignment is given to today (its audience)."""
    return [s for s in stream_states(assignment.ecourse) if assignment_is_for(assignment, s)]


def student_checkpoint(assignment: Assignment, group_id: int) -> Checkpoint | None:
    """Where a student of `group_id` scores for the assignment: the checkpoint of their
    group's course in the stream with the order of the assignment's checkpoint."""
    target = assignment.checkpoint
    if target is None:
        return None
    if target.course.group_id == group_id:
        return target
    ecourse = assignment.ecourse
    course = ecourse.stream_courses().filter(group_id=group_id).first()
    if course is None:
        return None
    return Checkpoint.objects.filter(course=course, order=target.order).first()


@dataclass
class CoursePage:
    """What the course page shows: sections with materials, assignments, the viewer's work."""

    sections: list[Section]
    assignments: list[Assignment]
    submissions: dict[int, Submission]


def course_page(ecourse: ECourse, *, student: Student | None, state=None) -> CoursePage:
    """The e-course's sections (with materials) and assignments in a constant number of queries.

    For a student (`student` and their `state`): only the assignments given to
    them, and their own submissions by assignment id.
    """
    sections = list(
        Section.objects.filter(ecourse=ecourse).prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("order", "pk"))
        )
    )
    assignments = assignment_rows(ecourse)
    submissions = {}
    if student is not None:
        assignments = [a for a in assignments if assignment_is_for(a, state)]
        submissions = {
            s.assignment_id: s
            for s in Submission.objects.filter(assignment__ecourse=ecourse, student=student)
        }
    return CoursePage(sections, assignments, submissions)


def assignment_rows(ecourse: ECourse) -> list[Assignment]:
    """The e-course's assignments with their audiences and checkpoints (constant queries)."""
    return list(
        Assignment.objects.filter(ecourse=ecourse)
        .select_related("checkpoint")
        .prefetch_related("groups", "students__user")
        .order_by("deadline", "pk")
    )


def submission_rows(assignment: Assignment) -> list[Submission]:
    """The submissions of an assignment with students and files, by the students' names."""
    return list(
        Submission.objects.filter(assignment=assignment)
        .select_related("student__user", "checked_by")
        .prefetch_related("files")
        .order_by("student__user__last_name", "student__user__first_name", "pk")
    )


def submission_of(assignment: Assignment, student: Student) -> Submission | None:
    """The student's submission of the assignment, with its files."""
    return (
        Submission.objects.filter(assignment=assignment, student=student)
        .prefetch_related("files")
        .select_related("checked_by")
        .first()
    )


def stream_courses(ecourse: ECourse) -> QuerySet[Course]:
    return ecourse.stream_courses().select_related("group")
