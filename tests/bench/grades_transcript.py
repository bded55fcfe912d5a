"""grades_transcript: the transcript of a student with 60 closed courses (GB-6).

In-process, inside a transaction rolled back at the end (the bench database
stays as seeded): one studying student of the demo university gets 60 courses
over 8 semesters, each on a closed exam sheet (every sixth failed and retaken),
and another gets 10 of them.

Measured, REPEATS times each:
- the selector (academic.grades.selectors.transcripts.transcript): its
  queries, the choice of attempts and the GPA arithmetic;
- the page /grades/documents/students/<id>/transcript/ through Django's test
  client as the student (middleware, session, access check, template);
- baselines, run in turn with them (one call each, alternately, so both meet
  the same load): the SQL the selector sends (3 statements) and every SELECT
  the page sends, captured as they were sent and replayed on a cursor with
  every row fetched (tests.bench.timing.replay).

Targets (issue 6): the selector <= 1.5x its raw SQL; the page's p95 <= 150 ms
(it also renders 60 rows, which no SQL pays for); the page's query count is
the same for 60 courses as for 10.

Run alone: `python -m tests.bench.grades_transcript` (its own database:
var/t-documents/bench, or <DATABASE_URL name>_bench on PostgreSQL; with
BENCH_REUSE_DB=1 an already seeded one is kept).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from tests.bench.grades_journal import cpu_medians, cpu_row
from tests.bench.report import Row, row
from tests.bench.timing import Case, against_raw_sql, captured_sql, log, page_sql, replay

SCENARIO = "grades_transcript"
COURSES = 60
FEW = 10
SEMESTERS = 8
REPEATS = 200
PAGE_REPEATS = 100
TARGET_MS = 150.0
TARGET_RATIO = 1.5


def _students():
    """Two studying students of one group of the demo university (made if the seed has none)."""
    from academic.records.models import Status, StudentState

    states = list(
        StudentState.objects.filter(valid_to__isnull=True, status=Status.STUDYING)
        .select_related("student__user", "group__specialty__department")
        .order_by("group_id", "student_id")[:2]
    )
    if len(states) < 2 or states[0].group_id != states[1].group_id:
        raise RuntimeError("the bench database has no group with two studying students")
    return states[0].student, states[1].student, states[0].group


def make_courses(many, few, group) -> None:
    """COURSES closed courses for `many` (the first FEW also for `few`), as closed sheets leave them."""
    from datetime import date
    from decimal import Decimal

    from django.utils import timezone

    from academic.curricula.models import (
        ControlForm,
        Curriculum,
        Cycle,
        Discipline,
        StudySystem,
        WorkingPlan,
        WorkingPlanLine,
    )
    from academic.grades.models import Course, ExamSheet, SheetKind, SheetLine, SheetStatus
    from academic.grades.scoring import scale_for
    from academic.structure.models import AcademicYear, Term

    scale = scale_for()
    year = AcademicYear.objects.create(
        name="bench-tr", starts_on=date(1990, 9, 1), ends_on=date(1991, 6, 30)
    )
    term = Term.objects.create(
        academic_year=year, number=1, starts_on=date(1990, 9, 1), ends_on=date(1991, 1, 31)
    )
    curriculum = Curriculum.objects.create(
        specialty=group.specialty,
        intake_year=1990,
        study_form=group.study_form,
        system=StudySystem.CREDIT,
    )
    plans = {
        s: WorkingPlan.objects.create(curriculum=curriculum, academic_year=year, semester=s)
        for s in range(1, SEMESTERS + 1)
    }
    cycle = Cycle.objects.create(code="BENCH-TR", name_ky="Цикл", name_ru="Цикл")
    department = group.specialty.department
    closed = timezone.now()
    sheet_lines = []
    for n in range(COURSES):
        form = ControlForm.CREDIT if n % 5 == 4 else ControlForm.EXAM
        discipline = Discipline.objects.create(
            code=f"BENCH-TR-{n:02d}",
            name_ky=f"Сабак {n} ңөү",
            name_ru=f"Предмет {n}",
            name_en=f"Subject {n}",
            department=department,
        )
        line = WorkingPlanLine.objects.create(
            working_plan=plans[n % SEMESTERS + 1],
            discipline=discipline,
            cycle=cycle,
            department=department,
            credits=5,
            control_form=form,
            lecture_hours=50,
            practice_hours=50,
            independent_hours=50,
        )
        course = Course.objects.create(
            term=term, group=group, line=line, discipline=discipline, credits=5
        )
        totals = [45, 70] if n % 6 == 0 else [55 + (n * 7) % 46]
        for attempt, total in enumerate(totals, start=1):
            sheet = ExamSheet.objects.create(
                course=course,
                control_form=form,
                attempt=attempt,
                kind=SheetKind.REGULAR if attempt == 1 else SheetKind.RETAKE,
                number=f"BENCH-TR-{n}-{attempt}",
                status=SheetStatus.CLOSED,
                exam_date=date(1991, 1, 10 + attempt),
                closed_at=closed,
            )
            grade = scale.grade(total)
            students = [many, few] if n < FEW else [many]
            sheet_lines += [
                SheetLine(
                    sheet=sheet,
                    student=student,
                    joined_on=date(1990, 9, 1),
                    total=Decimal(total),
                    final_score=Decimal(total) * Decimal("0.4"),
                    current_score=Decimal(total) * Decimal("0.6"),
                    letter=grade.letter,
                    gpa=grade.gpa,
                    mark=grade.mark,
                    passed=grade.passed,
                )
                for student in students
            ]
    SheetLine.objects.bulk_create(sheet_lines)
    _analyze(Course, ExamSheet, SheetLine, Discipline, WorkingPlan, WorkingPlanLine)


def _analyze(*models) -> None:
    """Freshly loaded tables have no planner statistics on PostgreSQL (a live database has
    autovacuum): without them it guesses, and the baseline would be as wrong as the page."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def _page(student) -> tuple[Callable[[], object], Callable[[object], list[str]]]:
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(student.user)

    def get(who=student) -> None:
        response = client.get(reverse("grades:documents-transcript", args=[who.pk]))
        if response.status_code != 200:
            raise RuntimeError(f"the transcript page answered {response.status_code}")

    def statements(who) -> list[str]:
        # The student reads only their own transcript: sign in as whom we count.
        client.force_login(who.user)
        get(who)
        sql = page_sql(client, reverse("grades:documents-transcript", args=[who.pk]))
        client.force_login(student.user)
        get()
        return sql

    return get, statements


def measure() -> list[Row]:
    from academic.grades.selectors.transcripts import transcript

    many, few, group = _students()
    make_courses(many, few, group)
    results = len(transcript(many).results)
    log(
        f"{SCENARIO}: {results} results for one student, {len(transcript(few).results)} for another"
    )
    page, page_statements = _page(many)
    statements = {COURSES: page_statements(many), FEW: page_statements(few)}
    selector_sql = captured_sql(lambda: transcript(many))
    cases = (
        Case("selector", lambda: transcript(many), replay(selector_sql), REPEATS,
         f"the selector's {len(selector_sql)} SQL statements", True),
        Case("page", page, replay(statements[COURSES]), PAGE_REPEATS,
         f"the page's {len(statements[COURSES])} SQL statements (session, user, rights, "
         "transcript)", False),
    )  # fmt: skip
    rows = against_raw_sql(
        SCENARIO,
        f"transcript of {COURSES} courses",
        cases,
        target_ratio=TARGET_RATIO,
        target_ms=TARGET_MS,
    )
    rows.append(
        cpu_row(SCENARIO, f"transcript of {COURSES} courses, selector CPU p50",
                *cpu_medians(replay(selector_sql), lambda: transcript(many)))
    )  # fmt: skip
    counts = {n: len(sql) for n, sql in statements.items()}
    log(f"  page queries: {counts[COURSES]} for {COURSES} courses, {counts[FEW]} for {FEW}")
    rows.append(
        row(SCENARIO, f"page queries, {COURSES} vs {FEW} courses", counts[COURSES], "queries",
            baseline=counts[FEW], target="equal", met=counts[COURSES] == counts[FEW],
            note="value: the page of the student with 60 courses; baseline: with 10")
    )  # fmt: skip
    return rows


def run(env: dict[str, str] | None = None) -> list[Row]:
    """Make 60 closed courses for a demo student, measure, and roll everything back."""
    from django.db import transaction

    with transaction.atomic():
        rows = measure()
        transaction.set_rollback(True)
    return rows


def main() -> int:
    from tests.bench.environment import run_alone

    return run_alone(run, "documents")


if __name__ == "__main__":
    sys.exit(main())
