"""The record book and the transcript of a student (GB-6): read from closed sheets, never re-entered.

A result is one control of one course (exam, credit, coursework…) taken on a
closed sheet, or an academic difference the student has passed. A course's
control may have several attempts (the session sheet, then retake sheets): the
latest passed attempt is the result, so a retake replaces the failure; while no
attempt has passed, the latest one stays in the book as a failure (an open
debt) and counts in the GPA with its points (F = 0.00) until it is retaken.

The GPA is the credit-weighted mean of GPA points (scales.gpa) of the graded
results: pass/fail credits earn credits but carry no points, and coursework
carries neither (its credits are the discipline's, counted on its main control).

Three queries for any number of courses: the closed sheet lines with their
course, discipline, plan line and year, the names of their examiners, and the
passed differences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date
from decimal import Decimal
from itertools import compress, groupby
from operator import itemgetter
from typing import NamedTuple

from django.db.backends.utils import CursorWrapper
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Round, TruncDate

from academic.curricula.models import ControlForm
from academic.grades.models import AcademicDifference, DebtStatus, SheetLine, SheetStatus
from academic.grades.selectors.compiled import Statement, reading
from academic.records.models import Student
from hub.accounts.models import full_name

LANGUAGES = ("ky", "ru", "en")
# Forms whose results carry GPA points; a pass/fail credit only earns credits.
GRADED_FORMS = (ControlForm.EXAM, ControlForm.DIFFERENTIATED_CREDIT)
# The same as plain strings, for Result.counts_in_gpa.
_GRADED = frozenset(str(form.value) for form in GRADED_FORMS)


def name_in(obj, language: str) -> str:
    """`obj`'s name (name_ky/name_ru/name_en) in `language`, falling back to Russian, then Kyrgyz."""
    preferred = getattr(obj, f"name_{language}", "") if language in LANGUAGES else ""
    return preferred or obj.name_ru or obj.name_ky


class Result(NamedTuple):
    """One line of the record book: a passed (or still failed) control of a discipline.

    A tuple, read only: a record book builds one per course (tests/bench/grades_transcript.py).
    """

    semester: int
    academic_year: str
    discipline_code: str
    name_ky: str
    name_ru: str
    name_en: str
    credits: int
    hours: int | None
    control_form: str
    score: Decimal | None
    letter: str
    gpa: Decimal | None
    mark: int | None
    passed: bool
    on: date | None
    attempt: int
    sheet_number: str = ""
    difference: bool = False
    course: int | None = None  # None for a difference
    # Its terms in the GPA's sums: credits, and GPA points × credits in hundredths (an exact
    # integer); 0 and 0 unless it counts_in_gpa.
    gpa_weight: int = 0
    gpa_points: int = 0
    examiner: str = ""
    examiner_latin: str = ""

    def name(self, language: str) -> str:
        """The discipline's name in `language` (Russian, then Kyrgyz, when it has none)."""
        preferred = getattr(self, f"name_{language}", "") if language in LANGUAGES else ""
        return preferred or self.name_ru or self.name_ky

    @property
    def control_label(self) -> str:
        return str(ControlForm(self.control_form).label)

    @property
    def counts_in_gpa(self) -> bool:
        return self.control_form in _GRADED and self.gpa is not None and self.credits > 0

    @property
    def earned_credits(self) -> int:
        return self.credits if self.passed else 0


@dataclass
class TermResults:
    """The results of one semester, with its credits and GPA (and the cumulative ones)."""

    semester: int
    academic_year: str
    results: list[Result] = field(default_factory=list)
    credits_attempted: int = 0
    credits_earned: int = 0
    gpa: Decimal | None = None
    cumulative_credits: int = 0
    cumulative_gpa: Decimal | None = None
    failed: int = 0


@dataclass
class Transcript:
    """Every semester of the student, and the totals over all of them."""

    student: Student
    terms: list[TermResults]
    credits_attempted: int
    credits_earned: int
    gpa: Decimal | None
    failed: int

    @property
    def results(self) -> list[Result]:
        return [r for term in self.terms for r in term.results]


def book_lines(student: Student | int) -> QuerySet:
    """The student's lines on closed sheets (not those they left), in book order.

    Tuples of Result's fields up to `gpa_points` (a coursework's credits and hours
    are the discipline's, counted on its main control), then the examiner's id,
    which the examiner's names replace. Ordered as the book shows them, and the attempts at
    one control (the session sheet, then retakes) by (passed, attempt): the last of
    them is the control's result (the module's docstring).

    The database could choose that attempt itself (a window function, or NOT
    EXISTS a better one), but SQLite then takes longer than Python does to keep
    the last row of each control (tests/bench/grades_transcript.py).
    """
    plan_line = "sheet__course__line__"
    coursework = Q(sheet__control_form=ControlForm.COURSEWORK)
    passed = Coalesce("passed", Value(False))
    # Result.counts_in_gpa and the result's terms in the GPA's sums, in SQL: transcript()
    # then adds up integer columns. Points have two places: × 100 is an exact integer.
    graded = Q(
        sheet__control_form__in=GRADED_FORMS, gpa__isnull=False, sheet__course__credits__gt=0
    )
    credits = F("sheet__course__credits")
    hundredths = Cast(Round(F("gpa") * 100), IntegerField()) * credits
    return (
        SheetLine.objects.filter(
            student=student, sheet__status=SheetStatus.CLOSED, left_on__isnull=True
        )
        .order_by(
            f"{plan_line}working_plan__semester",
            "sheet__course__discipline__code",
            "sheet__control_form",
            "sheet__course_id",  # a course before another of its discipline and semester
            passed,
            "sheet__attempt",
        )
        .values_list(
            f"{plan_line}working_plan__semester",
            f"{plan_line}working_plan__academic_year__name",
            "sheet__course__discipline__code",
            "sheet__course__discipline__name_ky",
            "sheet__course__discipline__name_ru",
            "sheet__course__discipline__name_en",
            Case(
                When(coursework, then=Value(0)),
                default=credits,
                output_field=IntegerField(),
            ),
            Case(
                When(coursework, then=Value(None)),
                default=F(f"{plan_line}lecture_hours")
                + F(f"{plan_line}practice_hours")
                + F(f"{plan_line}lab_hours")
                + F(f"{plan_line}independent_hours"),
                output_field=IntegerField(),
            ),
            "sheet__control_form",
            "total",
            "letter",
            "gpa",
            "mark",
            passed,
            # The date is the control's, else the closing's (its UTC day, as closed_at.date()).
            Coalesce("sheet__exam_date", TruncDate("sheet__closed_at", tzinfo=UTC)),
            "sheet__attempt",
            "sheet__number",
            Value(False),
            "sheet__course_id",
            Case(When(graded, then=credits), default=Value(0), output_field=IntegerField()),
            Case(When(graded, then=hundredths), default=Value(0), output_field=IntegerField()),
            "sheet__teacher_id",
        )
    )


class _Difference(NamedTuple):
    """A passed academic difference, as the record book reads it."""

    semester: int
    code: str
    name_ky: str
    name_ru: str
    name_en: str
    credits: int
    control_form: str
    score: Decimal | None
    letter: str
    gpa: Decimal | None
    mark: int | None
    cleared_on: date | None


def passed_differences(student: Student | int) -> QuerySet:
    """The academic differences the student has passed: tuples of _Difference's fields."""
    return (
        AcademicDifference.objects.filter(student=student, status=DebtStatus.CLOSED)
        .order_by("semester", "pk")
        .values_list(
            "semester",
            "discipline__code",
            "discipline__name_ky",
            "discipline__name_ru",
            "discipline__name_en",
            "credits",
            "control_form",
            "score",
            "letter",
            "gpa",
            "mark",
            "cleared_on",
        )
    )


# The id and names an examiner is printed with.
_EXAMINER_FIELDS = (
    "id",
    "last_name",
    "first_name",
    "patronymic",
    "last_name_latin",
    "first_name_latin",
    "patronymic_latin",
)


def examiners_of(student: Student | int) -> QuerySet:
    """The examiners of the student's closed sheets: tuples of _EXAMINER_FIELDS.

    A query of its own: one more join in book_lines would cost PostgreSQL
    more in planning than this query costs in all.
    """
    from hub.accounts.models import User

    sheets = SheetLine.objects.filter(
        student=student, sheet__status=SheetStatus.CLOSED, left_on__isnull=True
    ).values("sheet__teacher_id")
    return User.objects.filter(pk__in=sheets).order_by().values_list(*_EXAMINER_FIELDS)


# Compiled once (compiled.py): compiling these joins costs Django more than running them.
_LINES = Statement(SheetLine, book_lines)
_DIFFERENCES = Statement(AcademicDifference, passed_differences)
_EXAMINERS = Statement(SheetLine, examiners_of)


def _sheet_results(student: Student, cursor: CursorWrapper) -> list[Result]:
    """The results of the student's closed sheets, in book order, with their examiners' names.

    Each line is made a Result once, its examiner's id replaced by the names; the
    examiners are read (a second query) only when some line has one.
    """

    def examiners(teachers) -> dict[int, tuple[str, str]]:
        return _examiners(student, cursor) if any(teachers) else {}

    lines = _LINES.rows(student.pk, make=Result, cursor=cursor, join=examiners, missing=("", ""))
    # The last line of each control is its result (book_lines' order); a dict keeps the
    # last value of a key where the key first came, so the results stay in book order.
    return list(dict(zip(map(_CONTROL, lines), lines, strict=True)).values())


def _examiners(student: Student, cursor: CursorWrapper) -> dict[int, tuple[str, str]]:
    """User id → (Cyrillic name, Latin name) of the examiners of the student's sheets (one query).

    The names as User.get_full_name and get_full_name_latin give them, from plain values.
    """
    names = {}
    for pk, last, first, patronymic, *latin in _EXAMINERS.rows(
        student.pk, make=tuple, cursor=cursor
    ):
        cyrillic = full_name(last, first, patronymic)
        names[pk] = (cyrillic, full_name(*latin) or cyrillic)
    return names


def _difference_results(student: Student, cursor: CursorWrapper) -> list[Result]:
    return [
        _weighed(
            Result(
                semester=d.semester,
                academic_year="",
                discipline_code=d.code,
                name_ky=d.name_ky,
                name_ru=d.name_ru,
                name_en=d.name_en,
                credits=d.credits,
                hours=None,
                control_form=d.control_form,
                score=d.score,
                letter=d.letter,
                gpa=d.gpa,
                mark=d.mark,
                passed=True,
                on=d.cleared_on,
                examiner="",
                examiner_latin="",
                attempt=1,
                difference=True,
            )
        )
        for d in _DIFFERENCES.rows(student.pk, make=_Difference, cursor=cursor)
    ]


def _weighed(result: Result) -> Result:
    """`result` with its terms in the GPA's sums (book_lines gives the sheets' in SQL)."""
    if not result.counts_in_gpa:
        return result
    return result._replace(
        gpa_weight=result.credits, gpa_points=int(result.gpa * 100) * result.credits
    )


def _fields(*names: str) -> itemgetter:
    """The named fields of a Result, read by index: faster than by name, per result."""
    return itemgetter(*map(Result._fields.index, names))


_BOOK_ORDER = _fields("semester", "discipline_code", "control_form", "difference")
_CONTROL = _fields("course", "control_form")  # a control of a course: its attempts give one result
_SEMESTER = _fields("semester")
_YEAR = _fields("academic_year")
# Columns of the results, for transcript()'s sums.
_CREDITS = _fields("credits")
_PASSED = _fields("passed")
_GPA_WEIGHT = _fields("gpa_weight")
_GPA_POINTS = _fields("gpa_points")


def record_book(student: Student) -> list[TermResults]:
    """The student's record book: each semester's results, semesters in order (three queries).

    Built from closed sheets (latest passed attempt per course and control) and
    passed academic differences. Changes nothing.
    """
    with reading(SheetLine) as cursor:  # one cursor for the three statements
        results = _sheet_results(student, cursor)
        differences = _difference_results(student, cursor)
        in_python_order = not differences and cursor.db.vendor == "sqlite"
    # The SQL sorted the sheets' results, and SQLite compares text by its UTF-8 bytes,
    # which is the order of Python's str; another database's collation may order codes
    # otherwise, and differences come after them (a stable sort keeps the course order).
    if not in_python_order:
        results += differences
        results.sort(key=_BOOK_ORDER)
    terms = []
    for semester, grouped in groupby(results, key=_SEMESTER):  # semester by semester, as sorted
        term_results = list(grouped)
        # The semester's academic year: the first its results name (differences name none).
        year = next(filter(None, map(_YEAR, term_results)), "")
        terms.append(TermResults(semester, year, term_results))
    return terms


def transcript(student: Student) -> Transcript:
    """The record book with credits and GPA per semester and cumulative (three queries).

    Credits attempted count every result with credits, earned only the passed
    ones; the GPA of a semester and the cumulative GPA are scales.gpa over the
    graded results (see the module's docstring). Changes nothing.
    """
    terms = record_book(student)
    points = weight = earned = 0  # scales.gpa's sums over every semester so far (see _mean)
    for term in terms:
        # Sums over columns (map, compress): this sees every result of the student.
        results = term.results
        credits = list(map(_CREDITS, results))
        passed = list(map(_PASSED, results))
        term.credits_attempted = sum(credits)
        term.credits_earned = sum(compress(credits, passed))
        term.failed = passed.count(False)
        term_points, term_weight = sum(map(_GPA_POINTS, results)), sum(map(_GPA_WEIGHT, results))
        points, weight = points + term_points, weight + term_weight
        term.gpa = _mean(term_points, term_weight)
        term.cumulative_gpa = _mean(points, weight)
        earned += term.credits_earned
        term.cumulative_credits = earned
    return Transcript(
        student=student,
        terms=terms,
        credits_attempted=sum(t.credits_attempted for t in terms),
        credits_earned=earned,
        gpa=_mean(points, weight),
        failed=sum(t.failed for t in terms),
    )


def _mean(points: int, weight: int) -> Decimal | None:
    """scales.gpa from its two sums: Σ points × credits in hundredths, Σ credits.

    Summed once per semester, as the cumulative GPA would otherwise sum every
    earlier semester again, and in integers: points have two places, so the sums
    are exact, and the quotient rounded half up to hundredths in integers is the one
    scales.gpa rounds from its Decimals (tested against scales.gpa).
    """
    if weight == 0:
        return None
    hundredths = (2 * points + weight) // (2 * weight)  # points / weight, half up (both >= 0)
    if hundredths < len(_GPAS):
        return _GPAS[hundredths]
    return Decimal(hundredths).scaleb(-2)


# Every GPA of the scale (0.00 … 4.00) made once: a Decimal is immutable, so shared safely.
_GPAS = tuple(Decimal(hundredths).scaleb(-2) for hundredths in range(401))


# --- What documents print about a student, a sheet or a group (GB-12) ---------------------


@dataclass
class Standing:
    """Where the student studies now and since when, as certificates state it."""

    student: Student
    state: object | None  # records.StudentState covering today, or the latest one
    admission: object | None  # the first StudentState (its order admitted the student)
    states: list
    course: int | None
    studying: bool


def student_standing(student_id: int) -> Standing:
    """The personal file with its history, the current group's specialty and faculty (4 queries).

    Changes nothing.
    """
    from django.db.models import Prefetch
    from django.utils import timezone

    from academic.records.models import Status, StudentState
    from academic.records.selectors import course_on

    student = (
        Student.objects.select_related("user", "address_unit__parent__parent")
        .prefetch_related(
            "contacts",
            Prefetch(
                "states",
                queryset=StudentState.objects.select_related(
                    "group__specialty__department__faculty", "order_line__order"
                ).order_by("valid_from", "id"),
            ),
        )
        .get(pk=student_id)
    )
    states = list(student.states.all())
    today = timezone.localdate()
    # The period covering today (records.selectors.covering, applied in memory), else the last.
    state = next(
        (s for s in states if s.valid_from <= today and (s.valid_to is None or today < s.valid_to)),
        states[-1] if states else None,
    )
    studying = state is not None and state.status == Status.STUDYING and state.valid_to is None
    return Standing(
        student=student,
        state=state,
        admission=states[0] if states else None,
        states=states,
        course=course_on(state.group, today) if state is not None else None,
        studying=studying,
    )


def sheet_document_lines(sheet) -> list[SheetLine]:
    """The students on `sheet` (not those who left it) with their users, by name (one query)."""
    return list(
        SheetLine.objects.filter(sheet=sheet, left_on__isnull=True)
        .select_related("student__user")
        .order_by("student__user__last_name", "student__user__first_name", "pk")
    )


def group_list_states(group_id: int, on: date) -> list:
    """The studying students of a group on `on`, each a records.StudentState with student.user."""
    from academic.records.models import Status
    from academic.records.selectors import states_on

    return list(
        states_on(on)
        .filter(group_id=group_id, status=Status.STUDYING)
        .select_related("student__user")
        .order_by("student__user__last_name", "student__user__first_name", "student_id")
    )
