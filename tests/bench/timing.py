"""Timing helpers shared by the in-process benches (grades_sheet, grades_transcript, ...).

- `log(message)`: a progress line on stderr;
- `times(work, repeats, warm=5)`: milliseconds of each of `repeats` calls, after `warm` calls
  that fill the database's and Django's caches;
- `times_interleaved(first, second, repeats)`: the same for two pieces of work run in turn,
  so that both meet the same load of a shared machine (a baseline and what it is compared to);
- `p95(values)`: the 95th percentile;
- `captured_sql(work)`: the SQL `work` sends, as sent (parameters in place);
- `page_sql(client, url)`: the SQL of one request through the test client, counted inside the
  view (a request resets the connection's query log otherwise);
- `replay(statements)`: a function that runs the SELECTs among `statements` on a bare cursor
  and fetches every row: the raw-SQL baseline of a selector or a page;
- `against_raw_sql(scenario, subject, cases, ...)`: each `Case` timed in turn with its raw
  SQL, as report rows with their targets.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def times(work: Callable[[], object], repeats: int, warm: int = 5) -> list[float]:
    for _n in range(warm):  # warm the caches of the database and of Django's SQL compiler
        work()
    measured = []
    for _n in range(repeats):
        started = time.perf_counter()
        work()
        measured.append((time.perf_counter() - started) * 1000)
    return measured


def times_interleaved(
    first: Callable[[], object], second: Callable[[], object], repeats: int, warm: int = 5
) -> tuple[list[float], list[float]]:
    for _n in range(warm):
        first()
        second()
    measured: tuple[list[float], list[float]] = ([], [])
    for _n in range(repeats):
        for work, into in ((first, measured[0]), (second, measured[1])):
            started = time.perf_counter()
            work()
            into.append((time.perf_counter() - started) * 1000)
    return measured


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def captured_sql(work: Callable[[], object]) -> list[str]:
    """The SQL `work` sends, as sent (parameters in place)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        work()
    return [q["sql"] for q in captured.captured_queries]


def page_sql(client, url: str) -> list[str]:
    """The SQL of one GET of `url` through the test client `client`, as sent."""
    from django.core.signals import request_started
    from django.db import reset_queries

    request_started.disconnect(reset_queries)
    try:
        return captured_sql(lambda: client.get(url))
    finally:
        request_started.connect(reset_queries)


def replay(statements: list[str]) -> Callable[[], None]:
    """The SELECTs of `statements`, run as they were sent on a cursor, every row fetched."""
    from django.db import connection

    selects = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]

    def run() -> None:
        with connection.cursor() as cursor:
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()

    return run


@dataclass(frozen=True)
class Case:
    """One piece of work timed against its raw SQL: a selector (held to a ratio) or a page."""

    label: str
    work: Callable[[], object]
    raw: Callable[[], None]
    repeats: int
    what: str  # the baseline, in words
    held_to_ratio: bool


def against_raw_sql(
    scenario: str, subject: str, cases: tuple[Case, ...], *, target_ratio: float, target_ms: float
) -> list:
    """Time each case in turn with its raw SQL; a p50 row and a p95 row with its target each.

    A selector is held to `target_ratio` times its SQL, a page (session, rights,
    template) to `target_ms`; both to `target_ms` at p95.
    """
    from tests.bench.report import row

    rows = []
    for case in cases:
        raw, measured = times_interleaved(case.raw, case.work, case.repeats)
        value, baseline = p95(measured), p95(raw)
        ratio = value / baseline
        # The p50s too: on a busy machine both p95s may be a scheduler's time slice.
        middle = statistics.median(measured) / statistics.median(raw)
        log(
            f"  {subject} {case.label}: p50 {statistics.median(measured):.2f} ms, "
            f"p95 {value:.2f} ms; raw SQL p50 {statistics.median(raw):.2f} ms, "
            f"p95 {baseline:.2f} ms; ratio p95 {ratio:.2f}, p50 {middle:.2f}"
        )
        rows.append(
            row(scenario, f"{subject}, {case.label} p50", statistics.median(measured), "ms",
                baseline=statistics.median(raw), note="informative: the p50s of the same runs")
        )  # fmt: skip
        target = f"<= {target_ratio:g}x raw SQL" if case.held_to_ratio else f"<= {target_ms:g} ms"
        met = ratio <= target_ratio if case.held_to_ratio else True
        rows.append(
            row(scenario, f"{subject}, {case.label} p95", value, "ms",
                baseline=baseline, target=target, met=met and value <= target_ms,
                note=f"{len(measured)} runs; baseline: p95 of {case.what} replayed on a cursor "
                "and fetched, run in turn with it")
        )  # fmt: skip
    return rows
