"""Contingent reports (SR-6): counts of students on a date, and the Ministry's form.

Every figure is counted by the database with GROUP BY over the StudentState
periods covering the date (selectors.covering), joined to the group, the
specialty and the personal file; Python only puts labels on the keys. A report
therefore costs the same few queries for 100 students as for 20,000.

A student is counted where their state on the date puts them: a student
transferred from faculty A to faculty B counts in A before the order's
effective date and in B from it. The reader's scope (a deanery: its faculty)
filters the groups of those states.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from academic.records.models import (
    GroupCourse,
    OrderKind,
    OrderStatus,
    Sex,
    Status,
    StudentState,
)
from academic.records.selectors import states_on
from academic.structure.models import College, Faculty, SoateUnit, Specialty, StudyForm
from academic.structure.permissions import groups_visible_filter
from hub.accounts.access import Scope

ALL_STATUSES = ""
UNKNOWN = _("not stated")
# Citizenship is free text in the personal file; these spellings mean a citizen.
HOME_CITIZENSHIP = ("Кыргызская Республика", "Кыргыз Республикасы", "Kyrgyz Republic", "Кыргызстан")


# --- Age bands -------------------------------------------------------------------------

AGE_BANDS: tuple[tuple[str, Promise | str, int | None], ...] = (
    # (key, label, lowest age of the next band); numbers need no translation
    ("a0", _("under 18"), 18),
    ("a18", "18–20", 21),
    ("a21", "21–23", 24),
    ("a24", "24–29", 30),
    ("a30", _("30 and over"), None),
)


def years_before(on: date, years: int) -> date:
    """The date `years` years before `on`; 29 February falls back to the 28th."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def age_band_expression(on: date, prefix: str = "student__") -> Case:
    """The age band key of the student on `on`: born after the date they reach the next band."""
    whens = [
        When(**{f"{prefix}birth_date__gt": years_before(on, upper)}, then=Value(key))
        for key, _label, upper in AGE_BANDS
        if upper is not None
    ]
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


# --- Course on the date ----------------------------------------------------------------


def course_expression(on: date, prefix: str = "group") -> Coalesce:
    """The course of the state's group on `on`, as selectors.course_on reads it, in SQL.

    The period covering `on`, else the group's earliest period, else its course now.
    """
    periods = GroupCourse.objects.filter(group_id=OuterRef(f"{prefix}_id"))
    covering_period = periods.filter(valid_from__lte=on).order_by("-valid_from").values("course")
    earliest = periods.order_by("valid_from").values("course")
    return Coalesce(
        Subquery(covering_period[:1]),
        Subquery(earliest[:1]),
        F(f"{prefix}__course"),
        output_field=IntegerField(),
    )


# --- Dimensions ------------------------------------------------------------------------

Labeler = Callable[[Sequence[object]], dict[object, str]]


@dataclass(frozen=True)
class Dimension:
    """What students are counted by: a key computed in SQL and labels for its keys.

    `order` lists keys in their natural order (keys not in it, or all of
    them when it is empty, follow by label); `labels` names the keys found
    (at most two queries: faculties and colleges).
    """

    name: str
    title: Promise
    key: Callable[[date], object]
    labels: Labeler
    order: tuple = ()


def _choice_labels(choices) -> Labeler:
    names = dict(choices)
    return lambda keys: {key: str(names.get(key, key or UNKNOWN)) for key in keys}


def _faculty_labels(keys: Sequence[object]) -> dict[object, str]:
    # Colleges are counted with negative keys so they never meet a faculty's id.
    faculties = Faculty.objects.in_bulk([k for k in keys if k and k > 0])
    colleges = College.objects.in_bulk([-k for k in keys if k and k < 0])
    labels: dict[object, str] = {}
    for key in keys:
        unit = faculties.get(key) if key and key > 0 else colleges.get(-key) if key else None
        labels[key] = unit.name if unit else str(UNKNOWN)
    return labels


def _specialty_labels(keys: Sequence[object]) -> dict[object, str]:
    specialties = Specialty.objects.in_bulk([k for k in keys if k])
    return {
        key: f"{specialties[key].code} {specialties[key].name}" if key in specialties else ""
        for key in keys
    }


def _soate_labels(keys: Sequence[object]) -> dict[object, str]:
    units = SoateUnit.objects.in_bulk([k for k in keys if k])
    return {key: units[key].name if key in units else str(UNKNOWN) for key in keys}


def _course_labels(keys: Sequence[object]) -> dict[object, str]:
    return {key: str(key) for key in keys}


def _text_labels(keys: Sequence[object]) -> dict[object, str]:
    return {key: str(key) if key else str(UNKNOWN) for key in keys}


FACULTY_PATH = "group__specialty__department__"


def _region_key(_on: date):
    # The top unit of the address: the first ancestor present, going up at most three levels.
    unit = "student__address_unit"
    return Coalesce(
        F(f"{unit}__parent__parent__parent_id"),
        F(f"{unit}__parent__parent_id"),
        F(f"{unit}__parent_id"),
        F(f"{unit}_id"),
    )


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension(
            "faculty",
            _("Faculty or college"),
            lambda _on: Coalesce(
                F(f"{FACULTY_PATH}faculty_id"), Value(0) - F(f"{FACULTY_PATH}college_id")
            ),
            _faculty_labels,
        ),
        Dimension(
            "specialty", _("Specialty"), lambda _on: F("group__specialty_id"), _specialty_labels
        ),
        Dimension(
            "course", _("Course"), course_expression, _course_labels, order=(1, 2, 3, 4, 5, 6)
        ),
        Dimension(
            "study_form",
            _("Study form"),
            lambda _on: F("group__study_form"),
            _choice_labels(StudyForm.choices),
            order=tuple(StudyForm.values),
        ),
        Dimension(
            "funding",
            _("Funding"),
            lambda _on: F("funding"),
            _choice_labels(StudentState._meta.get_field("funding").choices),
            order=("budget", "contract"),
        ),
        Dimension(
            "sex",
            _("Sex"),
            lambda _on: F("student__sex"),
            _choice_labels(Sex.choices),
            order=tuple(Sex.values),
        ),
        Dimension(
            "age",
            _("Age"),
            age_band_expression,
            _choice_labels([(key, label) for key, label, _upper in AGE_BANDS]),
            order=tuple(key for key, _label, _upper in AGE_BANDS),
        ),
        Dimension(
            "nationality", _("Nationality"), lambda _on: F("student__nationality"), _text_labels
        ),
        Dimension("region", _("Region"), _region_key, _soate_labels),
        Dimension(
            "status",
            _("Status"),
            lambda _on: F("status"),
            _choice_labels(Status.choices),
            order=tuple(Status.values),
        ),
    )
}
DIMENSION_CHOICES = [(d.name, d.title) for d in DIMENSIONS.values()]


# --- The contingent on a date -----------------------------------------------------------


def contingent_states(
    *, on: date, scopes: list[Scope], status: str = Status.STUDYING, faculty: int | None = None
) -> QuerySet[StudentState]:
    """The states on `on` inside `scopes` in `status` ("" for all), of `faculty` if given."""
    states = states_on(on)
    condition = groups_visible_filter(scopes, prefix="group__")
    if condition is not None:
        states = states.filter(condition)
    if status:
        states = states.filter(status=status)
    if faculty:
        states = states.filter(**{f"{FACULTY_PATH}faculty_id": faculty})
    return states


@dataclass
class Axis:
    """The keys of one side of a table, in order, with their labels."""

    dimension: Dimension
    keys: list[object] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


@dataclass
class ContingentTable:
    """Counts by `rows` (and by `columns` for a cross table), with totals."""

    on: date
    rows: Axis
    columns: Axis | None
    cells: dict[tuple[object, object], int]
    row_totals: dict[object, int]
    column_totals: dict[object, int]
    total: int

    def count(self, row: object, column: object = None) -> int:
        return self.cells.get((row, column), 0)

    def matrix(self) -> list[tuple[str, list[int], int]]:
        """(row label, counts by column — or [count] without columns —, row total)."""
        columns = self.columns.keys if self.columns else [None]
        return [
            (label, [self.count(key, c) for c in columns], self.row_totals.get(key, 0))
            for key, label in zip(self.rows.keys, self.rows.labels, strict=True)
        ]

    def column_total_list(self) -> list[int]:
        if not self.columns:
            return [self.total]
        return [self.column_totals.get(key, 0) for key in self.columns.keys]


def _axis(dimension: Dimension, keys: set[object]) -> Axis:
    labels = dimension.labels(sorted(keys, key=_sortable))
    known = [k for k in dimension.order if k in keys]
    rest = sorted((k for k in keys if k not in dimension.order), key=lambda k: labels[k])
    ordered = known + rest
    return Axis(dimension, ordered, [labels[k] for k in ordered])


def _sortable(key: object) -> tuple[bool, str]:
    return (key is None, str(key))


def contingent(
    *,
    on: date,
    scopes: list[Scope],
    rows: str,
    columns: str = "",
    status: str = Status.STUDYING,
    faculty: int | None = None,
) -> ContingentTable:
    """Counts of the students on `on` by the dimension `rows` (× `columns`), with totals.

    One GROUP BY query, then at most one query per dimension for the labels.
    """
    row_dim = DIMENSIONS[rows]
    column_dim = DIMENSIONS[columns] if columns else None
    keys = {"r": row_dim.key(on)}
    if column_dim:
        keys["c"] = column_dim.key(on)
    counted = (
        contingent_states(on=on, scopes=scopes, status=status, faculty=faculty)
        .order_by()
        .annotate(**keys)
        .values(*keys)
        .annotate(n=Count("id"))
    )
    cells: dict[tuple[object, object], int] = {}
    row_totals: dict[object, int] = defaultdict(int)
    column_totals: dict[object, int] = defaultdict(int)
    for found in counted:
        row, column = found["r"], found.get("c")
        cells[(row, column)] = found["n"]
        row_totals[row] += found["n"]
        column_totals[column] += found["n"]
    return ContingentTable(
        on=on,
        rows=_axis(row_dim, set(row_totals)),
        columns=_axis(column_dim, set(column_totals)) if column_dim else None,
        cells=cells,
        row_totals=dict(row_totals),
        column_totals=dict(column_totals),
        total=sum(row_totals.values()),
    )


def chart_data(table: ContingentTable) -> dict:
    """The table as Chart.js data: one dataset, or one per column of a cross table."""
    if table.columns is None:
        datasets = [
            {"label": str(table.rows.dimension.title), "data": [t for _l, _c, t in table.matrix()]}
        ]
    else:
        datasets = [
            {"label": label, "data": [table.count(row, key) for row in table.rows.keys]}
            for key, label in zip(table.columns.keys, table.columns.labels, strict=True)
        ]
    return {"labels": table.rows.labels, "datasets": datasets}


def export_rows(table: ContingentTable) -> tuple[list[str], list[list[object]]]:
    """Headers and rows of the table for hub.exports, the totals row last."""
    columns = table.columns.labels if table.columns else [str(_("Students"))]
    headers = [str(table.rows.dimension.title), *columns]
    if table.columns:
        headers.append(str(_("Total")))
    lines: list[list[object]] = []
    for label, counts, total in table.matrix():
        lines.append([label, *counts, total] if table.columns else [label, *counts])
    totals = table.column_total_list()
    lines.append(
        [str(_("Total")), *totals, table.total] if table.columns else [str(_("Total")), *totals]
    )
    return headers, lines


# --- The Ministry's form ----------------------------------------------------------------


def foreign_citizens() -> Q:
    """Students whose citizenship is stated and is not the Kyrgyz Republic's."""
    home = Q()
    for spelling in HOME_CITIZENSHIP:
        home |= Q(student__citizenship__iexact=spelling)
    return ~home & ~Q(student__citizenship="")


@dataclass
class MinistryLine:
    specialty: str
    study_form: str
    course: int
    total: int
    budget: int
    contract: int
    women: int
    foreign: int


@dataclass
class MovementLine:
    specialty: str
    study_form: str
    admitted: int
    reinstated: int
    expelled: int
    graduated: int


@dataclass
class MinistryReport:
    """The contingent on `on` by specialty × study form × course, and the movement of the period."""

    start: date
    on: date
    lines: list[MinistryLine]
    totals: MinistryLine
    movements: list[MovementLine]
    movement_totals: MovementLine


MOVEMENT_KINDS = {
    "admitted": OrderKind.ADMISSION,
    "reinstated": OrderKind.REINSTATEMENT,
    "expelled": OrderKind.EXPULSION,
    "graduated": OrderKind.GRADUATION,
}


def _specialty_names(ids: set[int]) -> dict[int, str]:
    return _specialty_labels(sorted(ids))


def ministry_report(*, start: date, on: date, scopes: list[Scope]) -> MinistryReport:
    """The statistical form: students studying on `on`, and orders effective in [start, on].

    Students on academic leave are not counted as studying (the form lists them
    apart). Movements are the states opened by lines of signed orders of each
    kind, where they put the student (for expulsions: the group left). Three
    GROUP BY queries and one for the specialties' names.
    """
    study_form_names = dict(StudyForm.choices)
    counted = (
        contingent_states(on=on, scopes=scopes, status=Status.STUDYING)
        .order_by()
        .annotate(course=course_expression(on))
        .values("group__specialty_id", "group__study_form", "course")
        .annotate(
            total=Count("id"),
            budget=Count("id", filter=Q(funding="budget")),
            contract=Count("id", filter=Q(funding="contract")),
            women=Count("id", filter=Q(student__sex=Sex.FEMALE)),
            foreign=Count("id", filter=foreign_citizens()),
        )
    )
    counted = list(counted)
    moved = list(_movements(start=start, on=on, scopes=scopes))
    names = _specialty_names({r["group__specialty_id"] for r in counted + moved})

    def form(code: str) -> str:
        return str(study_form_names.get(code, code))

    lines = [
        MinistryLine(
            names[r["group__specialty_id"]],
            form(r["group__study_form"]),
            r["course"],
            *(r[k] for k in ("total", "budget", "contract", "women", "foreign")),
        )
        for r in counted
    ]
    lines.sort(key=lambda line: (line.specialty, line.study_form, line.course))
    movements = [
        MovementLine(
            names[r["group__specialty_id"]],
            form(r["group__study_form"]),
            *(r[k] for k in MOVEMENT_KINDS),
        )
        for r in moved
    ]
    movements.sort(key=lambda line: (line.specialty, line.study_form))
    return MinistryReport(
        start=start,
        on=on,
        lines=lines,
        totals=MinistryLine(
            str(_("Total")), "", 0, *(sum(getattr(x, k) for x in lines) for k in _COUNTS)
        ),
        movements=movements,
        movement_totals=MovementLine(
            str(_("Total")), "", *(sum(getattr(x, k) for x in movements) for k in MOVEMENT_KINDS)
        ),
    )


_COUNTS = ("total", "budget", "contract", "women", "foreign")


def _movements(*, start: date, on: date, scopes: list[Scope]):
    states = StudentState.objects.filter(
        order_line__order__status=OrderStatus.SIGNED,
        order_line__order__effective_date__gte=start,
        order_line__order__effective_date__lte=on,
    )
    condition = groups_visible_filter(scopes, prefix="group__")
    if condition is not None:
        states = states.filter(condition)
    kind = "order_line__order__kind"
    return (
        states.order_by()
        .values("group__specialty_id", "group__study_form")
        .annotate(
            **{
                name: Count("id", filter=Q(**{kind: order_kind}))
                for name, order_kind in MOVEMENT_KINDS.items()
            }
        )
    )


def ministry_export_rows(report: MinistryReport) -> tuple[list[str], list[list[object]]]:
    """Both tables of the form as one sheet: the contingent, then the movement of the period."""
    headers = [
        str(h)
        for h in (
            _("Specialty"),
            _("Study form"),
            _("Course"),
            _("Students"),
            _("state budget"),
            _("contract"),
            _("of them women"),
            _("of them foreign citizens"),
        )
    ]
    rows: list[list[object]] = [
        [x.specialty, x.study_form, x.course or "", *(getattr(x, k) for k in _COUNTS)]
        for x in [*report.lines, report.totals]
    ]
    rows.append([""] * len(headers))
    rows.append(
        [
            str(h)
            for h in (
                _("Specialty"),
                _("Study form"),
                _("Admitted"),
                _("Reinstated"),
                _("Expelled"),
                _("Graduated"),
            )
        ]
    )
    rows += [
        [x.specialty, x.study_form, *(getattr(x, k) for k in MOVEMENT_KINDS)]
        for x in [*report.movements, report.movement_totals]
    ]
    # Every row as wide as the header, which a PDF table needs.
    return headers, [row + [""] * (len(headers) - len(row)) for row in rows]
