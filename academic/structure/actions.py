"""Writes to the structure: every change of a unit, group or room is one of these.

Each action is atomic, validates with the model's full_clean (raising
DomainError with the translated messages), and records the change in the
audit log in the same transaction. None of them notifies anyone live: nobody
watches the structure change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.structure import soate
from academic.structure.models import (
    AcademicYear,
    College,
    Department,
    Faculty,
    Group,
    GroupCuratorship,
    Institution,
    Room,
    SoateUnit,
    Specialty,
    Subgroup,
    Term,
)
from hub.accounts import roles
from hub.accounts.access import Scope
from hub.accounts.actions import role_assign, role_revoke
from hub.accounts.models import Cabinet, Role, RoleAssignment, ScopeKind, User
from hub.audit.log import Change, audit_bulk, audit_record, batch, snapshot
from hub.errors import DomainError
from hub.writes import create_audited, update_audited, validated_save

NAME_FIELDS = ("name_ky", "name_ru", "name_en")
FACULTY_FIELDS = ("institution", "code", *NAME_FIELDS)
DEPARTMENT_FIELDS = ("faculty", "college", "code", *NAME_FIELDS)
SPECIALTY_FIELDS = ("department", "code", *NAME_FIELDS, "degree_level", "duration_years")
GROUP_FIELDS = (
    "name",
    "specialty",
    "intake_year",
    "course",
    "study_form",
    "language",
    "curator",
    "starosta",
    "is_active",
)
ROOM_FIELDS = ("building", "number", "capacity", "type")
COLLEGE_FIELDS = ("institution", "code", *NAME_FIELDS)
YEAR_FIELDS = ("name", "starts_on", "ends_on", "is_current")
TERM_FIELDS = ("academic_year", "number", "starts_on", "ends_on")
SUBGROUP_FIELDS = ("group", "name")
SOATE_FIELDS = ("code", "level", "parent", *NAME_FIELDS)
CURATOR_CABINETS = (Cabinet.CURATOR, Cabinet.TEACHER)


def _the_institution() -> Institution:
    institution = Institution.objects.order_by("pk").first()
    if institution is None:
        raise DomainError(_("Describe the institution first."))
    return institution


# --- Faculties and colleges -------------------------------------------------------


@transaction.atomic
def faculty_create(
    *,
    by: User | None,
    code: str,
    name_ky: str,
    name_ru: str,
    name_en: str = "",
    pk: int | None = None,
) -> Faculty:
    """Add a faculty to the institution. Raises DomainError for a taken code or a
    missing name. `pk` is for seeding units whose ids scopes already name."""
    values = {"code": code, "name_ky": name_ky, "name_ru": name_ru, "name_en": name_en}
    if pk is not None:
        values["pk"] = pk
    return create_audited(
        Faculty,
        by=by,
        action="faculty_create",
        fields=FACULTY_FIELDS,
        values={"institution": _the_institution(), **values},
    )


@transaction.atomic
def faculty_update(
    *,
    by: User | None,
    faculty: Faculty,
    code: str | None = None,
    name_ky: str | None = None,
    name_ru: str | None = None,
    name_en: str | None = None,
) -> Faculty:
    """Change a faculty's code or names; fields left None are kept. Raises DomainError."""
    changes = {"code": code, "name_ky": name_ky, "name_ru": name_ru, "name_en": name_en}
    return update_audited(
        faculty, by=by, action="faculty_update", fields=FACULTY_FIELDS, changes=changes
    )


# --- Departments ----------------------------------------------------------------------


@transaction.atomic
def department_create(
    *,
    by: User | None,
    code: str,
    name_ky: str,
    name_ru: str,
    name_en: str = "",
    faculty: Faculty | None = None,
    college: College | None = None,
) -> Department:
    """Add a department to a faculty or a college (exactly one of them).

    Raises DomainError for a taken code, a missing name, or not exactly one parent unit.
    """
    values = {
        "code": code,
        "name_ky": name_ky,
        "name_ru": name_ru,
        "name_en": name_en,
        "faculty": faculty,
        "college": college,
    }
    return create_audited(
        Department, by=by, action="department_create", fields=DEPARTMENT_FIELDS, values=values
    )


@transaction.atomic
def department_update(
    *,
    by: User | None,
    department: Department,
    code: str | None = None,
    name_ky: str | None = None,
    name_ru: str | None = None,
    name_en: str | None = None,
    faculty: Faculty | None = None,
) -> Department:
    """Change a department's code, names or faculty; fields left None are kept.

    Moving it to a faculty moves every specialty and group under it (and the
    scopes that contain them). Raises DomainError.
    """
    changes = {"code": code, "name_ky": name_ky, "name_ru": name_ru, "name_en": name_en}
    if faculty is not None:
        department.college = None
        changes["faculty"] = faculty
    return update_audited(
        department, by=by, action="department_update", fields=DEPARTMENT_FIELDS, changes=changes
    )


# --- Specialties ----------------------------------------------------------------------


@transaction.atomic
def specialty_create(
    *,
    by: User | None,
    department: Department,
    code: str,
    name_ky: str,
    name_ru: str,
    name_en: str = "",
    degree_level: str,
    duration_years: Decimal | int,
) -> Specialty:
    """Add a specialty taught by `department`. Raises DomainError for a taken code,
    an unknown degree level or a duration outside 1–6 years."""
    values = {
        "department": department,
        "code": code,
        "name_ky": name_ky,
        "name_ru": name_ru,
        "name_en": name_en,
        "degree_level": degree_level,
        "duration_years": Decimal(duration_years),
    }
    return create_audited(
        Specialty, by=by, action="specialty_create", fields=SPECIALTY_FIELDS, values=values
    )


@transaction.atomic
def specialty_update(
    *,
    by: User | None,
    specialty: Specialty,
    department: Department | None = None,
    code: str | None = None,
    name_ky: str | None = None,
    name_ru: str | None = None,
    name_en: str | None = None,
    degree_level: str | None = None,
    duration_years: Decimal | int | None = None,
) -> Specialty:
    """Change a specialty; fields left None are kept. Raises DomainError."""
    changes = {
        "department": department,
        "code": code,
        "name_ky": name_ky,
        "name_ru": name_ru,
        "name_en": name_en,
        "degree_level": degree_level,
        "duration_years": None if duration_years is None else Decimal(duration_years),
    }
    return update_audited(
        specialty, by=by, action="specialty_update", fields=SPECIALTY_FIELDS, changes=changes
    )


# --- Groups ------------------------------------------------------------------------------


def _check_starosta(starosta: User | None) -> None:
    if starosta is not None and starosta.cabinet != Cabinet.STUDENT:
        raise DomainError(_("The group head must be a student."))


@transaction.atomic
def group_create(
    *,
    by: User | None,
    name: str,
    specialty: Specialty,
    intake_year: int,
    course: int,
    study_form: str,
    language: str,
    pk: int | None = None,
) -> Group:
    """Open a new group of `specialty` (SR-1), with no curator yet.

    Raises DomainError for a taken name, a course outside 1–6, an unknown
    study form or language. `pk` is for seeding groups scopes already name.
    """
    values = {
        "name": name,
        "specialty": specialty,
        "intake_year": intake_year,
        "course": course,
        "study_form": study_form,
        "language": language,
    }
    if pk is not None:
        values["pk"] = pk
    return create_audited(Group, by=by, action="group_create", fields=GROUP_FIELDS, values=values)


@transaction.atomic
def group_update(
    *,
    by: User | None,
    group: Group,
    name: str | None = None,
    specialty: Specialty | None = None,
    intake_year: int | None = None,
    course: int | None = None,
    study_form: str | None = None,
    language: str | None = None,
    starosta: User | None = None,
) -> Group:
    """Change a group's attributes or its head (SR-8); fields left None are kept.

    The curator changes only through group_assign_curator, which keeps the
    history. Raises DomainError for invalid values or a starosta who is not a student.
    """
    _check_starosta(starosta)
    changes = {
        "name": name,
        "specialty": specialty,
        "intake_year": intake_year,
        "course": course,
        "study_form": study_form,
        "language": language,
        "starosta": starosta,
    }
    return update_audited(group, by=by, action="group_update", fields=GROUP_FIELDS, changes=changes)


@transaction.atomic
def group_deactivate(*, by: User | None, group: Group) -> Group:
    """Close a group instead of deleting it: its history stays readable.

    Raises DomainError for a group already closed.
    """
    if not group.is_active:
        raise DomainError(_("The group is already closed."))
    return update_audited(
        group, by=by, action="group_deactivate", fields=GROUP_FIELDS, changes={"is_active": False}
    )


@transaction.atomic
def group_assign_curator(
    *, by: User | None, group: Group, curator: User | None, on: date | None = None
) -> Group:
    """Make `curator` the group's curator from `on` (today by default); None removes one.

    The previous curatorship is closed the day before, so past curators stay
    visible (SR-8). Raises DomainError for a curator who is not a teacher or
    curator, or a date before the current curatorship began.
    """
    on = on or timezone.localdate()
    if curator is not None and (curator.cabinet not in CURATOR_CABINETS or not curator.is_active):
        raise DomainError(_("A curator must be an active teacher or curator."))
    if curator is not None and group.curator_id == curator.pk:
        return group
    current = GroupCuratorship.objects.select_for_update().filter(
        group=group, valid_to__isnull=True
    )
    for open_row in current:
        if open_row.valid_from > on:
            raise DomainError(_("The new curator cannot start before the current one began."))
        open_row.valid_to = max(open_row.valid_from, on - timedelta(days=1))
        open_row.save(update_fields=["valid_to"])
    if curator is not None:
        GroupCuratorship.objects.create(group=group, curator=curator, valid_from=on)
    before = snapshot(group, ("curator",))
    previous_id = group.curator_id
    group.curator = curator
    group.save(update_fields=["curator"])
    audit_record(
        action="group_assign_curator",
        obj=group,
        before=before,
        after=snapshot(group, ("curator",)),
        actor=by,
    )
    _curator_role_move(by=by, group=group, previous_id=previous_id, curator=curator)
    return group


def _curator_role_move(
    *, by: User | None, group: Group, previous_id: int | None, curator: User | None
) -> None:
    """The curator's rights follow the curatorship: the curator role scoped to the group."""
    role = Role.objects.get(code=roles.CURATOR)
    of_group = RoleAssignment.objects.filter(
        role=role, scope_kind=ScopeKind.GROUP, scope_id=group.pk
    )
    for assignment in of_group.filter(user_id=previous_id).select_related("user"):
        role_revoke(by=by, assignment=assignment)
    if curator is not None and not of_group.filter(user=curator).exists():
        role_assign(by=by, user=curator, role=role, scope=Scope(ScopeKind.GROUP, group.pk))


# --- Rooms -------------------------------------------------------------------------------


@transaction.atomic
def room_create(*, by: User | None, building: str, number: str, capacity: int, type: str) -> Room:
    """Add a room. Raises DomainError for a room already listed or a capacity below one."""
    values = {"building": building, "number": number, "capacity": capacity, "type": type}
    return create_audited(Room, by=by, action="room_create", fields=ROOM_FIELDS, values=values)


@transaction.atomic
def room_update(
    *,
    by: User | None,
    room: Room,
    building: str | None = None,
    number: str | None = None,
    capacity: int | None = None,
    type: str | None = None,
) -> Room:
    """Change a room; fields left None are kept. Raises DomainError."""
    changes = {"building": building, "number": number, "capacity": capacity, "type": type}
    return update_audited(room, by=by, action="room_update", fields=ROOM_FIELDS, changes=changes)


# --- Colleges ------------------------------------------------------------------------------


@transaction.atomic
def college_create(
    *, by: User | None, code: str, name_ky: str, name_ru: str, name_en: str = ""
) -> College:
    """Add a college (secondary vocational education) to the institution.

    Raises DomainError for a taken code or a missing name.
    """
    values = {"code": code, "name_ky": name_ky, "name_ru": name_ru, "name_en": name_en}
    return create_audited(
        College,
        by=by,
        action="college_create",
        fields=COLLEGE_FIELDS,
        values={"institution": _the_institution(), **values},
    )


@transaction.atomic
def college_update(
    *,
    by: User | None,
    college: College,
    code: str | None = None,
    name_ky: str | None = None,
    name_ru: str | None = None,
    name_en: str | None = None,
) -> College:
    """Change a college's code or names; fields left None are kept. Raises DomainError."""
    changes = {"code": code, "name_ky": name_ky, "name_ru": name_ru, "name_en": name_en}
    return update_audited(
        college, by=by, action="college_update", fields=COLLEGE_FIELDS, changes=changes
    )


# --- Academic years and terms -----------------------------------------------------------


@transaction.atomic
def academic_year_create(
    *, by: User | None, name: str, starts_on: date, ends_on: date
) -> AcademicYear:
    """Add an academic year, not current yet (academic_year_make_current makes it so).

    Raises DomainError for a taken name or an end not after the start.
    """
    values = {"name": name, "starts_on": starts_on, "ends_on": ends_on}
    return create_audited(
        AcademicYear, by=by, action="academic_year_create", fields=YEAR_FIELDS, values=values
    )


@transaction.atomic
def academic_year_update(
    *,
    by: User | None,
    year: AcademicYear,
    name: str | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> AcademicYear:
    """Rename an academic year or move its dates; fields left None are kept.

    Raises DomainError for a taken name, an end not after the start, or dates
    that would leave one of its terms outside the year.
    """
    start, end = starts_on or year.starts_on, ends_on or year.ends_on
    outside = year.terms.exclude(starts_on__gte=start, ends_on__lte=end)
    if start < end and outside.exists():
        raise DomainError(_("The year's terms must stay inside its dates."))
    changes = {"name": name, "starts_on": starts_on, "ends_on": ends_on}
    return update_audited(
        year, by=by, action="academic_year_update", fields=YEAR_FIELDS, changes=changes
    )


@transaction.atomic
def academic_year_make_current(*, by: User | None, year: AcademicYear) -> AcademicYear:
    """Make `year` the current academic year; the previous current one stops being it.

    Both changes are audited. Raises DomainError if `year` is already current.
    """
    if year.is_current:
        raise DomainError(_("This academic year is already the current one."))
    for previous in AcademicYear.objects.select_for_update().filter(is_current=True):
        update_audited(
            previous,
            by=by,
            action="academic_year_make_current",
            fields=YEAR_FIELDS,
            changes={"is_current": False},
        )
    return update_audited(
        year,
        by=by,
        action="academic_year_make_current",
        fields=YEAR_FIELDS,
        changes={"is_current": True},
    )


def _check_term_dates(
    *, year: AcademicYear, starts_on: date, ends_on: date, term: Term | None = None
) -> None:
    """A term lies inside its academic year and does not overlap the year's other term."""
    if starts_on < year.starts_on or ends_on > year.ends_on:
        raise DomainError(
            _("A term lies inside its academic year (%(start)s – %(end)s).")
            % {"start": year.starts_on.isoformat(), "end": year.ends_on.isoformat()}
        )
    others = Term.objects.filter(academic_year=year, starts_on__lte=ends_on, ends_on__gte=starts_on)
    if term is not None:
        others = others.exclude(pk=term.pk)
    if others.exists():
        raise DomainError(_("The terms of a year must not overlap."))


@transaction.atomic
def term_create(
    *, by: User | None, academic_year: AcademicYear, number: int, starts_on: date, ends_on: date
) -> Term:
    """Add term 1 or 2 to `academic_year`.

    Raises DomainError for a number already taken in that year, an end not after
    the start, dates outside the year, or an overlap with the other term.
    """
    if starts_on < ends_on:
        _check_term_dates(year=academic_year, starts_on=starts_on, ends_on=ends_on)
    values = {
        "academic_year": academic_year,
        "number": number,
        "starts_on": starts_on,
        "ends_on": ends_on,
    }
    return create_audited(Term, by=by, action="term_create", fields=TERM_FIELDS, values=values)


@transaction.atomic
def term_update(
    *,
    by: User | None,
    term: Term,
    number: int | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Term:
    """Change a term's number or dates; fields left None are kept. Raises DomainError
    as term_create does."""
    start, end = starts_on or term.starts_on, ends_on or term.ends_on
    if start < end:
        _check_term_dates(year=term.academic_year, starts_on=start, ends_on=end, term=term)
    changes = {"number": number, "starts_on": starts_on, "ends_on": ends_on}
    return update_audited(term, by=by, action="term_update", fields=TERM_FIELDS, changes=changes)


# --- Subgroups ------------------------------------------------------------------------------


@transaction.atomic
def subgroup_create(*, by: User | None, group: Group, name: str) -> Subgroup:
    """Add a subgroup to `group`. Raises DomainError for a closed group or a taken name."""
    if not group.is_active:
        raise DomainError(_("The group is closed."))
    values = {"group": group, "name": name.strip()}
    return create_audited(
        Subgroup, by=by, action="subgroup_create", fields=SUBGROUP_FIELDS, values=values
    )


@transaction.atomic
def subgroup_rename(*, by: User | None, subgroup: Subgroup, name: str) -> Subgroup:
    """Rename a subgroup. Raises DomainError for an empty name or one taken in its group."""
    return update_audited(
        subgroup,
        by=by,
        action="subgroup_rename",
        fields=SUBGROUP_FIELDS,
        changes={"name": name.strip()},
    )


def subgroup_is_empty(subgroup: Subgroup) -> bool:
    """True when nothing (a student, a lesson…) refers to the subgroup.

    Every relation pointing at Subgroup counts, whichever app declares it.
    """
    for relation in Subgroup._meta.related_objects:
        manager = relation.related_model._default_manager
        if manager.filter(**{relation.field.name: subgroup}).exists():
            return False
    return True


@transaction.atomic
def subgroup_delete(*, by: User | None, subgroup: Subgroup) -> None:
    """Delete an empty subgroup. Raises DomainError when anything still refers to it."""
    if not subgroup_is_empty(subgroup):
        raise DomainError(_("Only an empty subgroup can be deleted."))
    audit_record(
        action="subgroup_delete",
        obj=subgroup,
        before=snapshot(subgroup, SUBGROUP_FIELDS),
        actor=by,
    )
    subgroup.delete()


# --- SOATE classifier -----------------------------------------------------------------------


@dataclass
class SoateImportReport:
    """What soate_import did: counts, and the rows it refused with the reason."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number from 1, message)


def _soate_unit_save(
    row: soate.Row, *, unit: SoateUnit | None, parent: SoateUnit | None
) -> tuple[SoateUnit, Change | None]:
    """Create or update the unit of one checked row; the audit change, None if unchanged."""
    before = snapshot(unit, SOATE_FIELDS) if unit is not None else None
    unit = unit or SoateUnit(code=row["code"])
    unit.level, unit.parent = row["level"], parent
    unit.name_ky, unit.name_ru, unit.name_en = row["name_ky"], row["name_ru"], row["name_en"]
    after = snapshot(unit, SOATE_FIELDS)
    if before == after:
        return unit, None
    validated_save(unit)
    return unit, Change(obj=unit, before=before, after=after)


@transaction.atomic
def soate_import(*, by: User | None, rows: Iterable[Mapping[str, object]]) -> SoateImportReport:
    """Create or update SOATE units from classifier rows (columns of soate.COLUMNS).

    Idempotent by code: a known code is updated, an equal row left alone, and
    no unit is ever deleted (addresses point at them). Rows are taken parents
    first whatever their order; each bad row is skipped and reported with its
    number (from 1, in the order given) and every reason. All the changes are
    audited as one batch. Nobody is notified.
    """
    report = SoateImportReport()
    units = {unit.code: unit for unit in SoateUnit.objects.all()}
    levels = {code: unit.level for code, unit in units.items()}
    taken: set[str] = set()
    created: list[Change] = []
    updated: list[Change] = []
    numbered = [(number, soate.clean_row(row)) for number, row in enumerate(rows, start=1)]
    for number, row in soate.parents_first(numbered):
        problems = soate.row_problems(row, levels=levels, taken=taken)
        if problems:
            report.errors.append((number, " ".join(problems)))
            continue
        taken.add(row["code"])
        known = units.get(row["code"])
        try:
            unit, change = _soate_unit_save(row, unit=known, parent=units.get(row["parent_code"]))
        except DomainError as error:
            report.errors.append((number, " ".join(error.messages)))
            continue
        units[unit.code], levels[unit.code] = unit, unit.level
        if change is None:
            report.unchanged += 1
        else:
            (created if known is None else updated).append(change)
    with batch():
        audit_bulk(action="soate_unit_create", changes=created, actor=by)
        audit_bulk(action="soate_unit_update", changes=updated, actor=by)
    report.created, report.updated = len(created), len(updated)
    report.errors.sort()
    return report
