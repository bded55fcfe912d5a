"""grades_results: session results, monitoring and rating of a faculty of 5,000 students.

In-process (no HTTP): the figures are the database work of the pages
(academic.grades.selectors.results) on a faculty of its own, seeded here
with the models in bulk (once: a second run finds it): 200 groups of 25
students, 10 courses per group with 3 checkpoints each, every sheet closed
(50,000 lines) and 500,000 scores (10 per student and course).

Baselines, measured in the same run: the page's core SQL run directly
through a cursor — the GROUP BY of the sheet lines for the results, the
capped sum of the scores for the rating, the GROUP BY of the sheets for the
monitoring. Python's share (labels, rows, sorting) is the difference.

Target: session results of the faculty <= 2 s (median of REPEATS runs), by
faculty, group and course alike, and the rating and monitoring too.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from tests.bench.report import Row, row

SCENARIO = "grades_results"
FACULTY_CODE = "BENCH-GR"
GROUPS = 200
PER_GROUP = 25
COURSES = 10
SCORES_PER_CHECKPOINT = (4, 3, 3)  # 10 scores per student and course
CHECKPOINTS = (("Module 1", 30, "current"), ("Module 2", 30, "current"), ("Final", 40, "final"))
BATCH = 5000
REPEATS = 5
TARGET_S = 2.0
YEAR_NAME = "2090–2091"
TERM_STARTS, TERM_ENDS = date(2090, 9, 1), date(2091, 1, 31)
LETTERS = ((87, "A", "4.00", 5), (74, "B", "3.00", 4), (61, "C", "2.00", 3), (0, "F", "0.00", 2))


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _grade(total: int) -> tuple[str, Decimal, int]:
    for low, letter, gpa, mark in LETTERS:
        if total >= low:
            return letter, Decimal(gpa), mark
    raise AssertionError(total)


def _structure():
    """The bench faculty, its specialty, term and working plan lines (made with actions)."""
    from academic.curricula import actions as curricula
    from academic.curricula.actions import SemesterPart
    from academic.curricula.models import ControlForm, StudySystem
    from academic.structure import actions as structure
    from academic.structure.models import (
        AcademicYear,
        DegreeLevel,
        Institution,
        StudyForm,
        Term,
    )

    if not Institution.objects.exists():
        Institution.objects.create(name_ky="Бенч", name_ru="Бенч", name_en="Bench")
    faculty = structure.faculty_create(
        by=None,
        code=FACULTY_CODE,
        name_ky="Бенч факультети",
        name_ru="Бенч-факультет",
        name_en="Bench faculty",
    )
    department = structure.department_create(
        by=None, faculty=faculty, code=f"{FACULTY_CODE}-D", name_ky="Бенч", name_ru="Бенч"
    )
    specialty = structure.specialty_create(
        by=None,
        department=department,
        code="999999",
        name_ky="Бенч адистиги",
        name_ru="Бенч-специальность",
        degree_level=DegreeLevel.BACHELOR,
        duration_years=4,
    )
    year = AcademicYear.objects.create(
        name=YEAR_NAME, starts_on=TERM_STARTS, ends_on=date(2091, 6, 30)
    )
    term = Term.objects.create(
        academic_year=year, number=1, starts_on=TERM_STARTS, ends_on=TERM_ENDS
    )
    Term.objects.create(
        academic_year=year, number=2, starts_on=date(2091, 2, 1), ends_on=date(2091, 6, 30)
    )
    cycle = curricula.cycle_create(by=None, code="BGR", name_ky="Бенч", name_ru="Бенч")
    plan = curricula.curriculum_create(
        by=None,
        specialty=specialty,
        intake_year=2089,
        study_form=StudyForm.FULL_TIME,
        system=StudySystem.CREDIT,
    )
    for semester in range(1, 9):
        count = COURSES if semester == 3 else 1
        for n in range(count):
            discipline = curricula.discipline_create(
                by=None,
                code=f"BGR-{semester}-{n}",
                name_ky=f"Сабак {semester}.{n}",
                name_ru=f"Предмет {semester}.{n}",
                name_en=f"Subject {semester}.{n}",
                department=department,
            )
            curricula.curriculum_line_create(
                by=None,
                curriculum=plan,
                discipline=discipline,
                cycle=cycle,
                credits=3 if count > 1 else 30,
                total_hours=90 if count > 1 else 900,
                lecture_hours=30 if count > 1 else 300,
                practice_hours=30 if count > 1 else 300,
                lab_hours=0,
                independent_hours=30 if count > 1 else 300,
                semesters=[SemesterPart(semester, 3 if count > 1 else 30, ControlForm.EXAM)],
            )
    curricula.curriculum_approve(by=None, curriculum=plan)
    working = curricula.working_plan_derive(
        by=None, curriculum=plan, academic_year=year, term_number=1
    )
    groups = [
        structure.group_create(
            by=None,
            name=f"БГР-{n:03d}-89",
            specialty=specialty,
            intake_year=2089,
            course=2,
            study_form=StudyForm.FULL_TIME,
            language="ky",
        )
        for n in range(GROUPS)
    ]
    return faculty, term, list(working.lines.select_related("discipline")), groups


def _students(groups) -> dict[int, list[int]]:
    """PER_GROUP students in each group, studying from the term's start; group → student ids."""
    from academic.records.models import Funding, Sex, Status, Student, StudentState
    from hub.accounts.models import Cabinet, User

    users = [
        User(
            username=f"bgr-{g}-{n}",
            password="!",
            cabinet=Cabinet.STUDENT,
            last_name=f"Бенчев{g:03d}",
            first_name=f"Студент{n:02d}",
        )
        for g in range(len(groups))
        for n in range(PER_GROUP)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    ids = dict(User.objects.filter(username__startswith="bgr-").values_list("username", "pk"))
    students = [
        Student(
            user_id=ids[f"bgr-{g}-{n}"],
            record_number=f"BGR{g:03d}{n:02d}",
            sex=Sex.MALE if n % 2 else Sex.FEMALE,
            birth_date=date(2071, 1, 1),
        )
        for g in range(len(groups))
        for n in range(PER_GROUP)
    ]
    Student.objects.bulk_create(students, batch_size=BATCH)
    by_number = dict(
        Student.objects.filter(record_number__startswith="BGR").values_list("record_number", "pk")
    )
    members: dict[int, list[int]] = {}
    states = []
    for g, group in enumerate(groups):
        members[group.pk] = [by_number[f"BGR{g:03d}{n:02d}"] for n in range(PER_GROUP)]
        states += [
            StudentState(
                student_id=sid,
                status=Status.STUDYING,
                group=group,
                funding=Funding.BUDGET,
                valid_from=date(2089, 9, 1),
            )
            for sid in members[group.pk]
        ]
    StudentState.objects.bulk_create(states, batch_size=BATCH)
    return members


def _insert_scores(rows: list[tuple]) -> int:
    # Half a million model instances would cost minutes of Python: plain tuples
    # through one prepared INSERT (executemany) take seconds.
    from django.db import connection

    from academic.grades.models import Score

    table = Score._meta.db_table
    columns = "checkpoint_id, student_id, source, ref, value, version, updated_at"
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def _grades(term, lines, groups, members) -> None:
    """Courses, checkpoints, closed sheets and 500,000 scores, in bulk."""
    from django.db import connection
    from django.utils import timezone

    from academic.grades.models import (
        Checkpoint,
        Course,
        ExamSheet,
        ScoreSource,
        SheetLine,
        SheetStatus,
    )

    courses = Course.objects.bulk_create(
        [
            Course(term=term, group=g, line=line, discipline=line.discipline, credits=line.credits)
            for g in groups
            for line in lines
        ],
        batch_size=BATCH,
    )
    courses = list(Course.objects.filter(term=term, group__in=groups).order_by("pk"))
    checkpoints = [
        Checkpoint(course=c, order=i, name=name, max_score=maximum, kind=kind)
        for c in courses
        for i, (name, maximum, kind) in enumerate(CHECKPOINTS, start=1)
    ]
    Checkpoint.objects.bulk_create(checkpoints, batch_size=BATCH)
    by_course: dict[int, list] = {}
    for checkpoint in Checkpoint.objects.filter(course__in=courses).order_by("course_id", "order"):
        by_course.setdefault(checkpoint.course_id, []).append(checkpoint)
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    ExamSheet.objects.bulk_create(
        [
            ExamSheet(
                course=c,
                control_form="exam",
                number=f"BGR-{c.pk}",
                status=SheetStatus.CLOSED,
                closed_at=now,
            )
            for c in courses
        ],
        batch_size=BATCH,
    )
    sheets = dict(ExamSheet.objects.filter(course__in=courses).values_list("course_id", "pk"))
    sheet_lines, scores = [], []
    written = 0
    for c in courses:
        for k, sid in enumerate(members[c.group_id]):
            points = []
            for checkpoint, count in zip(by_course[c.pk], SCORES_PER_CHECKPOINT, strict=True):
                # Deterministic, varied, sometimes above the maximum (capped when summed).
                each = Decimal((sid * 7 + c.pk * 3 + checkpoint.order * 5) % 13)
                points.append(min(each * count, checkpoint.max_score))
                scores += [
                    (checkpoint.pk, sid, ScoreSource.TEST, f"b{n}", str(each), 1, stamp)
                    for n in range(count)
                ]
            total = int(sum(points))
            letter, gpa, mark = _grade(total)
            sheet_lines.append(
                SheetLine(
                    sheet_id=sheets[c.pk],
                    student_id=sid,
                    joined_on=TERM_STARTS,
                    current_score=sum(points[:2]),
                    final_score=points[2],
                    total=total,
                    letter=letter,
                    gpa=gpa,
                    mark=mark,
                    passed=mark > 2,
                    absent=k == 0,
                )
            )
            if len(scores) >= BATCH:
                written += _insert_scores(scores)
                scores = []
        if len(sheet_lines) >= BATCH:
            SheetLine.objects.bulk_create(sheet_lines)
            sheet_lines = []
    written += _insert_scores(scores)
    SheetLine.objects.bulk_create(sheet_lines)
    _log(f"{SCENARIO}: {written} scores")


def ensure_faculty():
    """The bench faculty and its term, seeded on first use; (faculty, term)."""
    from django.db import connection, transaction

    from academic.structure.models import Faculty, Term

    faculty = Faculty.objects.filter(code=FACULTY_CODE).first()
    if faculty is None:
        started = time.perf_counter()
        _log(f"{SCENARIO}: seeding {GROUPS * PER_GROUP} students and their grades")
        with transaction.atomic():
            faculty, term, lines, groups = _structure()
            members = _students(groups)
            _grades(term, lines, groups, members)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        _log(f"{SCENARIO}: seeded in {time.perf_counter() - started:.1f} s")
    term = Term.objects.select_related("academic_year").get(academic_year__name=YEAR_NAME, number=1)
    return faculty, term


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _median_seconds(work: Callable[[], object], repeats: int = REPEATS) -> float:
    work()  # warm the database's and Django's caches
    return statistics.median(_seconds(work) for _n in range(repeats))


def _raw(queryset) -> Callable[[], list]:
    """Run a queryset's SQL through a cursor: the least the database does for it."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()

    def work() -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return work


def run(env: dict[str, str] | None = None) -> list[Row]:
    """Seed the bench faculty if needed, then time the results, monitoring and rating pages."""
    from django.db.models import Count, F

    from academic.grades.models import ExamSheet
    from academic.grades.scoring import scale_for
    from academic.grades.selectors import results
    from hub.accounts.access import Scope
    from hub.accounts.models import ScopeKind

    faculty, term = ensure_faculty()
    deanery = [Scope(ScopeKind.FACULTY, faculty.pk)]
    scale = scale_for()
    lines = results.session_lines(term=term, scopes=deanery, faculty=faculty.pk)
    core = {
        by: _raw(
            lines.annotate(key=results._KEYS[by])
            .values("key")
            .annotate(**results.figures_of([b.letter for b in scale.bands]))
            .order_by()
        )
        for by in (results.FACULTY, results.GROUP, results.COURSE)
    }
    count = lines.count()
    _log(f"{SCENARIO}: {count} sheet lines of the faculty")
    rows: list[Row] = []
    for by in (results.FACULTY, results.GROUP, results.COURSE):
        baseline = _median_seconds(core[by])
        seconds = _median_seconds(
            lambda by=by: results.session_results(
                term=term, scopes=deanery, by=by, faculty=faculty.pk, scale=scale
            )
        )
        _log(f"  session results by {by}: {seconds * 1000:.0f} ms (SQL {baseline * 1000:.0f} ms)")
        rows.append(
            row(SCENARIO, f"session results by {by}, {GROUPS * PER_GROUP} students",
                seconds * 1000, "ms", baseline=baseline * 1000,
                target=f"<= {TARGET_S * 1000:g} ms", met=seconds <= TARGET_S,
                note=f"median of {REPEATS}; {count} lines; baseline: the GROUP BY run directly")
        )  # fmt: skip

    sheets = ExamSheet.objects.filter(
        course__term=term, course__group__specialty__department__faculty=faculty
    )
    monitor_sql = _raw(
        sheets.values("course__group_id", faculty_id=F("course__group__specialty__department__faculty_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )  # fmt: skip
    baseline = _median_seconds(monitor_sql)
    seconds = _median_seconds(lambda: results.session_progress(term=term, scopes=deanery))
    _log(f"  session monitoring: {seconds * 1000:.0f} ms (SQL {baseline * 1000:.0f} ms)")
    rows.append(
        row(SCENARIO, "session monitoring of the faculty", seconds * 1000, "ms",
            baseline=baseline * 1000, target=f"<= {TARGET_S * 1000:g} ms",
            met=seconds <= TARGET_S, note=f"median of {REPEATS}; baseline: the GROUP BY directly")
    )  # fmt: skip

    on = term.ends_on
    courses = results.rating_courses(
        term=term, scopes=deanery, group=None, specialty=None, faculty=faculty.pk
    )
    ids_sql, params = courses.values("pk").order_by().query.sql_with_params()
    baseline = _median_seconds(lambda: results._capped_totals(ids_sql, list(params)))
    seconds = _median_seconds(
        lambda: results.rating(term=term, scopes=deanery, faculty=faculty.pk, on=on)
    )
    _log(f"  rating of the faculty: {seconds * 1000:.0f} ms (SQL {baseline * 1000:.0f} ms)")
    rows.append(
        row(SCENARIO, f"rating of the faculty, {GROUPS * PER_GROUP} students", seconds * 1000,
            "ms", baseline=baseline * 1000, target=f"<= {TARGET_S * 1000:g} ms",
            met=seconds <= TARGET_S,
            note=f"median of {REPEATS}; baseline: the capped sum of the scores run directly")
    )  # fmt: skip
    return rows


if __name__ == "__main__":
    # Alone: `python -m tests.bench.grades_results` on a bench database of its own.
    from tests.bench.environment import run_alone

    sys.exit(run_alone(run, "results"))
