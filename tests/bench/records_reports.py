"""records_reports: the contingent report and the student search on 20,000 students.

In-process (no HTTP): the figures are the database work of the pages —
the report's GROUP BY queries and labels, the search's count and first page
(with today's states prefetched) and the picker's top 20.

Baselines, measured in the same run:
- report: a plain COUNT(*) of the states covering the date — the least any
  count of the contingent can cost;
- search: a lookup of one student (with the user) by primary key.

Targets:
- every contingent dimension (and cross table, and the Ministry's form)
  <= 1 s, median of REPEATS runs (an office waits for a report, but not long);
- search p95 <= 100 ms over about 200 varied queries (names in either order
  and script, parts of names, record book numbers, PINs, groups, misses) —
  typing in a picker must feel immediate.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable

from tests.bench.report import Row, row

SCENARIO = "records_reports"
STUDENTS = 20_000
SEED = 1
REPEATS = 5
SEARCH_QUERIES = 200
PAGE_SIZE = 50
TARGET_REPORT_S = 1.0
TARGET_SEARCH_MS = 100.0
CROSS_TABLES = (("faculty", "course"), ("specialty", "funding"), ("course", "age"))


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_students() -> int:
    """Seed the demo university up to STUDENTS students with personal files; how many there are."""
    from django.db import connection

    from academic.records.models import Student
    from hub.demo.seed import seed_demo

    if Student.objects.count() < STUDENTS:
        _log(f"{SCENARIO}: seeding {STUDENTS} students")
        seed_demo(students=STUDENTS, seed=SEED)
        # Freshly bulk-loaded tables have no statistics yet: without them the
        # planner guesses one row per table (a live database has autovacuum).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Student.objects.count()


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _median_seconds(work: Callable[[], object], repeats: int = REPEATS) -> float:
    work()  # warm the caches of the database and of Django's SQL compiler
    return statistics.median(_seconds(work) for _n in range(repeats))


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


DEANERY = "deanery-a"  # the demo deanery of faculty 1


def _deanery():
    from hub.accounts.models import User

    return User.objects.get(username=DEANERY)


def report_rows() -> list[Row]:
    """Each dimension, a few cross tables and the Ministry's form against COUNT(*)."""
    from datetime import date

    from django.utils import timezone

    from academic.records.permissions import office_scopes
    from academic.records.reports import DIMENSIONS, contingent, ministry_report
    from academic.records.selectors import states_on
    from hub.accounts.access import Scope

    on = timezone.localdate()
    everyone = [Scope.institution()]
    baseline = _median_seconds(lambda: states_on(on).count())
    note = f"median of {REPEATS}; baseline: COUNT(*) of the states on {on.isoformat()}"
    cases: list[tuple[str, Callable[[], object]]] = [
        (name, lambda name=name: contingent(on=on, scopes=everyone, rows=name))
        for name in DIMENSIONS
    ]
    cases += [
        (f"{r} x {c}", lambda r=r, c=c: contingent(on=on, scopes=everyone, rows=r, columns=c))
        for r, c in CROSS_TABLES
    ]
    deanery = office_scopes(_deanery())
    cases.append(
        ("specialty x course, one deanery's scope",
         lambda: contingent(on=on, scopes=deanery, rows="specialty", columns="course"))
    )  # fmt: skip
    start = date(on.year - 1, 9, 1)
    cases.append(("Ministry form", lambda: ministry_report(start=start, on=on, scopes=everyone)))
    rows = []
    for label, work in cases:
        seconds = _median_seconds(work)
        _log(f"  contingent {label}: {seconds * 1000:.1f} ms")
        rows.append(
            row(SCENARIO, f"contingent by {label}", seconds * 1000, "ms",
                baseline=baseline * 1000, target=f"<= {TARGET_REPORT_S * 1000:g} ms",
                met=seconds <= TARGET_REPORT_S, note=note)
        )  # fmt: skip
    return rows


def search_queries(count: int = SEARCH_QUERIES, seed: int = SEED) -> list[str]:
    """Varied queries as offices type them, made from random students' files."""
    from academic.records.models import Student
    from academic.records.selectors import states_on

    rng = random.Random(seed)
    ids = list(Student.objects.values_list("pk", flat=True))
    sample = Student.objects.select_related("user").filter(pk__in=rng.sample(ids, count // 8 + 1))
    groups = dict(states_on().values_list("student_id", "group__name"))
    queries: list[str] = []
    for student in sample:
        user = student.user
        queries += [
            user.last_name[:5].lower(),
            f"{user.last_name[:6].lower()} {user.first_name[:3].lower()}",
            f"{user.first_name.lower()} {user.last_name.lower()}",
            user.last_name_latin or user.last_name,
            student.record_number,
            student.pin[3:9] if student.pin else student.record_number[:4],
            groups.get(student.pk, "") or "ГР-1",
            rng.choice(["zzqx", "ъъъ", "Qwerty 999"]),
        ]
    return [q for q in queries if q.strip()][:count]


def _search_page(students, text: str) -> None:
    from academic.records.search import search_page, search_students

    search_page(search_students(students, text=text), 1, PAGE_SIZE)


def _picker(students, text: str) -> None:
    from academic.records.search import picker_rows, search_students

    picker_rows(search_students(students, text=text))


def search_rows() -> list[Row]:
    """p95 of the search page and of the picker, as every office and as one deanery."""
    from academic.records.models import Student
    from academic.records.permissions import visible_students

    queries = search_queries()
    ids = list(Student.objects.values_list("pk", flat=True)[: len(queries)])
    pk_times = [
        _seconds(lambda pk=pk: Student.objects.select_related("user").get(pk=pk)) for pk in ids
    ]
    baseline = _p95(pk_times) * 1000
    deanery = visible_students(_deanery())
    rows = []
    for label, students, work in (
        ("search page", Student.objects.all(), _search_page),
        ("search picker (top 20)", Student.objects.all(), _picker),
        ("search page, one deanery's scope", deanery, _search_page),
    ):
        work(students, queries[0])
        times = [_seconds(lambda q=q, w=work, s=students: w(s, q)) for q in queries]
        p95 = _p95(times) * 1000
        _log(f"  {label}: p50 {statistics.median(times) * 1000:.1f} ms, p95 {p95:.1f} ms")
        note = f"{len(queries)} queries; baseline: p95 of a lookup by primary key"
        rows += [
            row(SCENARIO, f"{label} p50", statistics.median(times) * 1000, "ms", note=note,
                compare=False),
            row(SCENARIO, f"{label} p95", p95, "ms", baseline=baseline,
                target=f"<= {TARGET_SEARCH_MS:g} ms", met=p95 <= TARGET_SEARCH_MS, note=note),
        ]  # fmt: skip
    return rows


def run(env: dict[str, str] | None = None) -> list[Row]:
    """Seed up to 20,000 students if needed, then measure the report and the search."""
    count = ensure_students()
    _log(f"{SCENARIO}: {count} students")
    return report_rows() + search_rows()
