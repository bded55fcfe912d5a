"""Reads of the structure pages, each a fixed number of queries whatever the page size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import get_language

from academic.structure.models import (
    AcademicYear,
    College,
    Faculty,
    Group,
    GroupCuratorship,
    Room,
    SoateUnit,
    Term,
)
from academic.structure.permissions import groups_visible_filter
from academic.structure.soate import code_prefix
from hub.accounts.access import Scope

GROUP_SEARCH_SPELLINGS = (str.lower, str.upper, str.capitalize)


def groups_list(
    *,
    scopes: list[Scope],
    faculty: int | None = None,
    specialty: int | None = None,
    course: int | None = None,
    study_form: str = "",
    language: str = "",
    q: str = "",
    active: bool | None = True,
) -> QuerySet[Group]:
    """The groups inside `scopes` matching the filters, with their specialty,
    department, faculty and curator selected (one query per page)."""
    groups = Group.objects.select_related(
        "specialty__department__faculty", "specialty__department__college", "curator"
    )
    condition = groups_visible_filter(scopes)
    if condition is not None:
        groups = groups.filter(condition)
    if faculty:
        groups = groups.filter(specialty__department__faculty_id=faculty)
    if specialty:
        groups = groups.filter(specialty_id=specialty)
    if course:
        groups = groups.filter(course=course)
    if study_form:
        groups = groups.filter(study_form=study_form)
    if language:
        groups = groups.filter(language=language)
    if q.strip():
        # SQLite folds ASCII only; try the usual spellings of a Cyrillic name.
        word = q.strip()
        match = Q(name__icontains=word)
        for spell in GROUP_SEARCH_SPELLINGS:
            match |= Q(name__icontains=spell(word))
        groups = groups.filter(match)
    if active is not None:
        groups = groups.filter(is_active=active)
    return groups.order_by("name", "pk")


def group_curatorships(*, group: Group) -> QuerySet[GroupCuratorship]:
    """The group's curators, newest first, with the users selected."""
    return group.curatorships.select_related("curator")


@dataclass
class FacultyOverview:
    faculty: Faculty
    departments: list = field(default_factory=list)  # (department, [(specialty, groups)])


def structure_overview(*, scopes: list[Scope]) -> list[FacultyOverview]:
    """Faculties → departments → specialties with the number of visible active groups.

    Three queries whatever the size of the university; units with no group in
    `scopes` are left out unless the scopes are the whole institution.
    """
    condition = groups_visible_filter(scopes)
    everything = condition is None
    active = Q(groups__is_active=True)
    if not everything:
        visible_ids = Group.objects.filter(condition).values("pk")
        active &= Q(groups__in=visible_ids)
    from academic.structure.models import Specialty

    specialties = (
        Specialty.objects.select_related("department__faculty")
        .filter(department__faculty__isnull=False)
        .annotate(group_count=Count("groups", filter=active))
        .order_by("department__faculty__code", "department__code", "code")
    )
    overview: dict[int, FacultyOverview] = {}
    departments: dict[int, tuple] = {}
    for specialty in specialties:
        if not everything and not specialty.group_count:
            continue
        department = specialty.department
        faculty = department.faculty
        entry = overview.setdefault(faculty.pk, FacultyOverview(faculty))
        if department.pk not in departments:
            departments[department.pk] = (department, [])
            entry.departments.append(departments[department.pk])
        departments[department.pk][1].append(specialty)
    if everything:
        for faculty in Faculty.objects.order_by("code"):
            overview.setdefault(faculty.pk, FacultyOverview(faculty))
        return sorted(overview.values(), key=lambda entry: entry.faculty.code)
    return list(overview.values())


# --- Reference data: colleges, academic years, rooms -------------------------------------


def colleges_list() -> QuerySet[College]:
    """Every college of the institution, by code, with its departments counted."""
    return College.objects.annotate(department_count=Count("departments")).order_by("code", "pk")


def academic_years_list() -> QuerySet[AcademicYear]:
    """The academic years, newest first, with their terms prefetched (two queries)."""
    terms = Prefetch("terms", queryset=Term.objects.order_by("number"))
    return AcademicYear.objects.prefetch_related(terms).order_by("-starts_on", "pk")


def rooms_list(*, building: str = "", type: str = "", min_capacity: int | None = None):
    """The rooms in `building` of `type` seating at least `min_capacity` (filters left
    empty match every room), by building and number; one query."""
    rooms = Room.objects.all()
    if building:
        rooms = rooms.filter(building=building)
    if type:
        rooms = rooms.filter(type=type)
    if min_capacity:
        rooms = rooms.filter(capacity__gte=min_capacity)
    return rooms.order_by("building", "number", "pk")


def room_buildings() -> list[str]:
    """The buildings that have rooms, in name order (for the room filter)."""
    return list(Room.objects.order_by("building").values_list("building", flat=True).distinct())


# --- SOATE classifier (X-3) ----------------------------------------------------------------

SOATE_SEARCH_LIMIT = 50


def _soate_name_field() -> str:
    language = (get_language() or "ky").split("-")[0]
    return f"name_{language}" if language in ("ky", "ru", "en") else "name_ky"


def soate_units() -> QuerySet[SoateUnit]:
    """Every SOATE unit with the units above it selected, so soate_path costs no query."""
    return SoateUnit.objects.select_related("parent__parent__parent")


def soate_children(*, parent: SoateUnit | None) -> QuerySet[SoateUnit]:
    """The units directly inside `parent` (the top level for None), by name in the
    active language, each with `has_children`; one query."""
    inside = SoateUnit.objects.filter(parent=OuterRef("pk"))
    return (
        SoateUnit.objects.filter(parent=parent)
        .annotate(has_children=Exists(inside))
        .order_by(_soate_name_field(), "code")
    )


def soate_search(*, q: str, within: SoateUnit | None = None) -> QuerySet[SoateUnit]:
    """Units whose code starts with `q` or whose name in any language contains it,
    inside `within` when given, with their parents selected; empty for an empty `q`."""
    word = q.strip()
    if not word:
        return SoateUnit.objects.none()
    units = soate_units()
    if within is not None:
        # A unit's code extends the significant digits of the codes of the units it lies in.
        units = units.filter(code__startswith=code_prefix(within.code)).exclude(pk=within.pk)
    match = Q(code__startswith=word)
    # SQLite folds ASCII only; try the usual spellings of a Cyrillic name.
    for spelling in {word, *(spell(word) for spell in GROUP_SEARCH_SPELLINGS)}:
        for name in ("name_ky", "name_ru", "name_en"):
            match |= Q(**{f"{name}__icontains": spelling})
    inside = SoateUnit.objects.filter(parent=OuterRef("pk"))
    return units.filter(match).annotate(has_children=Exists(inside)).order_by("code")


def soate_path(unit: SoateUnit | None) -> list[SoateUnit]:
    """`unit` and the units it lies in, from the top (region, district, settlement).

    Free of queries when the parents are selected (soate_units()); one query per
    level otherwise.
    """
    path = []
    while unit is not None and len(path) < 8:  # the classifier is 4 levels deep at most
        path.append(unit)
        unit = unit.parent
    return path[::-1]


def soate_display(unit: SoateUnit | None) -> str:
    """The unit as an address reads, in the active language: "Chuy region, Alamudun
    district, Lebedinovka"; empty for None."""
    return ", ".join(part.name for part in soate_path(unit))
