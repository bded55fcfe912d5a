"""grades_sheet: the exam sheet page of a group of 40 students (GB-4).

In-process, inside a transaction rolled back at the end (the bench database
stays as seeded): a new group of 40 students (and one of 10) of a demo
specialty, each with a course of the current term whose modules hold points,
and its exam sheet with half of the final scores entered.

Measured, REPEATS times each:
- the selector (academic.grades.selectors.sheets.sheet_view): the page's data;
- the page /grades/sheets/<id>/ through Django's test client as the examiner
  (middleware, session, access check, the sync with the records, template);
- baselines, run in turn with them (one call each, alternately, so both meet
  the same load): the SQL the selector sends (3 statements) and every SELECT
  the page sends, captured as they were sent and replayed on a cursor with
  every row fetched (tests.bench.timing.replay).

Targets (issue 6): the selector <= 1.5x its raw SQL; the page's p95 <= 150 ms
(it also renders 40 rows, which no SQL pays for); the page's query count is
the same for 40 students as for 10.

Run alone: `python -m tests.bench.grades_sheet` (its own database:
var/t-sheets/bench, or <DATABASE_URL name>_bench on PostgreSQL; with
BENCH_REUSE_DB=1 an already seeded one is kept).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from tests.bench.grades_journal import cpu_medians, cpu_row
from tests.bench.report import Row, row
from tests.bench.timing import Case, against_raw_sql, captured_sql, log, page_sql, replay

SCENARIO = "grades_sheet"
STUDENTS = 40
FEW = 10
REPEATS = 200
PAGE_REPEATS = 100
TARGET_MS = 150.0
TARGET_RATIO = 1.5


def make_sheet(size: int, label: str, teacher):
    """A new group of `size` studying students with a course, module points and its open sheet."""
    from datetime import date
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
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
    from academic.grades.actions import sheets as actions
    from academic.grades.models import CheckpointKind, Course, ExamSheet, Score, ScoreSource
    from academic.grades.selectors.sheets import current_terms
    from academic.records.models import Funding, Sex, Status, Student, StudentState
    from academic.structure.models import Group, Specialty
    from hub.accounts.models import Cabinet, User

    term = current_terms().first()
    if term is None:
        raise RuntimeError("the bench database has no running term")
    specialty = Specialty.objects.select_related("department").order_by("pk").first()
    group = Group.objects.create(
        name=f"BENCH-SH-{label}",
        specialty=specialty,
        intake_year=term.academic_year.starts_on.year,
        course=1,
        study_form="full_time",
        language="ky",
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench-sheet-{label}-{n:03d}",
                cabinet=Cabinet.STUDENT,
                last_name=f"Үсөнов{n:03d}",
                first_name="Ңөү",
                password=password,
            )
            for n in range(size)
        ]
    )
    students = Student.objects.bulk_create(
        [
            Student(
                user=user,
                record_number=f"BS-{label}-{n:03d}",
                sex=Sex.MALE,
                birth_date=date(2005, 1, 1),
            )
            for n, user in enumerate(users)
        ]
    )
    StudentState.objects.bulk_create(
        [
            StudentState(
                student=student,
                status=Status.STUDYING,
                group=group,
                funding=Funding.BUDGET,
                valid_from=term.starts_on,
            )
            for student in students
        ]
    )
    curriculum = Curriculum.objects.create(
        specialty=specialty,
        intake_year=1980 + size,
        study_form=group.study_form,
        system=StudySystem.CREDIT,
    )
    plan = WorkingPlan.objects.create(
        curriculum=curriculum, academic_year=term.academic_year, semester=1
    )
    cycle, _made = Cycle.objects.get_or_create(
        code="BENCH-SH", defaults={"name_ky": "Цикл", "name_ru": "Цикл"}
    )
    discipline = Discipline.objects.create(
        code=f"BENCH-SH-{label}",
        name_ky="Маалымат базалары",
        name_ru="Базы данных",
        department=specialty.department,
    )
    line = WorkingPlanLine.objects.create(
        working_plan=plan,
        discipline=discipline,
        cycle=cycle,
        department=specialty.department,
        credits=5,
        control_form=ControlForm.EXAM,
    )
    course = Course.objects.create(
        term=term, group=group, line=line, discipline=discipline, credits=5, teacher=teacher
    )
    actions._default_checkpoints(course, ControlForm.EXAM)
    modules = list(course.checkpoints.filter(kind=CheckpointKind.CURRENT))
    Score.objects.bulk_create(
        [
            Score(
                checkpoint=module,
                student=student,
                source=ScoreSource.TEST,
                ref="bench",
                value=Decimal(15 + (n * 7 + module.order) % 16),
            )
            for n, student in enumerate(students)
            for module in modules
        ]
    )
    actions.course_sheets_ensure(by=None, course=course, on=timezone.localdate())
    sheet = ExamSheet.objects.get(course=course)
    for n, sheet_line in enumerate(sheet.lines.filter(admitted=True).order_by("pk")):
        if n % 2 == 0:
            actions.sheet_line_save(by=None, line=sheet_line, final_score=Decimal(10 + n % 30))
    return sheet


def _page(teacher) -> tuple[Callable[[object], None], Callable[[object], list[str]]]:
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(teacher)

    def get(sheet) -> None:
        response = client.get(reverse("grades:sheet", args=[sheet.pk]))
        if response.status_code != 200:
            raise RuntimeError(f"the sheet page answered {response.status_code}")

    def statements(sheet) -> list[str]:
        get(sheet)  # the first opening syncs the sheet with the records: not the page's cost
        return page_sql(client, reverse("grades:sheet", args=[sheet.pk]))

    return get, statements


def _teacher():
    from hub.accounts.models import Cabinet, User

    teacher = User.objects.filter(cabinet=Cabinet.TEACHER, is_active=True).order_by("pk").first()
    if teacher is None:
        raise RuntimeError("the bench database has no teacher")
    return teacher


def measure() -> list[Row]:
    from academic.grades.permissions import access_sheet
    from academic.grades.selectors.sheets import sheet_view

    teacher = _teacher()
    big = make_sheet(STUDENTS, "big", teacher)
    small = make_sheet(FEW, "small", teacher)
    sheet = access_sheet(teacher, big.pk)
    log(f"{SCENARIO}: sheet {sheet.number} with {len(sheet_view(sheet).lines)} students")
    get, page_statements = _page(teacher)
    statements = {STUDENTS: page_statements(big), FEW: page_statements(small)}
    selector_sql = captured_sql(lambda: sheet_view(sheet))
    cases = (
        Case("selector", lambda: sheet_view(sheet), replay(selector_sql), REPEATS,
         f"the selector's {len(selector_sql)} SQL statements", True),
        Case("page", lambda: get(sheet), replay(statements[STUDENTS]), PAGE_REPEATS,
         f"the page's {len(statements[STUDENTS])} SQL statements", False),
    )  # fmt: skip
    rows = against_raw_sql(
        SCENARIO, f"exam sheet of {STUDENTS}", cases, target_ratio=TARGET_RATIO, target_ms=TARGET_MS
    )
    rows.append(
        cpu_row(SCENARIO, f"exam sheet of {STUDENTS}, selector CPU p50",
                *cpu_medians(replay(selector_sql), lambda: sheet_view(sheet)))
    )  # fmt: skip
    counts = {n: len(sql) for n, sql in statements.items()}
    log(f"  page queries: {counts[STUDENTS]} for {STUDENTS} students, {counts[FEW]} for {FEW}")
    rows.append(
        row(SCENARIO, f"page queries, {STUDENTS} vs {FEW} students", counts[STUDENTS], "queries",
            baseline=counts[FEW], target="equal", met=counts[STUDENTS] == counts[FEW],
            note=f"value: the sheet of {STUDENTS}; baseline: the sheet of {FEW}")
    )  # fmt: skip
    return rows


def run(env: dict[str, str] | None = None) -> list[Row]:
    """Make the two groups and sheets, measure, and roll everything back."""
    from django.db import transaction

    with transaction.atomic():
        rows = measure()
        transaction.set_rollback(True)
    return rows


def main() -> int:
    from tests.bench.environment import run_alone

    return run_alone(run, "sheets")


if __name__ == "__main__":
    sys.exit(main())
