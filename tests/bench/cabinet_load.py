"""cabinet_load: the signed-in student's cabinet page under concurrent load.

Baseline: /bench/noop, a Django view that returns "ok" through the same
middleware, on the same server, measured in the same run — so the ratio is
the cost of the page itself. The noop request carries no session cookie: with
one, the middleware would load the session and the user, and the baseline
would no longer be "Django doing nothing".

Each server (Daphne, uvicorn) runs as one process. After a warm-up, cabinet
and noop are measured alternately REPEATS times for DURATION seconds each with
CLIENTS keep-alive connections; each figure is the median over the repeats
(this machine is noisy).

Targets, per server:
- cabinet p95 latency <= 250 ms at 32 concurrent clients (a page feels
  instant under about a quarter of a second, even at the busiest minute);
- cabinet throughput >= 30% of the noop baseline (the page may cost the
  work of about three empty requests, not more: the rest would be waste in
  our code, not in the server);
- no errors (every answer a 2xx, no dropped connection).
"""

from __future__ import annotations

import os
import statistics
import sys
from dataclasses import dataclass, field

from tests.bench.loadgen import RunResult, fetch, run_load
from tests.bench.report import Row, row
from tests.bench.servers import HOST, Server

SCENARIO = "cabinet_load"
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
DURATION = float(os.environ.get("BENCH_DURATION", "8"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
WARMUP = 2.0
SERVERS = ("daphne", "uvicorn")
NOOP = "/bench/noop"
CABINET = "/cabinet/student/"

TARGET_P95_MS = 250.0
TARGET_THROUGHPUT_SHARE = 0.30


@dataclass
class Context:
    env: dict[str, str]
    cookie: str
    username: str
    full_name: str
    runs: list[RunResult] = field(default_factory=list)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _check_cabinet(port: int, headers: dict[str, str], full_name: str) -> None:
    """Measure the real page: it must answer 200 and greet the signed-in student."""
    status, body = fetch(host=HOST, port=port, path=CABINET, headers=headers)
    if status != 200 or full_name not in body.decode("utf-8", errors="replace"):
        raise RuntimeError(f"{CABINET} answered {status} without the student's name")


def _median(values: list[float]) -> float:
    return statistics.median(values)


def measure_server(kind: str, ctx: Context) -> list[Row]:
    cookie = {"Cookie": ctx.cookie}
    with Server(kind, ctx.env) as server:
        _check_cabinet(server.port, cookie, ctx.full_name)
        path = CABINET
        load = {"host": HOST, "port": server.port, "clients": CLIENTS}
        run_load(path=path, headers=cookie, duration=WARMUP, **load)
        run_load(path=NOOP, duration=WARMUP, **load)
        cabinet: list[RunResult] = []
        noop: list[RunResult] = []
        for n in range(REPEATS):
            cabinet.append(run_load(path=path, headers=cookie, duration=DURATION, **load))
            noop.append(run_load(path=NOOP, duration=DURATION, **load))
            _log(
                f"  {kind} run {n + 1}/{REPEATS}: cabinet {cabinet[-1].rps:.0f} req/s "
                f"p95 {cabinet[-1].percentile_ms(95):.1f} ms, noop {noop[-1].rps:.0f} req/s "
                f"p95 {noop[-1].percentile_ms(95):.1f} ms"
            )
    ctx.runs += cabinet + noop

    note = f"{path} vs {NOOP}, {CLIENTS} clients, median of {REPEATS} x {DURATION:g} s"
    p50 = _median([r.percentile_ms(50) for r in cabinet])
    p95 = _median([r.percentile_ms(95) for r in cabinet])
    rps = _median([r.rps for r in cabinet])
    noop_rps = _median([r.rps for r in noop])
    errors = sum(r.errors for r in cabinet)
    share = rps / noop_rps if noop_rps else 0.0
    return [
        row(SCENARIO, f"{kind} p50 latency", p50, "ms",
            baseline=_median([r.percentile_ms(50) for r in noop]), note=note),
        row(SCENARIO, f"{kind} p95 latency", p95, "ms",
            baseline=_median([r.percentile_ms(95) for r in noop]),
            target=f"<= {TARGET_P95_MS:g} ms", met=p95 <= TARGET_P95_MS, note=note),
        row(SCENARIO, f"{kind} throughput", rps, "req/s", baseline=noop_rps, ratio=share,
            target=f"ratio >= {TARGET_THROUGHPUT_SHARE:.2f}",
            met=share >= TARGET_THROUGHPUT_SHARE, note=note),
        row(SCENARIO, f"{kind} errors", errors, "count",
            baseline=sum(r.errors for r in noop), target="== 0", met=errors == 0,
            note=f"{sum(r.requests for r in cabinet)} cabinet requests"),
    ]  # fmt: skip


def run(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    for kind in SERVERS:
        _log(f"{SCENARIO}: {kind}")
        rows += measure_server(kind, ctx)
    return rows
