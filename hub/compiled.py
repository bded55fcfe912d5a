"""Querysets compiled to SQL once and run many times: the exam's hottest statements.

Building a queryset and compiling it costs Django about 1 ms of CPU; running the SQL it
gives costs 0.1–0.2 ms. The statements every student of an exam sends every few seconds
(an answer save's lock, the lean path's session check: issue 8, `python -m
tests.bench.testing_spike`) keep one shape and change only their values. `Compiled`
builds such a queryset once per process, with stand-in values, keeps its SQL
and where each value goes, and runs it with the values of the call; the row comes back
converted as the queryset converts it (JSON, dates), by the queryset's own converters.

Only a queryset whose SQL has the same shape whatever the values fits: values compared
with `=` (never None, which Django writes as IS NULL; never a list, whose length shapes
an IN), each a plain integer id.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Stand-ins no real id takes: negative, and each distinct, so its place is found.
_STAND_IN_BASE = -(2**62)


@dataclass(frozen=True)
class _Slot:
    """The place of one of the call's values among the SQL's parameters."""

    name: str


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple  # a _Slot for each of the call's values, the queryset's own constants
    compiler: Any  # its converters turn a row as the queryset would


class Compiled:
    """`build(**ids)` → a values_list queryset; `.first(**ids)` → its first row, or None.

    The first call builds and compiles it (inside the caller's transaction when the
    queryset locks rows, as Django requires); later calls, on any thread, only run its
    SQL. The compiler kept for its converters reads the connection's settings, never the
    database."""

    def __init__(self, build: Callable[..., QuerySet], using: str = DEFAULT_DB_ALIAS):
        self.build = build
        self.using = using
        self.names = tuple(inspect.signature(build).parameters)
        self._plan: _Plan | None = None

    def first(self, **ids: int) -> tuple | None:
        if set(ids) != set(self.names):
            raise TypeError(f"{self.build.__name__} takes {', '.join(self.names)}")
        connection = connections[self.using]
        plan = self._plan or self._compile(connection)
        params = [ids[p.name] if isinstance(p, _Slot) else p for p in plan.params]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        return tuple(next(plan.compiler.results_iter(results=[[row]])))

    def _stand_ins(self) -> dict[str, int]:
        return {name: _STAND_IN_BASE - i for i, name in enumerate(self.names)}

    def _compile(self, connection) -> _Plan:
        stand_ins = self._stand_ins()
        queryset = self.build(**stand_ins)[:1]
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = {value: _Slot(name) for name, value in stand_ins.items()}
        placed = tuple(slots.get(p, p) if type(p) is int else p for p in params)
        missing = set(self.names) - {p.name for p in placed if isinstance(p, _Slot)}
        if missing:
            raise ValueError(f"{self.build.__name__}: {', '.join(sorted(missing))} not in its SQL")
        # Two threads compiling at once make equal plans: whichever is kept serves both.
        self._plan = _Plan(sql, placed, compiler)
        return self._plan
