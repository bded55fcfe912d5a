"""Analytics of distance learning (DL-6): how full each e-course is and how its work goes.

For each e-course: the OMK completeness (sections holding at least one
material against the sections planned, and the materials by kind), the
assignments given, the submissions, the submission rate (the students of each
assignment's audience today who have sent it, against that audience), the
on-time rate (submissions not marked late, against those sent), the teacher's
checking delay (from the last sending to the score, median and mean), the
students who have never opened the course and those behind (no work sent for
an assignment past its deadline). Courses add up per teacher and per faculty.

`course_figures` reads any number of e-courses in a constant number of
queries (one per kind of row) and does the arithmetic in Python; it writes
nothing (the visits it counts are recorded by actions.course_visit_record).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from academic.grades.models import Course
from academic.records.models import Status, StudentState
from academic.records.selectors import covering
from academic.structure.models import Faculty
from hub.learning.models import (
    Assignment,
    CourseVisit,
    ECourse,
    Material,
    MaterialKind,
    Section,
    Submission,
    SubmissionStatus,
)

ONE_PLACE = Decimal("0.1")


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in per cent to one decimal place; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def hours(delta: timedelta | None) -> Decimal | None:
    """A delay in hours to one decimal place (for tables and exports)."""
    if delta is None:
        return None
    return (Decimal(delta.total_seconds()) / 3600).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass
class AssignmentFigures:
    """One assignment's work: its audience today, who sent, on time, checked."""

    assignment: Assignment
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    checked: int = 0
    delays: list[timedelta] = field(default_factory=list)

    @property
    def submission_rate(self) -> Decimal | None:
        return percent(self.submitted, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.submitted)

    @property
    def delay_median(self) -> timedelta | None:
        return statistics.median(self.delays) if self.delays else None

    @property
    def delay_median_hours(self) -> Decimal | None:
        return hours(self.delay_median)


@dataclass
class Figures:
    """Figures that add up: those of one e-course, or of a teacher's or a faculty's courses."""

    courses: int = 0
    students: int = 0
    sections: int = 0
    sections_filled: int = 0
    sections_planned: int = 0
    materials: Counter = field(default_factory=Counter)
    assignments: int = 0
    submissions: int = 0
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    checked: int = 0
    delays: list[timedelta] = field(default_factory=list)
    not_opened_count: int = 0
    behind_count: int = 0

    def add(self, other: Figures) -> None:
        for name in (
            "courses", "students", "sections", "sections_filled", "sections_planned",
            "assignments", "submissions", "expected", "submitted", "on_time", "checked",
            "not_opened_count", "behind_count",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.materials.update(other.materials)
        self.delays.extend(other.delays)

    @property
    def completeness(self) -> Decimal | None:
        """Sections with a material against the sections planned, per cent."""
        return percent(self.sections_filled, self.sections_planned)

    @property
    def materials_total(self) -> int:
        return sum(self.materials.values())

    def materials_of(self, kind: str) -> int:
        return self.materials.get(kind, 0)

    @property
    def materials_by_kind(self) -> list[tuple[str, int]]:
        return [(label, self.materials.get(kind, 0)) for kind, label in MaterialKind.choices]

    @property
    def submission_rate(self) -> Decimal | None:
        return percent(self.submitted, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.submitted)

    @property
    def delay_median(self) -> timedelta | None:
        return statistics.median(self.delays) if self.delays else None

    @property
    def delay_mean(self) -> timedelta | None:
        if not self.delays:
            return None
        return sum(self.delays, timedelta()) / len(self.delays)

    @property
    def delay_median_hours(self) -> Decimal | None:
        return hours(self.delay_median)

    @property
    def delay_mean_hours(self) -> Decimal | None:
        return hours(self.delay_mean)


@dataclass
class CourseFigures(Figures):
    """One e-course's figures, with its stream, its assignments and the students to follow."""

    ecourse: ECourse | None = None
    group_names: list[str] = field(default_factory=list)
    faculty_ids: set[int] = field(default_factory=set)
    assignment_rows: list[AssignmentFigures] = field(default_factory=list)
    not_opened: list[int] = field(default_factory=list)  # student ids
    behind: dict[int, int] = field(default_factory=dict)  # student id → assignments missed

    @property
    def worst_first_key(self) -> tuple:
        # No assignment given or nothing uploaded counts as 0 %: a course with no work
        # at all is what a deanery most needs to see.
        return (
            self.submission_rate or 0,
            self.completeness or 0,
            self.ecourse.discipline.code,
            self.ecourse.pk,
        )


@dataclass
class Summary(Figures):
    """The figures of several e-courses under one label (a teacher, a faculty)."""

    label: str = ""
    key: int | None = None


def _stream_key(row) -> tuple[int, int, int]:
    return (row[0], row[1], row[2])


def course_figures(ecourses: QuerySet[ECourse]) -> list[CourseFigures]:
    """The figures of every e-course of `ecourses`, in the queryset's order.

    Ten queries whatever the number of courses, assignments or students: the
    e-courses, their stream courses, the students studying today in their
    groups, sections, materials by kind, assignments, their groups, their
    chosen students, submissions and visits.
    """
    rows = list(ecourses.select_related("term__academic_year", "discipline", "teacher"))
    if not rows:
        return []
    ids = ecourses.values("pk")
    now = timezone.now()
    figures = {row.pk: CourseFigures(ecourse=row, courses=1) for row in rows}
    by_stream = {(row.term_id, row.discipline_id, row.teacher_id): figures[row.pk] for row in rows}

    stream_courses = Course.objects.filter(
        Exists(
            ECourse.objects.filter(
                pk__in=ids,
                term_id=OuterRef("term_id"),
                discipline_id=OuterRef("discipline_id"),
                teacher_id=OuterRef("teacher_id"),
            )
        )
    )
    groups_of: dict[int, set[int]] = defaultdict(set)  # e-course id → group ids
    weeks: dict[int, int] = defaultdict(int)
    for row in stream_courses.values_list(
        "term_id", "discipline_id", "teacher_id", "group_id", "group__name", "line__weeks",
        "group__specialty__department__faculty_id",
    ).order_by("group__name"):  # fmt: skip
        item = by_stream.get(_stream_key(row))
        if item is None:
            continue
        groups_of[item.ecourse.pk].add(row[3])
        item.group_names.append(row[4])
        # A section a week is the plan of an OMK: the longest of the stream's lines.
        weeks[item.ecourse.pk] = max(weeks[item.ecourse.pk], row[5] or 0)
        if row[6] is not None:
            item.faculty_ids.add(row[6])

    students_of_group: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for group_id, student_id, user_id in (
        StudentState.objects.filter(
            covering(timezone.localdate()),
            status=Status.STUDYING,
            group_id__in=stream_courses.values("group_id"),
        )
        .values_list("group_id", "student_id", "student__user_id")
        .order_by("student__user__last_name", "student__user__first_name", "pk")
    ):
        students_of_group[group_id].append((student_id, user_id))

    for pk, count in (
        Section.objects.filter(ecourse__in=ids)
        .annotate(n=Count("materials"))
        .values_list("ecourse_id", "n")
    ):
        figures[pk].sections += 1
        figures[pk].sections_filled += 1 if count else 0
    for pk, kind, count in (
        Material.objects.filter(section__ecourse__in=ids)
        .values_list("section__ecourse_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        figures[pk].materials[kind] += count

    assignments = list(
        Assignment.objects.filter(ecourse__in=ids)
        .only("pk", "ecourse_id", "deadline", "title_ky", "title_ru", "title_en", "max_score")
        .order_by("deadline", "pk")
    )
    audience_groups: dict[int, set[int]] = defaultdict(set)
    for assignment_id, group_id in Assignment.groups.through.objects.filter(
        assignment__ecourse__in=ids
    ).values_list("assignment_id", "group_id"):
        audience_groups[assignment_id].add(group_id)
    audience_students: dict[int, set[int]] = defaultdict(set)
    for assignment_id, student_id in Assignment.students.through.objects.filter(
        assignment__ecourse__in=ids
    ).values_list("assignment_id", "student_id"):
        audience_students[assignment_id].add(student_id)
    sent: dict[int, dict[int, tuple]] = defaultdict(dict)  # assignment → student → row
    for assignment_id, student_id, *rest in Submission.objects.filter(
        assignment__ecourse__in=ids
    ).values_list("assignment_id", "student_id", "late", "submitted_at", "checked_at", "status"):
        sent[assignment_id][student_id] = tuple(rest)
    opened: dict[int, set[int]] = defaultdict(set)
    for pk, user_id in CourseVisit.objects.filter(ecourse__in=ids).values_list(
        "ecourse_id", "user_id"
    ):
        opened[pk].add(user_id)

    # The students of each e-course: (student id, group id), in name order.
    members: dict[int, list[tuple[int, int, int]]] = {}
    for pk, item in figures.items():
        members[pk] = [
            (student_id, user_id, group_id)
            for group_id in groups_of[pk]
            for student_id, user_id in students_of_group[group_id]
        ]
        item.students = len(members[pk])
        item.sections_planned = max(weeks[pk], item.sections)
        item.not_opened = [s for s, u, _g in members[pk] if u not in opened[pk]]
        item.not_opened_count = len(item.not_opened)

    missed: dict[int, Counter] = defaultdict(Counter)
    for assignment in assignments:
        item = figures[assignment.ecourse_id]
        row = AssignmentFigures(assignment)
        groups, chosen = audience_groups[assignment.pk], audience_students[assignment.pk]
        work = sent[assignment.pk]
        for student_id, _user_id, group_id in members[assignment.ecourse_id]:
            if (groups or chosen) and group_id not in groups and student_id not in chosen:
                continue
            row.expected += 1
            submission = work.get(student_id)
            if submission is None:
                if assignment.deadline < now:
                    missed[assignment.ecourse_id][student_id] += 1
                continue
            late, submitted_at, checked_at, status = submission
            row.submitted += 1
            row.on_time += 0 if late else 1
            # A check of an earlier sending is no check of the work as it stands.
            if status == SubmissionStatus.CHECKED and checked_at and checked_at >= submitted_at:
                row.checked += 1
                row.delays.append(checked_at - submitted_at)
        item.assignment_rows.append(row)
        item.assignments += 1
        item.submissions += len(work)
        item.expected += row.expected
        item.submitted += row.submitted
        item.on_time += row.on_time
        item.checked += row.checked
        item.delays.extend(row.delays)

    for pk, item in figures.items():
        order = {student_id: i for i, (student_id, _u, _g) in enumerate(members[pk])}
        item.behind = dict(sorted(missed[pk].items(), key=lambda pair: order.get(pair[0], 0)))
        item.behind_count = len(item.behind)
    return [figures[row.pk] for row in rows]


def worst_first(items: Iterable[CourseFigures]) -> list[CourseFigures]:
    """Courses by submission rate, then completeness, lowest first."""
    return sorted(items, key=lambda item: item.worst_first_key)


def by_teacher(items: Iterable[CourseFigures]) -> list[Summary]:
    """The courses added up per teacher, by the teachers' names."""
    summaries: dict[int, Summary] = {}
    for item in items:
        teacher = item.ecourse.teacher
        summary = summaries.get(teacher.pk)
        if summary is None:
            label = teacher.get_full_name() or teacher.get_username()
            summary = summaries[teacher.pk] = Summary(label=label, key=teacher.pk)
        summary.add(item)
    return sorted(summaries.values(), key=lambda s: (s.label, s.key))


def by_faculty(
    items: Iterable[CourseFigures], *, faculty_ids: set[int] | None = None
) -> list[Summary]:
    """The courses added up per faculty of their groups (a course teaching groups of two
    faculties counts in both), worst submission rate first; `faculty_ids` keeps only those
    faculties (a deanery's)."""
    items = list(items)
    wanted = set().union(*(item.faculty_ids for item in items)) if items else set()
    if faculty_ids is not None:
        wanted &= faculty_ids
    names = {f.pk: f.name for f in Faculty.objects.filter(pk__in=wanted)} if wanted else {}
    summaries = {pk: Summary(label=name, key=pk) for pk, name in names.items()}
    for item in items:
        for pk in item.faculty_ids & wanted:
            summaries[pk].add(item)
    return sorted(
        summaries.values(), key=lambda s: (s.submission_rate or 0, s.completeness or 0, s.label)
    )


def analytics_search(ecourses: QuerySet[ECourse], *, query: str = "", term=None):
    """`ecourses` whose discipline (name or code) or teacher's name contains `query`, of `term`."""
    if term is not None:
        ecourses = ecourses.filter(term=term)
    for word in query.split():
        ecourses = ecourses.filter(
            Q(discipline__code__icontains=word)
            | Q(discipline__name_ky__icontains=word)
            | Q(discipline__name_ru__icontains=word)
            | Q(discipline__name_en__icontains=word)
            | Q(teacher__last_name__icontains=word)
            | Q(teacher__first_name__icontains=word)
            | Q(teacher__last_name_latin__icontains=word)
            | Q(teacher__first_name_latin__icontains=word)
        )
    return ecourses


def chart_data(items: Iterable[CourseFigures], titles: dict[str, str]) -> dict:
    """What the bar charts draw: submission and on-time rates per course."""
    items = list(items)
    return {
        "labels": [f"{i.ecourse.discipline.code} · {i.ecourse.teacher.last_name}" for i in items],
        "submission_rate": [_number(item.submission_rate) for item in items],
        "on_time_rate": [_number(item.on_time_rate) for item in items],
        "titles": titles,
    }


def assignment_chart_data(item: CourseFigures, titles: dict[str, str]) -> dict:
    """What the bar charts of one course draw: submission and on-time rates per assignment."""
    rows = item.assignment_rows
    return {
        "labels": [row.assignment.title for row in rows],
        "submission_rate": [_number(row.submission_rate) for row in rows],
        "on_time_rate": [_number(row.on_time_rate) for row in rows],
        "titles": titles,
    }


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None
