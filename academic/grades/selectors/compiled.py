"""Querysets compiled once, run with new arguments: hot selectors without Django's per-call cost.

Compiling a queryset with joins costs Django more than the database takes to
run it, and building model instances more again (tests/bench/grades_sheet.py,
grades_transcript.py). A `Statement` compiles its queryset once per thread and
database, with placeholder arguments, and runs that SQL with the real
arguments in their places. Its rows are plain values (lists, or NamedTuples)
with the ORM's own conversions applied (Decimal, bool, date on SQLite); a conversion to an
immutable value is remembered, since the same raw value always converts to
the same one (scores repeat on every sheet). A statement's last column may be
joined in Python to the values of another statement's rows (rows(join=...)).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping
from operator import itemgetter
from typing import Any

from django.db import connections, router
from django.db.backends.utils import CursorWrapper
from django.db.models import Model, QuerySet

# Placeholders no real argument takes: negative ids, strings with a NUL.
_ID_BASE = -7_000_000_001
# Fields whose converted values are immutable, so shared between rows safely.
# (Not DateTimeField: equal aware datetimes may differ in their zone.)
_MEMO_FIELDS = {
    "BigIntegerField",
    "BooleanField",
    "DateField",
    "DecimalField",
    "FloatField",
    "IntegerField",
    "NullBooleanField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
}
_MEMO_LIMIT = 10_000
# A positional placeholder of Django's SQL (as django.db.backends.sqlite3 finds them).
_POSITIONAL = re.compile(r"(?<!%)%s")


def _placeholder(position: int, argument: object) -> object:
    if isinstance(argument, bool) or not isinstance(argument, int | str):
        raise TypeError(f"a Statement takes ids and strings, not {type(argument).__name__}")
    if isinstance(argument, int):
        return _ID_BASE - position
    return f"\x00statement-argument-{position}\x00"


class _Compiled:
    """The SQL of one statement on one database, where its arguments go and its conversions."""

    def __init__(self, build: Callable[..., QuerySet], alias: str, arguments: tuple) -> None:
        placeholders = [_placeholder(n, a) for n, a in enumerate(arguments)]
        compiler = build(*placeholders).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        # Named parameters (%(p0)s…) spare SQLite's cursor a regular expression over the
        # whole statement on every run (Django turns positional %s into ? that way).
        names = iter(range(len(params)))
        self.sql = _POSITIONAL.sub(lambda _match: f"%(p{next(names)})s", sql)
        if next(names, None) is not None:
            raise ValueError("the statement's placeholders do not match its parameters")
        slots = {p: n for n, p in enumerate(placeholders)}
        # Each parameter: (True, index of the argument) or (False, the constant itself).
        self.params = [
            (True, slots[p]) if _is_placeholder(p, slots) else (False, _plain(p)) for p in params
        ]
        missing = set(range(len(placeholders))) - {i for is_arg, i in self.params if is_arg}
        if missing:
            raise ValueError(f"arguments {sorted(missing)} do not reach the SQL as they are")
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.width = len(fields)
        self.connection = connections[alias]
        self.convert_rows, self.convert_tuples, self.convert_joined = self._row_converter(
            len(fields), compiler.get_converters(fields)
        )

    def _row_converter(self, width: int, converters: dict) -> tuple[Callable, Callable, Callable]:
        """Functions (rows, make) → [make(converted row)], (rows, a tuple class) → its rows,
        and (rows, a tuple class, joined, missing) → its rows with the last column joined.

        Written for this statement's columns and generated, as collections.namedtuple
        writes its methods: one expression per row, with a memo subscript or a
        conversion call only where a column needs one, costs a fraction of a
        loop over the columns of every row.
        """
        names: dict[str, Any] = {}
        cells = []
        for position in range(width):
            if position not in converters:
                cells.append(f"r[{position}]")
                continue
            column_converters, expression = converters[position]
            convert = self._converter(column_converters, expression)
            memo = self._memo(expression, convert)
            if memo is None:
                names[f"c{position}"] = convert
                cells.append(f"c{position}(r[{position}])")
            else:
                names[f"m{position}"] = memo
                cells.append(f"m{position}[r[{position}]]")
        row = ", ".join(cells)
        # The last column is a key there, read as it comes: the values it is joined to replace it.
        joined = ", ".join([*cells[:-1], f"*get(r[{width - 1}], missing)"])
        source = (
            "def convert_rows(rows, make):\n"
            f"    return [make(({row},)) for r in rows]\n"
            "def convert_tuples(rows, cls):\n"
            f"    return [new(cls, ({row},)) for r in rows]\n"
            "def convert_joined(rows, cls, joined, missing):\n"
            "    get = joined.get\n"
            f"    return [new(cls, ({joined},)) for r in rows]\n"
        )
        names["new"] = tuple.__new__
        exec(source, names)  # noqa: S102 - the source names only positions and local converters
        return names["convert_rows"], names["convert_tuples"], names["convert_joined"]

    def _converter(self, converters: list, expression) -> Callable[[Any], Any]:
        connection = self.connection

        def convert(value):
            for converter in converters:
                value = converter(value, expression, connection)
            return value

        return convert

    @staticmethod
    def _memo(expression, convert: Callable[[Any], Any]) -> _Memo | None:
        """A memo of the column's conversions when they give immutable values, else None."""
        field = getattr(expression, "output_field", None)
        if field is None or field.get_internal_type() not in _MEMO_FIELDS:
            return None
        return _Memo(convert)

    def params_for(self, arguments: tuple) -> dict:
        return {
            f"p{n}": arguments[value] if is_arg else value
            for n, (is_arg, value) in enumerate(self.params)
        }


def _plain(param: object) -> object:
    """A choice (a str subclass such as SheetStatus.CLOSED) as a plain str: the driver takes it faster."""
    if isinstance(param, str) and type(param) is not str:
        return str.__str__(param)
    return param


def _is_placeholder(param: object, slots: dict) -> bool:
    # A constant equal to a placeholder cannot occur: they are out of any real range.
    return (isinstance(param, int | str) and not isinstance(param, bool)) and param in slots


class _Memo(dict):
    """Raw value → converted value of one column, filled on first sight.

    Keyed by the raw value: equal raw values of one column (1, 1.0, True)
    convert to equal values for the fields memoised.
    """

    __slots__ = ("convert",)

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value):
        if len(self) >= _MEMO_LIMIT:
            self.clear()
        converted = self[value] = self.convert(value)
        return converted


class Statement:
    """`build(*arguments)`'s SQL, compiled once per thread and database, run with any arguments.

    `build` takes ids (int) and strings and returns a queryset, usually a
    values_list(); each argument must reach the SQL unchanged as a parameter
    (an exact lookup), which compiling checks. The model routes the read.
    """

    def __init__(self, model: type[Model], build: Callable[..., QuerySet]) -> None:
        self.model = model
        self.build = build
        self._local = threading.local()

    def _compiled(self, alias: str, arguments: tuple) -> _Compiled:
        # By the arguments' types too: the placeholders compiled in are of their types.
        cache = getattr(self._local, "compiled", None)
        if cache is None:
            cache = self._local.compiled = {}
        key = (alias, tuple(map(type, arguments)))
        compiled = cache.get(key)
        if compiled is None:
            compiled = cache[key] = _Compiled(self.build, alias, arguments)
        return compiled

    def rows(
        self,
        *arguments: int | str,
        make: Callable[[list], Any] = list,
        cursor: CursorWrapper | None = None,
        join: Callable[[Iterator], Mapping[Any, tuple]] | None = None,
        missing: tuple = (),
    ) -> list:
        """The rows for `arguments` (one query): each `make(values)`, converted as the ORM does.

        `make` is list by default; a NamedTuple class gives named rows. `cursor`
        (from reading()) runs the statement on a cursor a selector opened for all
        its statements; without one, the statement opens its own.

        `join` (with a tuple class as `make`) joins the last column in Python: it is
        called once with that column's values (keys, such as user ids, as the database
        gives them) and returns key → a tuple of values, which replace the key in each
        row (`missing` where it has no values). A second statement read that way (the
        names of the users a page shows) costs no join in the first statement's plan,
        and each row is still made once.
        """
        if cursor is None:
            with reading(self.model) as cursor:
                return self.rows(*arguments, make=make, cursor=cursor, join=join, missing=missing)
        compiled = self._compiled(cursor.db.alias, arguments)
        cursor.execute(compiled.sql, compiled.params_for(arguments))
        rows = cursor.fetchall()
        if isinstance(make, type) and issubclass(make, tuple):
            width = compiled.width if join is None else compiled.width - 1 + len(missing)
            if len(getattr(make, "_fields", ())) not in (0, width):
                raise ValueError(
                    f"{make.__name__} does not have the {width} columns of the statement"
                    + (" and its join" if join is not None else "")
                )
            # A NamedTuple's rows made as its _make does, without a call of it per row.
            if join is not None:
                keys = map(itemgetter(compiled.width - 1), rows)
                return compiled.convert_joined(rows, make, join(keys), missing)
            return compiled.convert_tuples(rows, make)
        if join is not None:
            raise TypeError("a join makes rows of a tuple class")
        return compiled.convert_rows(rows, make)


def reading(model: type[Model]) -> CursorWrapper:
    """A cursor on `model`'s read database, for the several statements of one selector.

    Opening a cursor costs Django more than a small statement costs SQLite, so a
    hot selector opens one and runs every statement on it, as its raw SQL would.
    Its statements' models must live in that database (there is one today). Used as
    `with reading(Model) as cursor:` (a cursor closes itself at the end of a with).
    """
    return connections[router.db_for_read(model)].cursor()
