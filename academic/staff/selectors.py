"""Reads of staff records, each a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Sum, Value, When

from academic.staff.models import (
    AcademicDegree,
    AcademicTitle,
    Employee,
    Employment,
    Establishment,
    OrderKind,
    OrderStatus,
    Position,
    StaffOrder,
    StaffOrderLine,
)
from academic.staff.permissions import employees_in_departments
from academic.structure.models import Department
from academic.structure.selectors import soate_display

NAME_FIELDS = (
    "user__last_name",
    "user__first_name",
    "user__patronymic",
    "user__last_name_latin",
    "user__first_name_latin",
)
SEARCH_SPELLINGS = (str.lower, str.upper, str.capitalize)
SORTS = {
    "name": ("user__last_name", "user__first_name", "pk"),
    "-name": ("-user__last_name", "-user__first_name", "-pk"),
    "number": ("personnel_number",),
    "-number": ("-personnel_number",),
    "age": ("-birth_date", "pk"),
    "-age": ("birth_date", "pk"),
}
# The main job before part-time posts, whatever the codes' alphabetical order.
MAIN_JOB_FIRST = Case(When(employment=Employment.MAIN, then=Value(0)), default=Value(1))
# Lower bounds of the age bands of the report, in years.
AGE_BANDS = (0, 30, 40, 50, 60)


def held_on(on: date, prefix: str = "") -> Q:
    """A filter on Position (or through `prefix`) for the posts held on `on`."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def positions_on(employee: Employee, on: date) -> QuerySet[Position]:
    """The posts `employee` held on `on`, as signed orders left them, main job first."""
    return (
        Position.objects.filter(held_on(on), employee=employee)
        .select_related("title", "department")
        .order_by(MAIN_JOB_FIRST, "valid_from", "pk")
    )


def _text_match(word: str) -> Q:
    # SQLite folds ASCII only; try the usual spellings of a Cyrillic name.
    match = Q(personnel_number__icontains=word)
    for spell in (str, *SEARCH_SPELLINGS):
        for name in NAME_FIELDS:
            match |= Q(**{f"{name}__icontains": spell(word)})
    return match


def employees_list(
    *,
    department_ids: list[int] | None,
    on: date,
    q: str = "",
    department: int | None = None,
    degree: str = "",
    title: str = "",
    sort: str = "name",
) -> QuerySet[Employee]:
    """Cards inside `department_ids` (None: all) matching the filters, with the user
    selected and the posts held on `on` prefetched as `current_positions` (two queries)."""
    employees = Employee.objects.select_related("user")
    if department_ids is not None:
        employees = employees.filter(employees_in_departments(department_ids))
    if department:
        in_department = Position.objects.filter(held_on(on), department_id=department)
        employees = employees.filter(pk__in=in_department.values("employee_id"))
    if degree:
        employees = employees.filter(degree=degree)
    if title:
        employees = employees.filter(title=title)
    for word in q.split():
        employees = employees.filter(_text_match(word))
    current = Position.objects.filter(held_on(on)).select_related("title", "department")
    employees = employees.prefetch_related(
        Prefetch(
            "positions",
            queryset=current.order_by(MAIN_JOB_FIRST, "valid_from"),
            to_attr="current_positions",
        )
    )
    return employees.order_by(*SORTS.get(sort, SORTS["name"]))


@dataclass
class Card:
    employee: Employee
    address: str
    positions: list[Position]
    education: list
    documents: list
    leaves: list[StaffOrderLine]
    awards: list[StaffOrderLine]


def employee_card(*, employee: Employee) -> Card:
    """Everything on the card: the address, posts past and present, education,
    documents, and the leave and awards of signed orders (four queries when the
    card's SOATE unit comes with its parents, as access_employee selects it)."""
    positions = list(
        employee.positions.select_related(
            "title", "department", "opened_by__order", "closed_by__order"
        )
    )
    signed = (
        StaffOrderLine.objects.filter(employee=employee, order__status=OrderStatus.SIGNED)
        .filter(order__kind__in=[OrderKind.LEAVE, OrderKind.AWARD])
        .select_related("order")
        .order_by("-order__effective_date", "-pk")
    )
    leaves, awards = [], []
    for line in signed:
        (leaves if line.order.kind == OrderKind.LEAVE else awards).append(line)
    return Card(
        employee=employee,
        address=", ".join(
            part for part in (soate_display(employee.soate), employee.street) if part
        ),
        positions=positions,
        education=list(employee.education.all()),
        documents=list(employee.documents.all()),
        leaves=leaves,
        awards=awards,
    )


def orders_list(*, kind: str = "", status: str = "", q: str = "") -> QuerySet[StaffOrder]:
    """Orders, newest first, with the signer selected and the number of lines counted."""
    orders = StaffOrder.objects.select_related("signer").annotate(line_count=Count("lines"))
    if kind:
        orders = orders.filter(kind=kind)
    if status:
        orders = orders.filter(status=status)
    if q.strip():
        orders = orders.filter(Q(number__icontains=q.strip()) | Q(reason__icontains=q.strip()))
    return orders.order_by("-date", "-pk")


def order_lines(*, order: StaffOrder) -> QuerySet[StaffOrderLine]:
    """The order's paragraphs with the employee, the posts and the departments selected."""
    return order.lines.select_related(
        "employee__user", "title", "department", "position__title", "position__department"
    )


# --- Reports (HR-3) ----------------------------------------------------------------------


@dataclass
class DepartmentRow:
    department: Department | None  # None: posts in offices outside the departments
    employees: int = 0
    filled: Decimal = Decimal(0)
    budgeted: Decimal = Decimal(0)

    @property
    def occupancy(self) -> int | None:
        """Filled rates as a percentage of the budgeted ones (None without a budget)."""
        if not self.budgeted:
            return None
        return round(self.filled * 100 / self.budgeted)


@dataclass
class StaffReport:
    on: date
    employees: list[Employee] = field(default_factory=list)
    departments: list[DepartmentRow] = field(default_factory=list)
    by_degree: list[tuple[str, int]] = field(default_factory=list)
    by_title: list[tuple[str, int]] = field(default_factory=list)
    by_age: list[tuple[str, int]] = field(default_factory=list)


def age_on(birth_date: date, on: date) -> int:
    """Full years of age on `on`."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def age_band_label(lower: int) -> str:
    index = AGE_BANDS.index(lower)
    if index == 0:
        return f"< {AGE_BANDS[1]}"
    if index == len(AGE_BANDS) - 1:
        return f"{lower}+"
    return f"{lower}–{AGE_BANDS[index + 1] - 1}"


def _band(age: int) -> int:
    return max(lower for lower in AGE_BANDS if age >= lower)


def staff_report(*, on: date, department_ids: list[int] | None) -> StaffReport:
    """The staff on `on` within `department_ids` (None: the whole institution): the list,
    counts by department, degree, title and age band, and rate occupancy (five queries)."""
    posts = Position.objects.filter(held_on(on)).select_related("department")
    departments = Department.objects.order_by("code")
    budgets = Establishment.objects.values("department_id").annotate(total=Sum("rates"))
    if department_ids is not None:
        posts = posts.filter(department_id__in=department_ids)
        departments = departments.filter(pk__in=department_ids)
        budgets = budgets.filter(department_id__in=department_ids)
    rows = {department.pk: DepartmentRow(department) for department in departments}
    for budget in budgets:
        rows[budget["department_id"]].budgeted = budget["total"]
    people: dict[int | None, set[int]] = defaultdict(set)
    employee_ids: set[int] = set()
    for post in posts:
        if post.department_id not in rows:
            rows[post.department_id] = DepartmentRow(None)
        rows[post.department_id].filled += post.rate
        people[post.department_id].add(post.employee_id)
        employee_ids.add(post.employee_id)
    for key, members in people.items():
        rows[key].employees = len(members)
    employees = list(
        Employee.objects.filter(pk__in=employee_ids)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.filter(held_on(on))
                .select_related("title", "department")
                .order_by(MAIN_JOB_FIRST, "valid_from"),
                to_attr="current_positions",
            )
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )
    report = StaffReport(on=on, employees=employees)
    report.departments = sorted(
        rows.values(), key=lambda row: (row.department is None, getattr(row.department, "code", ""))
    )
    report.by_degree = _count(employees, "degree", AcademicDegree)
    report.by_title = _count(employees, "title", AcademicTitle)
    bands: dict[int, int] = dict.fromkeys(AGE_BANDS, 0)
    for employee in employees:
        bands[_band(age_on(employee.birth_date, on))] += 1
    report.by_age = [(age_band_label(lower), count) for lower, count in bands.items()]
    return report


def _count(employees: list[Employee], attribute: str, choices) -> list[tuple[str, int]]:
    counts = dict.fromkeys(choices.values, 0)
    for employee in employees:
        counts[getattr(employee, attribute)] += 1
    return [(str(choices(value).label), count) for value, count in counts.items()]
