"""How structure units nest, taught to the access layer (hub.accounts.access).

A group lies in its specialty's department; a department in its faculty or
college; a faculty or college in the institution. Each resolver names direct
parents only and reads one row.
"""

from __future__ import annotations

from collections.abc import Iterable

from hub.accounts.access import Scope, register_scope_resolver
from hub.accounts.models import ScopeKind


def group_parents(group_id: int) -> Iterable[Scope]:
    from academic.structure.models import Group

    department = (
        Group.objects.filter(pk=group_id).values_list("specialty__department_id", flat=True).first()
    )
    return [Scope(ScopeKind.DEPARTMENT, department)] if department else []


def department_parents(department_id: int) -> Iterable[Scope]:
    from academic.structure.models import Department

    row = (
        Department.objects.filter(pk=department_id).values_list("faculty_id", "college_id").first()
    )
    if row is None:
        return []
    faculty, college = row
    if faculty:
        return [Scope(ScopeKind.FACULTY, faculty)]
    return [Scope(ScopeKind.COLLEGE, college)]


def unit_parents(unit_id: int) -> Iterable[Scope]:
    return [Scope.institution()]


def register_audit_units() -> None:
    """Audit entries of units and groups lie in themselves; of specialties, in their department."""
    from hub.audit.units import register_audit_unit

    register_audit_unit("structure.faculty", lambda f: Scope(ScopeKind.FACULTY, f.pk))
    register_audit_unit("structure.college", lambda c: Scope(ScopeKind.COLLEGE, c.pk))
    register_audit_unit("structure.department", lambda d: Scope(ScopeKind.DEPARTMENT, d.pk))
    register_audit_unit(
        "structure.specialty", lambda s: Scope(ScopeKind.DEPARTMENT, s.department_id)
    )
    register_audit_unit("structure.group", lambda g: Scope(ScopeKind.GROUP, g.pk))


def register_resolvers() -> None:
    register_audit_units()
    register_scope_resolver(ScopeKind.GROUP, group_parents)
    register_scope_resolver(ScopeKind.DEPARTMENT, department_parents)
    register_scope_resolver(ScopeKind.FACULTY, unit_parents)
    register_scope_resolver(ScopeKind.COLLEGE, unit_parents)
