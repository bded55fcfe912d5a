"""Run only the realtime scenarios of `make bench`, for working on them.

    python -m tests.bench.realtime_run [module ...]

Modules are those of tests/bench with a `run(env) -> list[Row]` (default: the
realtime ones), run one after the other on a bench database of their own
(tests.bench.environment.run_alone: SQLite under var/t-rtbench/bench/, or the
`_bench` database of DATABASE_URL; BENCH_REUSE_DB=1 keeps a seeded one).
"""

from __future__ import annotations

import importlib
import sys

from tests.bench.environment import run_alone

MODULES = ("chat_load", "realtime_announce", "realtime_storm", "realtime_idle")


def main(argv: list[str]) -> int:
    names = argv or list(MODULES)

    def run(env):
        rows = []
        for name in names:
            rows += importlib.import_module(f"tests.bench.{name}").run(env)
        return rows

    return run_alone(run, "rtbench")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
