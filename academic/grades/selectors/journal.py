"""Reads of the electronic journal: the grid, course lists and a student's own grades.

Each selector runs a fixed number of queries whatever the number of students,
lessons or courses (the tests pin them), so the journal of a large group
costs the same round trips as a small one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import repeat
from typing import NamedTuple

from django.db.backends.utils import CursorWrapper
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from academic.grades.calendar import Window, closed_reason, journal_window
from academic.grades.models import Attendance, Checkpoint, Course, Lesson, LessonKind, Score
from academic.grades.scoring import checkpoint_totals
from academic.grades.selectors.compiled import Statement, reading
from academic.grades.selectors.sheets import CheckpointRow, calendar_rows, checkpoint_rows
from academic.records.models import Status, Student, StudentState
from academic.structure.models import Term
from hub.accounts.models import full_name

# The keys a teacher types for each attendance mark (Cyrillic keys are mapped in the browser).
MARK_LETTERS = {"present": "p", "absent": "a", "late": "l", "excused": "e"}

# --- The grid ---------------------------------------------------------------------------


ZERO = Decimal(0)


class Cell(NamedTuple):
    """One journal cell: the attendance mark and the score, each with its version (0: empty).

    A tuple: the grid holds 800 of them, each made in one step and read only
    (a cell off the student's roll is a copy with on_roll False).
    """

    mark: str = ""
    mark_version: int = 0
    score: Decimal | None = None
    score_version: int = 0
    on_roll: bool = True

    @property
    def letter(self) -> str:
        """The key typed for the mark in the grid (p, a, l, e)."""
        return MARK_LETTERS.get(self.mark, "")


# The cell of a lesson with neither mark nor score (shared: cells are immutable).
EMPTY = Cell()


@dataclass(slots=True)
class GridStudent:
    """A student as the grid shows them: id, record number and full name (no model instances)."""

    pk: int
    record_number: str
    full_name: str

    @property
    def id(self) -> int:
        return self.pk


@dataclass(slots=True)
class GridLesson:
    """A lesson as the grid shows it: a column (no model instance)."""

    pk: int
    date: date
    kind: str
    topic: str
    checkpoint_id: int | None
    max_score: int
    checkpoint: CheckpointRow | None = None

    @property
    def id(self) -> int:
        return self.pk

    def get_kind_display(self) -> str:
        return str(LessonKind(self.kind).label)


_LESSON_FIELDS = ("pk", "date", "kind", "topic", "checkpoint_id", "max_score")
# The grid's reads, compiled once (compiled.py): the journal is the teachers' hot page.
_LESSONS = Statement(
    Lesson,
    lambda course_id: (
        Lesson.objects.filter(course_id=course_id).order_by().values_list(*_LESSON_FIELDS)
    ),
)
_STATES = Statement(
    StudentState,
    lambda group_id, status: (
        StudentState.objects.filter(group_id=group_id, status=status)
        .order_by("valid_from", "pk")
        .values_list(
            "student_id", "valid_from", "valid_to", "student__record_number",
            "student__user__last_name", "student__user__first_name", "student__user__patronymic",
        )
    ),
)  # fmt: skip


@dataclass
class GridRow:
    """A student of the grid: their periods in the group during the term, cells and totals."""

    student: GridStudent
    periods: list[tuple[date, date | None]]
    cells: list[tuple[GridLesson, Cell]] = field(default_factory=list)
    checkpoint_totals: list[tuple[CheckpointRow, Decimal]] = field(default_factory=list)
    total: Decimal = Decimal(0)

    @property
    def joined_on(self) -> date:
        return self.periods[0][0]

    @property
    def left_on(self) -> date | None:
        """The day they stopped studying in the group (None: still there)."""
        return self.periods[-1][1]

    def on_roll(self, on: date) -> bool:
        return any(start <= on and (end is None or on < end) for start, end in self.periods)


@dataclass
class ColumnGroup:
    """Lessons counting towards one checkpoint (None: attendance only)."""

    checkpoint: CheckpointRow | None
    lessons: list[GridLesson]


@dataclass
class Grid:
    course: Course
    checkpoints: list[CheckpointRow]
    groups: list[ColumnGroup]
    lessons: list[GridLesson]
    rows: list[GridRow]
    window: Window
    closed: str | None  # why nothing may be entered today, or None


def group_periods_in_term(group_id: int, term: Term) -> dict[int, list[tuple[date, date | None]]]:
    """Student id → their periods of study in the group overlapping `term`, oldest first (one query)."""
    states = (
        StudentState.objects.filter(
            group_id=group_id,
            status=Status.STUDYING,
            valid_from__lte=term.ends_on,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=term.starts_on))
        .order_by("valid_from", "pk")
        .values_list("student_id", "valid_from", "valid_to")
    )
    periods: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for student_id, start, end in states:
        periods[student_id].append((start, end))
    return periods


def _column_order(lesson: GridLesson) -> tuple:
    order = lesson.checkpoint.order if lesson.checkpoint_id else 10_000
    return (order, lesson.date, lesson.pk)


def _cell_rows(course_id: int, cursor: CursorWrapper) -> list[tuple]:
    """The course's journal cells and checkpoint sums, as plain tuples (one query).

    Rows are (is_sum, student, lesson or checkpoint, mark, mark version, score
    as text, score version): a cell row per student and lesson with a mark or
    a score (the mark and the score paired by the database on their unique
    lesson-and-student keys), then a sum row per student and checkpoint with
    every score towards it (lessons, tests, assignments). The grid is the
    journal's hot page: the database pairs and adds up faster than Python,
    and one hand-written statement fetched straight from the cursor costs a
    fraction of querysets' compilation and per-row converters.
    """
    attendance, lesson = Attendance._meta.db_table, Lesson._meta.db_table
    score, checkpoint = Score._meta.db_table, Checkpoint._meta.db_table
    sql = f"""
        SELECT 0, a.student_id, a.lesson_id, a.mark, a.version,
               CAST(s.value AS TEXT), COALESCE(s.version, 0)
          FROM {attendance} a
          JOIN {lesson} l ON l.id = a.lesson_id
          LEFT JOIN {score} s ON s.lesson_id = a.lesson_id AND s.student_id = a.student_id
         WHERE l.course_id = %s
        UNION ALL
        SELECT 0, s.student_id, s.lesson_id, '', 0, CAST(s.value AS TEXT), s.version
          FROM {score} s
          JOIN {lesson} l ON l.id = s.lesson_id
         WHERE l.course_id = %s
           AND NOT EXISTS (
               SELECT 1 FROM {attendance} a
                WHERE a.lesson_id = s.lesson_id AND a.student_id = s.student_id
           )
        UNION ALL
        SELECT 1, s.student_id, s.checkpoint_id, '', 0, CAST(ROUND(SUM(s.value), 2) AS TEXT), 0
          FROM {score} s
          JOIN {checkpoint} c ON c.id = s.checkpoint_id
         WHERE c.course_id = %s
         GROUP BY s.student_id, s.checkpoint_id
    """  # noqa: S608 — table names come from the models, the values are parameters
    cursor.execute(sql, [course_id, course_id, course_id])
    return cursor.fetchall()


# A student with no cells or no points (read only).
_NONE: dict = {}


def _course_cells(
    course_id: int, checkpoints: list[CheckpointRow], cursor: CursorWrapper
) -> tuple[dict[int, dict[int, Cell]], dict[int, dict[int, Decimal]]]:
    """Student id → lesson id → cell, and student id → checkpoint id → capped points (one query).

    Built in one pass over _cell_rows, keyed by student first: a row of the
    grid then looks its cells up by lesson alone. Cells are immutable and a
    journal repeats a few of them hundreds of times (present, version 1,
    the same few scores), so equal cells are one object, made and its score
    parsed on first sight: most of the grid's cells then cost a lookup.
    """
    made: dict[tuple, Cell] = {}
    maximum = {c.pk: Decimal(c.max_score) for c in checkpoints}
    cells: dict[int, dict[int, Cell]] = defaultdict(dict)
    totals: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for is_sum, student_id, key, mark, mark_version, score, score_version in _cell_rows(
        course_id, cursor
    ):
        if is_sum:
            # Every score towards the checkpoint (tests and assignments too), capped at its maximum.
            totals[student_id][key] = min(Decimal(score), maximum[key])
            continue
        values = (mark, mark_version, score, score_version)
        cell = made.get(values)
        if cell is None:
            parsed = None if score is None else Decimal(score)
            cell = made[values] = Cell(mark, mark_version, parsed, score_version)
        cells[student_id][key] = cell
    return cells, totals


def _grid_students(
    course: Course, cursor: CursorWrapper
) -> tuple[list[GridStudent], dict[int, list]]:
    """The students of the course's group during its term, by name, and their periods (one query).

    Every study period of the group is read (a group holds a few dozen) and those
    overlapping the term kept here: the statement then takes only ids.
    """
    term = course.term
    periods: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    names: dict[int, tuple] = {}
    for student_id, start, end, number, last, first, patronymic in _STATES.rows(
        course.group_id, Status.STUDYING, make=tuple, cursor=cursor
    ):
        if start > term.ends_on or (end is not None and end <= term.starts_on):
            continue
        periods[student_id].append((start, end))
        names[student_id] = (last, first, student_id, number, full_name(last, first, patronymic))
    students = [
        GridStudent(pk, number, name) for _l, _f, pk, number, name in sorted(names.values())
    ]
    return students, periods


def journal_grid(course: Course) -> Grid:
    """The journal of `course`: students of its group during the term × its lessons.

    Rows are the students who studied in the group at some time in the term
    (a student who left shows, their cells after leaving are off the roll);
    columns are lessons grouped by checkpoint, in date order. Each row has
    its checkpoint totals (capped, every source counted) and total. Five
    queries whatever the size (with the calendar's periods).
    """
    with reading(Lesson) as cursor:  # one cursor for the five statements
        checkpoints = checkpoint_rows(course.pk, cursor=cursor)
        lessons = _LESSONS.rows(course.pk, make=lambda values: GridLesson(*values), cursor=cursor)
        students, periods = _grid_students(course, cursor)
        cells, totals = _course_cells(course.pk, checkpoints, cursor)
        periods_of_term = calendar_rows(course, cursor=cursor)
    by_checkpoint = {c.pk: c for c in checkpoints}
    for lesson in lessons:
        lesson.checkpoint = by_checkpoint.get(lesson.checkpoint_id)
    lessons.sort(key=_column_order)
    groups: list[ColumnGroup] = []
    for lesson in lessons:
        if not groups or groups[-1].checkpoint != lesson.checkpoint:
            groups.append(ColumnGroup(lesson.checkpoint, []))
        groups[-1].lessons.append(lesson)

    term = course.term
    lesson_ids = [lesson.pk for lesson in lessons]
    rows = []
    for student in students:
        student_id = student.pk
        row = GridRow(student, periods[student_id])
        own = cells.get(student_id, _NONE)
        # The student's cell of each lesson in column order (EMPTY where none), paired in one pass.
        row.cells = list(zip(lessons, map(own.get, lesson_ids, repeat(EMPTY)), strict=True))
        # Most students study the whole term in one period: every lesson is on their roll.
        whole_term = (
            len(row.periods) == 1
            and row.joined_on <= term.starts_on
            and (row.left_on is None or row.left_on > term.ends_on)
        )
        if not whole_term:
            row.cells = [
                (lesson, cell if row.on_roll(lesson.date) else cell._replace(on_roll=False))
                for lesson, cell in row.cells
            ]
        own_totals = totals.get(student_id, _NONE)
        row.checkpoint_totals = [(c, own_totals.get(c.pk, ZERO)) for c in checkpoints]
        row.total = sum((points for _c, points in row.checkpoint_totals), ZERO)
        rows.append(row)
    window = journal_window(course, periods_of_term)
    return Grid(
        course=course,
        checkpoints=checkpoints,
        groups=groups,
        lessons=lessons,
        rows=rows,
        window=window,
        closed=closed_reason(window, timezone.localdate()),
    )


def _points(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def grid_payload(grid: Grid) -> dict:
    """The grid's cells and totals as JSON data, for a browser that resynchronises."""
    return {
        "course": grid.course.pk,
        "rows": [
            {
                "student": row.student.pk,
                "cells": {
                    str(lesson.pk): {
                        "mark": cell.mark,
                        "mark_version": cell.mark_version,
                        "score": _points(cell.score),
                        "score_version": cell.score_version,
                    }
                    for lesson, cell in row.cells
                    if cell.mark_version or cell.score_version
                },
                "totals": {str(c.pk): _points(points) for c, points in row.checkpoint_totals},
                "total": _points(row.total),
            }
            for row in grid.rows
        ],
    }


def lesson_of_course(course: Course, lesson_id) -> Lesson | None:
    """The lesson `lesson_id` if it is a column of `course`'s journal, else None."""
    try:
        lesson_id = int(lesson_id)
    except (TypeError, ValueError):
        return None
    lesson = Lesson.objects.filter(pk=lesson_id, course=course).first()
    if lesson is not None:
        lesson.course = course
    return lesson


def student_of_group(student_id) -> Student | None:
    """The student `student_id` with their account (None for a bad id)."""
    try:
        student_id = int(student_id)
    except (TypeError, ValueError):
        return None
    return Student.objects.select_related("user").filter(pk=student_id).first()


# --- Lists of courses ------------------------------------------------------------------------


def current_term(on: date | None = None) -> Term | None:
    """The term covering `on` (today), else the latest one begun before it, else the first."""
    on = on or timezone.localdate()
    terms = Term.objects.select_related("academic_year")
    return (
        terms.filter(starts_on__lte=on, ends_on__gte=on).first()
        or terms.filter(starts_on__lte=on).order_by("-starts_on").first()
        or terms.order_by("starts_on").first()
    )


def course_rows(
    courses: QuerySet[Course], *, term: int | None = None, group: str = "", q: str = ""
) -> QuerySet[Course]:
    """`courses` filtered by term, group name and discipline/teacher text, with what a list shows."""
    if term:
        courses = courses.filter(term_id=term)
    if group.strip():
        courses = courses.filter(group__name__icontains=group.strip())
    for word in q.split():
        courses = courses.filter(
            Q(discipline__name_ky__icontains=word)
            | Q(discipline__name_ru__icontains=word)
            | Q(discipline__name_en__icontains=word)
            | Q(discipline__code__icontains=word)
            | Q(teacher__last_name__icontains=word)
        )
    return courses.select_related("term__academic_year", "group", "discipline", "teacher").order_by(
        "-term__starts_on", "group__name", "discipline__code", "pk"
    )


# --- A student's own grades ------------------------------------------------------------------


@dataclass
class CourseSummary:
    """One course on a student's "My grades": totals and attendance counts."""

    course: Course
    checkpoint_totals: list[tuple[Checkpoint, Decimal]]
    total: Decimal
    attendance: dict[str, int]


def student_courses(student: Student, term: Term | None) -> list[Course]:
    """The courses of the groups `student` studied in during `term` (one query + checkpoints)."""
    if term is None:
        return []
    groups = (
        StudentState.objects.filter(student=student, valid_from__lte=term.ends_on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=term.starts_on))
        .values("group_id")
    )
    return list(
        Course.objects.filter(term=term, group_id__in=groups)
        .select_related("discipline", "teacher", "group")
        .prefetch_related("checkpoints")
        .order_by("discipline__code", "pk")
    )


def student_summaries(student: Student, courses: list[Course]) -> list[CourseSummary]:
    """Checkpoint totals, total and attendance counts of `student` in each course (two queries)."""
    checkpoints = [c for course in courses for c in course.checkpoints.all()]
    totals = checkpoint_totals(checkpoints, [student.pk])
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for course_id, mark, number in (
        Attendance.objects.filter(student=student, lesson__course__in=[c.pk for c in courses])
        .values("lesson__course_id", "mark")
        .annotate(number=Count("pk"))
        .values_list("lesson__course_id", "mark", "number")
    ):
        counts[course_id][mark] = number
    summaries = []
    for course in courses:
        points = [(c, totals.get((student.pk, c.pk), Decimal(0))) for c in course.checkpoints.all()]
        summaries.append(
            CourseSummary(
                course=course,
                checkpoint_totals=points,
                total=sum((p for _c, p in points), Decimal(0)),
                attendance=counts.get(course.pk, {}),
            )
        )
    return summaries


@dataclass
class OwnLesson:
    lesson: Lesson
    mark: str
    score: Decimal | None


@dataclass
class OwnCourse:
    """A student's own row of one course's journal, and their results from other modules."""

    summary: CourseSummary
    lessons: list[OwnLesson]
    other_scores: list[Score]


def student_course_detail(student: Student, course: Course) -> OwnCourse:
    """`student`'s row of `course`: each lesson's mark and score, other results, totals."""
    checkpoints = list(Checkpoint.objects.filter(course=course).order_by("order"))
    by_checkpoint = {c.pk: c for c in checkpoints}
    lessons = list(Lesson.objects.filter(course=course))
    marks = dict(
        Attendance.objects.filter(student=student, lesson__course=course).values_list(
            "lesson_id", "mark"
        )
    )
    scores = list(Score.objects.filter(student=student, checkpoint__course=course))
    by_lesson = {s.lesson_id: s.value for s in scores if s.lesson_id}
    others = [s for s in scores if s.lesson_id is None]
    for score in others:
        score.checkpoint = by_checkpoint[score.checkpoint_id]
    for lesson in lessons:
        lesson.checkpoint = by_checkpoint.get(lesson.checkpoint_id)
    capped: dict[int, Decimal] = defaultdict(Decimal)
    for score in scores:
        capped[score.checkpoint_id] += score.value
    points = [(c, min(capped.get(c.pk, Decimal(0)), Decimal(c.max_score))) for c in checkpoints]
    counts: dict[str, int] = defaultdict(int)
    for mark in marks.values():
        counts[mark] += 1
    summary = CourseSummary(
        course=course,
        checkpoint_totals=points,
        total=sum((p for _c, p in points), Decimal(0)),
        attendance=dict(counts),
    )
    own = [
        OwnLesson(lesson, marks.get(lesson.pk, ""), by_lesson.get(lesson.pk)) for lesson in lessons
    ]
    return OwnCourse(summary=summary, lessons=own, other_scores=others)
