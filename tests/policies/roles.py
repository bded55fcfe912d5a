"""Access to the roles, rights, role assignments and data ownership pages (AC-2, AC-7):
the accounts administrators only; everyone else is told the page does not exist."""

from __future__ import annotations

from hub.accounts.access import Scope
from hub.accounts.actions import role_assign, role_create
from hub.accounts.models import DataKind, Level, Module
from tests.policy import ACCOUNT_ADMINS, Policy

ADMINS = Policy(ACCOUNT_ADMINS)

POLICY: dict[str, Policy] = {
    "accounts-roles": ADMINS,
    "accounts-role-create": ADMINS,
    "accounts-role": Policy(ACCOUNT_ADMINS, kwargs="custom_role"),
    # GET asks first (confirm page); the POST is tried in tests/accounts/test_role_pages.py.
    "accounts-role-delete": Policy(ACCOUNT_ADMINS, kwargs="custom_role"),
    "accounts-user-roles": Policy(ACCOUNT_ADMINS, kwargs="role_holder"),
    "accounts-user-role-revoke": Policy(ACCOUNT_ADMINS, kwargs="held_role"),
    "accounts-ownership": ADMINS,
    "accounts-ownership-move": Policy(ACCOUNT_ADMINS, kwargs="data_kind"),
}


def objects(cast, university) -> dict[str, dict]:
    role = role_create(
        by=cast.admin,
        code="methodologist",
        name_ky="Методист",
        name_ru="Методист",
        name_en="Methodologist",
        rights={Module.CURRICULA: Level.VIEW},
    )
    holder = cast.other_student
    assignment = role_assign(by=cast.admin, user=holder, role=role, scope=Scope.institution())
    return {
        "custom_role": {"role_id": role.pk},
        "role_holder": {"user_id": holder.pk},
        "held_role": {"user_id": holder.pk, "assignment_id": assignment.pk},
        "data_kind": {"data_kind": DataKind.GRADES.value},
    }
