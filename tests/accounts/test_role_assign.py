from __future__ import annotations

from datetime import date

import pytest

from hub.accounts import roles
from hub.accounts.access import Level, Module, Scope, has_right
from hub.accounts.actions import role_assign
from hub.accounts.models import Role, RoleAssignment, ScopeKind
from hub.errors import DomainError


@pytest.fixture
def department(db):
    return Role.objects.get(code=roles.DEPARTMENT)


def test_assignment_records_the_scope_period_and_who_granted_it(cast, department):
    assignment = role_assign(
        by=cast.admin,
        user=cast.other_teacher,
        role=department,
        scope=Scope(ScopeKind.DEPARTMENT, 5),
        valid_from=date(2026, 9, 1),
        valid_to=date(2027, 6, 30),
    )

    assignment.refresh_from_db()
    assert (assignment.scope_kind, assignment.scope_id) == (ScopeKind.DEPARTMENT, 5)
    assert assignment.granted_by == cast.admin
    assert assignment.valid_to == date(2027, 6, 30)


def test_the_same_role_in_two_units_is_two_assignments(cast, department):
    role_assign(by=cast.admin, user=cast.teacher, role=department, scope=Scope("department", 5))
    role_assign(by=cast.admin, user=cast.teacher, role=department, scope=Scope("department", 6))

    assert has_right(cast.teacher, Module.WORKLOAD, Level.EDIT, scope=Scope("department", 6))
    assert not has_right(cast.teacher, Module.WORKLOAD, Level.EDIT, scope=Scope("department", 7))


def test_the_same_assignment_twice_is_refused(cast, department):
    role_assign(by=cast.admin, user=cast.teacher, role=department, scope=Scope("department", 5))

    with pytest.raises(DomainError, match="already holds"):
        role_assign(by=cast.admin, user=cast.teacher, role=department, scope=Scope("department", 5))


def test_the_same_unit_free_assignment_twice_is_refused(cast):
    with pytest.raises(DomainError, match="already holds"):
        role_assign(
            by=cast.admin,
            user=cast.student,
            role=Role.objects.get(code=roles.STUDENT),
            scope=Scope.own(),
        )


@pytest.mark.parametrize(
    "scope",
    [Scope("department", None), Scope("institution", 3), Scope("own", 5), Scope("planet", 1)],
)
def test_a_scope_with_a_wrong_unit_is_refused(cast, department, scope):
    with pytest.raises(DomainError):
        role_assign(by=cast.admin, user=cast.teacher, role=department, scope=scope)
    assert not RoleAssignment.objects.filter(user=cast.teacher, role=department).exists()


def test_a_reversed_period_is_refused(cast, department):
    with pytest.raises(DomainError, match="before its start"):
        role_assign(
            by=cast.admin,
            user=cast.teacher,
            role=department,
            scope=Scope("department", 5),
            valid_from=date(2027, 1, 1),
            valid_to=date(2026, 1, 1),
        )
