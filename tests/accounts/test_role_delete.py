from __future__ import annotations

import pytest

from hub.accounts import roles
from hub.accounts.access import Level, Module, Scope
from hub.accounts.actions import ownership_set, role_assign, role_create, role_delete
from hub.accounts.models import DataKind, Role
from hub.errors import DomainError


@pytest.fixture
def custom_role(cast):
    return role_create(
        by=cast.admin,
        code="inspector",
        name_ky="Инспектор",
        name_ru="Инспектор",
        name_en="Inspector",
        rights={Module.RECORDS: Level.VIEW},
    )


@pytest.mark.parametrize("code", [spec.code for spec in roles.DEFAULT_ROLES])
def test_a_system_role_cannot_be_deleted(cast, code):
    role = Role.objects.get(code=code)

    with pytest.raises(DomainError, match="shipped with the system"):
        role_delete(by=cast.admin, role=role)

    assert Role.objects.filter(code=code).exists()


def test_an_unused_role_of_the_administrator_is_deleted_with_its_rights(cast, custom_role):
    role_delete(by=cast.admin, role=custom_role)

    assert not Role.objects.filter(code="inspector").exists()


def test_a_role_still_assigned_is_kept(cast, custom_role):
    role_assign(by=cast.admin, user=cast.cashier, role=custom_role, scope=Scope.institution())

    with pytest.raises(DomainError, match="still assigned"):
        role_delete(by=cast.admin, role=custom_role)


def test_a_role_owning_data_is_kept(cast, custom_role):
    ownership_set(by=cast.admin, data_kind=DataKind.TRANSCRIPTS, owner=custom_role)

    with pytest.raises(DomainError, match="owns data"):
        role_delete(by=cast.admin, role=custom_role)
