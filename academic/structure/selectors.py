"""Reads of the structure pages, each a fixed number of queries whatever the page size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from academic.structure.models import Faculty, Group, GroupCuratorship
from academic.structure.permissions import groups_visible_filter
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
