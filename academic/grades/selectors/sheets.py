"""Reads of exam sheets, courses' sheets, change requests, debts and differences (GB-3, GB-4, GB-9).

Every selector here costs a fixed number of queries whatever the size of the
sheet or page: the sheet page, the deanery's list of sheets, the debts journal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from django.db.backends.utils import CursorWrapper
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from academic.curricula.models import ControlForm
from academic.grades.calendar import closed_reason, sheet_window
from academic.grades.models import (
    AcademicDifference,
    CalendarPeriod,
    Checkpoint,
    CheckpointKind,
    Course,
    Debt,
    DebtStatus,
    ExamSheet,
    RequestStatus,
    SheetChangeRequest,
    SheetLine,
    SheetStatus,
)
from academic.grades.selectors.compiled import Statement, reading
from academic.records.models import StudentState
from academic.records.selectors import covering
from academic.structure.models import Term
from hub.accounts.models import full_name

# The points of a coursework sheet: the whole grade is entered on it.
COURSEWORK_MAXIMUM = 100


def current_terms(on: date | None = None) -> QuerySet[Term]:
    """The terms running on `on` (today by default)."""
    on = on or timezone.localdate()
    return Term.objects.filter(starts_on__lte=on, ends_on__gte=on).select_related("academic_year")


class CheckpointRow(NamedTuple):
    """A checkpoint as the sheet reads it (final_maximum takes these or Checkpoint models)."""

    pk: int
    order: int
    name: str
    kind: str
    max_score: int


class PeriodRow(NamedTuple):
    """A period of the academic calendar as calendar.sheet_window reads it."""

    pk: int
    kind: str
    starts_on: date
    ends_on: date


def final_checkpoint(
    checkpoints: list[Checkpoint] | list[CheckpointRow],
) -> Checkpoint | CheckpointRow | None:
    """The final control of a course's checkpoints (the last one of kind final)."""
    finals = [c for c in checkpoints if c.kind == CheckpointKind.FINAL]
    return finals[-1] if finals else None


def final_maximum(sheet: ExamSheet, checkpoints: list[Checkpoint] | list[CheckpointRow]) -> int:
    """The highest score a line of `sheet` takes: the final checkpoint's (100 for coursework)."""
    if sheet.control_form == ControlForm.COURSEWORK:
        return COURSEWORK_MAXIMUM
    final = final_checkpoint(checkpoints)
    if final is not None:
        return final.max_score
    return max(0, 100 - sum(c.max_score for c in checkpoints))


class SheetRow(NamedTuple):
    """A line of a sheet as its page, export and form read it: plain values, no model instances.

    A tuple, built straight from the row the database returns (tests/bench/grades_sheet.py).
    """

    pk: int
    student_id: int
    left_on: date | None
    admitted: bool
    admission_note: str
    current_score: Decimal | None
    final_score: Decimal | None
    absent: bool
    total: Decimal | None
    letter: str
    mark: int | None
    passed: bool | None
    version: int
    record_number: str
    last_name: str
    first_name: str
    patronymic: str

    @property
    def name(self) -> str:
        """The student's full name in Cyrillic, as User.get_full_name gives it."""
        return full_name(self.last_name, self.first_name, self.patronymic)


@dataclass
class SheetView:
    """Everything the sheet page shows, read in a fixed number of queries."""

    sheet: ExamSheet
    lines: list[SheetRow]
    left: list[SheetRow]
    checkpoints: list[CheckpointRow]
    maximum: int
    window_problem: str | None
    blocks: dict[int, list[str]] = field(default_factory=dict)

    @property
    def filled(self) -> int:
        return sum(1 for line in self.lines if line_has_result(line))


def line_has_result(line: SheetLine | SheetRow) -> bool:
    """A line is done when it has a score, is marked absent, or the student is not admitted."""
    return line.final_score is not None or line.absent or not line.admitted


# The columns of a SheetRow, in its order.
_ROW_FIELDS = (
    "pk",
    "student_id",
    "left_on",
    "admitted",
    "admission_note",
    "current_score",
    "final_score",
    "absent",
    "total",
    "letter",
    "mark",
    "passed",
    "version",
    "student__record_number",
    "student__user__last_name",
    "student__user__first_name",
    "student__user__patronymic",
)

# The page's three statements, compiled once (see compiled.py). Each orders only
# by what varies inside one sheet, course or calendar: the models' own orderings
# start with the sheet, course or term, which would join their tables for nothing.
_LINES = Statement(
    SheetLine,
    lambda sheet_id: (
        SheetLine.objects.filter(sheet_id=sheet_id)
        .order_by("student__user__last_name", "student__user__first_name", "pk")
        .values_list(*_ROW_FIELDS)
    ),
)
_CHECKPOINTS = Statement(
    Checkpoint,
    lambda course_id: (
        Checkpoint.objects.filter(course_id=course_id)
        .order_by("order")
        .values_list(*CheckpointRow._fields)
    ),
)
_PERIODS = Statement(
    CalendarPeriod,
    lambda term_id, study_form: (
        CalendarPeriod.objects.filter(term_id=term_id, study_form=study_form)
        .order_by("starts_on", "pk")
        .values_list(*PeriodRow._fields)
    ),
)


def checkpoint_rows(course_id: int, *, cursor: CursorWrapper | None = None) -> list[CheckpointRow]:
    """The course's checkpoints in their order, as rows (one query, on `cursor` if given)."""
    return _CHECKPOINTS.rows(course_id, make=CheckpointRow, cursor=cursor)


def calendar_rows(course, *, cursor: CursorWrapper | None = None) -> list[PeriodRow]:
    """The periods of the course's term for its group's study form, as rows (one query)."""
    return _PERIODS.rows(course.term_id, course.group.study_form, make=PeriodRow, cursor=cursor)


def sheet_rows(sheet_id: int, *, cursor: CursorWrapper | None = None) -> list[SheetRow]:
    """Every line of a sheet (those who left too) by the students' names (one query)."""
    return _LINES.rows(sheet_id, make=SheetRow, cursor=cursor)


def sheet_view(sheet: ExamSheet, *, on: date | None = None) -> SheetView:
    """The sheet page's data: lines on the sheet, those who left, checkpoints, window (3 queries).

    `sheet` comes from permissions.access_sheet (its course, term and group
    selected). The lines are SheetRow values, not models. Changes nothing.
    """
    with reading(SheetLine) as cursor:  # one cursor for the three statements
        checkpoints = checkpoint_rows(sheet.course_id, cursor=cursor)
        every = sheet_rows(sheet.pk, cursor=cursor)
        periods = None if sheet.is_closed else calendar_rows(sheet.course, cursor=cursor)
    problem = None
    if periods is not None:
        window = sheet_window(sheet, periods)
        # Without a session in the calendar the window has no bounds: open whatever the day,
        # so today (a time zone conversion) is not needed.
        if window.starts_on is not None or window.ends_on is not None:
            problem = closed_reason(window, on)
    lines, left = _by_leaving(every)
    return SheetView(
        sheet=sheet,
        lines=lines,
        left=left,
        checkpoints=checkpoints,
        maximum=final_maximum(sheet, checkpoints),
        window_problem=problem,
    )


_LEFT_ON = itemgetter(SheetRow._fields.index("left_on"))


def _by_leaving(rows: list[SheetRow]) -> tuple[list[SheetRow], list[SheetRow]]:
    """`rows` split into those on the sheet and those who left it, each in its order."""
    left_on = list(map(_LEFT_ON, rows))
    if left_on.count(None) == len(rows):  # the usual sheet: nobody has left it
        return rows, []
    return [r for r in rows if r.left_on is None], [r for r in rows if r.left_on is not None]


def course_sheets(course: Course) -> list[ExamSheet]:
    """The sheets of a course with their number of lines and of lines with a result (one query)."""
    return list(
        ExamSheet.objects.filter(course=course)
        .select_related("teacher")
        .annotate(
            size=Count("lines", filter=Q(lines__left_on__isnull=True)),
            filled=Count(
                "lines",
                filter=Q(lines__left_on__isnull=True)
                & (
                    Q(lines__final_score__isnull=False)
                    | Q(lines__absent=True)
                    | Q(lines__admitted=False)
                ),
            ),
        )
        .order_by("kind", "control_form", "attempt")
    )


def sheets_list(
    *,
    visible: Q | None,
    status: str = "",
    term: int | None = None,
    faculty: int | None = None,
    group: str = "",
    q: str = "",
    kind: str = "",
) -> QuerySet[ExamSheet]:
    """Sheets inside `visible` (a filter on sheets; None = all), filtered, newest term first.

    Each row has its course, group, discipline, examiner and number of lines selected.
    """
    sheets = ExamSheet.objects.select_related(
        "course__term__academic_year",
        "course__group__specialty__department",
        "course__discipline",
        "teacher",
    ).annotate(size=Count("lines", filter=Q(lines__left_on__isnull=True)))
    if visible is not None:
        sheets = sheets.filter(visible)
    filters = {
        "status": status or None,
        "kind": kind or None,
        "course__term_id": term,
        "course__group__specialty__department__faculty_id": faculty,
        "course__group__name__iexact": group.strip() or None,
    }
    sheets = sheets.filter(**{key: value for key, value in filters.items() if value is not None})
    if q.strip():
        word = q.strip()
        sheets = sheets.filter(
            Q(number__icontains=word)
            | Q(course__discipline__code__icontains=word)
            | Q(course__discipline__name_ky__icontains=word)
            | Q(course__discipline__name_ru__icontains=word)
            | Q(course__discipline__name_en__icontains=word)
        )
    return sheets.order_by("-course__term__starts_on", "course__group__name", "number")


def open_sheets_of_groups(group_ids: list[int], on: date) -> QuerySet[ExamSheet]:
    """The open sheets of `group_ids` in the terms running on `on`."""
    return ExamSheet.objects.filter(
        status=SheetStatus.OPEN,
        course__group_id__in=group_ids,
        course__term__starts_on__lte=on,
        course__term__ends_on__gte=on,
    ).select_related("course__term", "course__group")


def change_requests_list(*, visible: Q | None, status: str = "") -> QuerySet[SheetChangeRequest]:
    """Change requests inside `visible` (a filter on requests; None = all), newest first."""
    requests = SheetChangeRequest.objects.select_related(
        "line__student__user",
        "line__sheet__course__discipline",
        "line__sheet__course__group",
        "requested_by",
        "decided_by",
    )
    if visible is not None:
        requests = requests.filter(visible)
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-requested_at", "-pk")


def pending_requests_count() -> int:
    return SheetChangeRequest.objects.filter(status=RequestStatus.PENDING).count()


def debts_list(
    *,
    visible: Q | None,
    status: str = "",
    group: str = "",
    discipline: str = "",
    student: int | None = None,
) -> QuerySet[Debt]:
    """Academic debts inside `visible` (a filter on debts; None = all), filtered, open first."""
    debts = Debt.objects.select_related(
        "student__user",
        "line__sheet__course__discipline",
        "line__sheet__course__group",
        "line__sheet__course__term__academic_year",
        "cleared_by__sheet",
    )
    if visible is not None:
        debts = debts.filter(visible)
    if status:
        debts = debts.filter(status=status)
    if group.strip():
        debts = debts.filter(line__sheet__course__group__name__iexact=group.strip())
    if discipline.strip():
        word = discipline.strip()
        debts = debts.filter(
            Q(line__sheet__course__discipline__code__icontains=word)
            | Q(line__sheet__course__discipline__name_ky__icontains=word)
            | Q(line__sheet__course__discipline__name_ru__icontains=word)
            | Q(line__sheet__course__discipline__name_en__icontains=word)
        )
    if student:
        debts = debts.filter(student_id=student)
    return debts.order_by("status", "student__user__last_name", "student_id", "pk")


def open_debtors(course: Course, control_form: str) -> QuerySet[Debt]:
    """The open debts of one control of a course, with their students, by name."""
    return (
        Debt.objects.filter(
            status=DebtStatus.OPEN,
            line__sheet__course=course,
            line__sheet__control_form=control_form,
        )
        .select_related("student__user", "line")
        .order_by("student__user__last_name", "student_id")
    )


def course_debt_forms(course: Course) -> list[str]:
    """The control forms of `course` with at least one open debt."""
    return sorted(
        set(
            Debt.objects.filter(status=DebtStatus.OPEN, line__sheet__course=course).values_list(
                "line__sheet__control_form", flat=True
            )
        )
    )


def differences_list(
    *, visible: Q | None, status: str = "", student: int | None = None, on: date | None = None
) -> QuerySet[AcademicDifference]:
    """Academic differences of students whose group today lies in `visible` (a filter on states)."""
    differences = AcademicDifference.objects.select_related("student__user", "discipline")
    if visible is not None:
        states = StudentState.objects.filter(covering(on or timezone.localdate())).filter(visible)
        differences = differences.filter(student_id__in=states.values("student_id"))
    if status:
        differences = differences.filter(status=status)
    if student:
        differences = differences.filter(student_id=student)
    return differences.order_by("status", "student__user__last_name", "student_id", "semester")


def student_group_on(student_id: int, on: date | None = None) -> int | None:
    """The id of the group the student is in on `on` (today by default)."""
    return (
        StudentState.objects.filter(covering(on or timezone.localdate()), student_id=student_id)
        .values_list("group_id", flat=True)
        .first()
    )


def course_with_checkpoints(course_id: int) -> Course | None:
    """A course with its checkpoints prefetched."""
    return (
        Course.objects.filter(pk=course_id)
        .prefetch_related(Prefetch("checkpoints", queryset=Checkpoint.objects.order_by("order")))
        .first()
    )
