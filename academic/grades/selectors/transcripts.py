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

import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connections, router
from django.db.models import QuerySet

from academic.curricula.models import ControlForm
from academic.grades.models import AcademicDifference, DebtStatus, SheetLine, SheetStatus
from academic.grades.scales import gpa
from academic.records.models import Student

LANGUAGES = ("ky", "ru", "en")
# Forms whose results carry GPA points; a pass/fail credit only earns credits.
GRADED_FORMS = (ControlForm.EXAM, ControlForm.DIFFERENTIATED_CREDIT)


def name_in(obj, language: str) -> str:
    """`obj`'s name (name_ky/name_ru/name_en) in `language`, falling back to Russian, then Kyrgyz."""
    preferred = getattr(obj, f"name_{language}", "") if language in LANGUAGES else ""
    return preferred or obj.name_ru or obj.name_ky


@dataclass(slots=True)
class Result:
    """One line of the record book: a passed (or still failed) control of a discipline."""

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
    examiner: str
    examiner_latin: str
    attempt: int
    sheet_number: str = ""
    difference: bool = False

    def name(self, language: str) -> str:
        """The discipline's name in `language` (Russian, then Kyrgyz, when it has none)."""
        preferred = getattr(self, f"name_{language}", "") if language in LANGUAGES else ""
        return preferred or self.name_ru or self.name_ky

    @property
    def control_label(self) -> str:
        return str(ControlForm(self.control_form).label)

    @property
    def counts_in_gpa(self) -> bool:
        return self.control_form in GRADED_FORMS and self.gpa is not None and self.credits > 0

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


# The columns a result shows, read as plain values: no model is built per line, so
# the selector costs little more than its SQL (tests/bench/grades_transcript.py).
_LINE_FIELDS = {
    "course": "sheet__course_id",
    "control_form": "sheet__control_form",
    "attempt": "sheet__attempt",
    "sheet_number": "sheet__number",
    "exam_date": "sheet__exam_date",
    "closed_at": "sheet__closed_at",
    "passed": "passed",
    "total": "total",
    "letter": "letter",
    "gpa": "gpa",
    "mark": "mark",
    "credits": "sheet__course__credits",
    "academic_year": "sheet__course__line__working_plan__academic_year__name",
    "code": "sheet__course__discipline__code",
    "name_ky": "sheet__course__discipline__name_ky",
    "name_ru": "sheet__course__discipline__name_ru",
    "name_en": "sheet__course__discipline__name_en",
    "semester": "sheet__course__line__working_plan__semester",
    "lecture_hours": "sheet__course__line__lecture_hours",
    "practice_hours": "sheet__course__line__practice_hours",
    "lab_hours": "sheet__course__line__lab_hours",
    "independent_hours": "sheet__course__line__independent_hours",
    "teacher": "sheet__teacher_id",
}


def closed_lines(student: Student | int) -> QuerySet:
    """The student's lines on closed sheets (not those they left): tuples of _LINE_FIELDS."""
    return (
        SheetLine.objects.filter(
            student=student, sheet__status=SheetStatus.CLOSED, left_on__isnull=True
        )
        .order_by("sheet__course_id", "sheet__control_form", "sheet__attempt")
        .values_list(*_LINE_FIELDS.values())
    )


_DIFFERENCE_FIELDS = {
    "semester": "semester",
    "code": "discipline__code",
    "name_ky": "discipline__name_ky",
    "name_ru": "discipline__name_ru",
    "name_en": "discipline__name_en",
    "credits": "credits",
    "control_form": "control_form",
    "score": "score",
    "letter": "letter",
    "gpa": "gpa",
    "mark": "mark",
    "cleared_on": "cleared_on",
}


def passed_differences(student: Student | int) -> QuerySet:
    """The academic differences the student has passed: tuples of _DIFFERENCE_FIELDS."""
    return (
        AcademicDifference.objects.filter(student=student, status=DebtStatus.CLOSED)
        .order_by("semester", "pk")
        .values_list(*_DIFFERENCE_FIELDS.values())
    )


# Compiling a query with joins costs Django more than the database takes to run
# it, so each statement of the transcript is compiled once per thread and
# database and run with each student's id in place of this one (no student has it).
_SENTINEL_ID = -7_000_000_001
_statements = threading.local()


def _rows(build, student_id: int) -> list:
    """`build(student)` fetched for `student_id`, with the ORM's conversions (one query)."""
    alias = router.db_for_read(SheetLine)
    cache = getattr(_statements, "compiled", None)
    if cache is None:
        cache = _statements.compiled = {}
    key = (build.__name__, alias)
    if key not in cache:
        compiler = build(_SENTINEL_ID).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        cache[key] = (sql, params, compiler, compiler.get_converters(fields))
    sql, params, compiler, converters = cache[key]
    params = tuple(student_id if p == _SENTINEL_ID else p for p in params)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return list(compiler.apply_converters(rows, converters)) if converters else rows


def _sheet_results(student: Student) -> list[Result]:
    chosen: dict[tuple[int, str], dict] = {}
    names = tuple(_LINE_FIELDS)
    for values in _rows(closed_lines, student.pk):
        line = dict(zip(names, values, strict=True))
        key = (line["course"], line["control_form"])
        current = chosen.get(key)
        # Ordered by attempt: a later attempt replaces an earlier one unless
        # the earlier one passed and the later did not (a failed improvement try).
        if current is None or line["passed"] or not current["passed"]:
            chosen[key] = line
    examiners = _examiners({line["teacher"] for line in chosen.values()} - {None})
    return [_from_line(line, examiners.get(line["teacher"], ("", ""))) for line in chosen.values()]


def _examiners(ids: set[int]) -> dict[int, tuple[str, str]]:
    """User id → (Cyrillic name, Latin name) of the examiners (one query, none without ids).

    A query of its own: one more join in closed_lines would cost PostgreSQL
    more in planning than this query costs in all.
    """
    if not ids:
        return {}
    from hub.accounts.models import User

    return {
        user.pk: (user.get_full_name(), user.get_full_name_latin())
        for user in User.objects.filter(pk__in=ids).only(
            "last_name",
            "first_name",
            "patronymic",
            "last_name_latin",
            "first_name_latin",
            "patronymic_latin",
        )
    }


def _from_line(line: dict, examiner: tuple[str, str]) -> Result:
    coursework = line["control_form"] == ControlForm.COURSEWORK
    hours = (
        line["lecture_hours"] + line["practice_hours"] + line["lab_hours"]
        + line["independent_hours"]
    )  # fmt: skip
    closed_at = line["closed_at"]
    return Result(
        semester=line["semester"],
        academic_year=line["academic_year"],
        discipline_code=line["code"],
        name_ky=line["name_ky"],
        name_ru=line["name_ru"],
        name_en=line["name_en"],
        credits=0 if coursework else line["credits"],
        hours=None if coursework else hours,
        control_form=line["control_form"],
        score=line["total"],
        letter=line["letter"],
        gpa=line["gpa"],
        mark=line["mark"],
        passed=bool(line["passed"]),
        on=line["exam_date"] or (closed_at.date() if closed_at else None),
        examiner=examiner[0],
        examiner_latin=examiner[1],
        attempt=line["attempt"],
        sheet_number=line["sheet_number"],
    )


def _difference_results(student: Student) -> list[Result]:
    names = tuple(_DIFFERENCE_FIELDS)
    results = []
    for values in _rows(passed_differences, student.pk):
        d = dict(zip(names, values, strict=True))
        results.append(
            Result(
                semester=d["semester"],
                academic_year="",
                discipline_code=d["code"],
                name_ky=d["name_ky"],
                name_ru=d["name_ru"],
                name_en=d["name_en"],
                credits=d["credits"],
                hours=None,
                control_form=d["control_form"],
                score=d["score"],
                letter=d["letter"],
                gpa=d["gpa"],
                mark=d["mark"],
                passed=True,
                on=d["cleared_on"],
                examiner="",
                examiner_latin="",
                attempt=1,
                difference=True,
            )
        )
    return results


def record_book(student: Student) -> list[TermResults]:
    """The student's record book: each semester's results, semesters in order (three queries).

    Built from closed sheets (latest passed attempt per course and control) and
    passed academic differences. Changes nothing.
    """
    results = _sheet_results(student) + _difference_results(student)
    results.sort(key=lambda r: (r.semester, r.discipline_code, r.control_form, r.difference))
    terms: dict[int, TermResults] = {}
    for result in results:
        term = terms.get(result.semester)
        if term is None:
            term = terms[result.semester] = TermResults(result.semester, result.academic_year)
        elif not term.academic_year and result.academic_year:
            term.academic_year = result.academic_year
        term.results.append(result)
    return [terms[s] for s in sorted(terms)]


def transcript(student: Student) -> Transcript:
    """The record book with credits and GPA per semester and cumulative (three queries).

    Credits attempted count every result with credits, earned only the passed
    ones; the GPA of a semester and the cumulative GPA are scales.gpa over the
    graded results (see the module's docstring). Changes nothing.
    """
    terms = record_book(student)
    graded: list[tuple[Decimal, int]] = []  # (GPA points, credits) of every semester so far
    earned = 0
    for term in terms:
        term_graded = [(r.gpa, r.credits) for r in term.results if r.counts_in_gpa]
        graded += term_graded
        term.credits_attempted = sum(r.credits for r in term.results)
        term.credits_earned = sum(r.credits for r in term.results if r.passed)
        term.failed = sum(1 for r in term.results if not r.passed)
        term.gpa = gpa(term_graded)
        earned += term.credits_earned
        term.cumulative_credits = earned
        term.cumulative_gpa = gpa(graded)
    return Transcript(
        student=student,
        terms=terms,
        credits_attempted=sum(t.credits_attempted for t in terms),
        credits_earned=sum(t.credits_earned for t in terms),
        gpa=gpa(graded),
        failed=sum(t.failed for t in terms),
    )


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
