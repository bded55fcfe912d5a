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
  and fetches every row: the raw-SQL baseline of a selector or a page.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable


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
