"""roles_of: a user's assignments with their rights."""

from __future__ import annotations

from hub.accounts import roles
from hub.accounts.access import Scope
from hub.accounts.actions import role_assign
from hub.accounts.models import Role
from hub.accounts.selectors import roles_of


def test_roles_of_lists_assignments_and_rights_in_two_queries(cast, django_assert_num_queries):
    for code in (roles.HR, roles.CASHIER, roles.LIBRARIAN, roles.RECTORATE):
        role_assign(
            by=cast.admin,
            user=cast.deanery_a,
            role=Role.objects.get(code=code),
            scope=Scope.institution(),
        )

    with django_assert_num_queries(2):
        listed = [
            (a.role.code, a.scope_kind, [r.module for r in a.role.rights.all()])
            for a in roles_of(cast.deanery_a)
        ]

    assert [code for code, _kind, _modules in listed] == [
        "cashier",
        "deanery",
        "hr",
        "librarian",
        "rectorate",
    ]
    assert listed[1][1] == "faculty"
    assert "grades" in listed[1][2]


def test_roles_of_shows_only_that_users_assignments(cast):
    assert [a.role.code for a in roles_of(cast.parent)] == [roles.PARENT]
