from __future__ import annotations

import pytest

from hub.accounts.access import Level, Module, Scope, has_right
from hub.accounts.actions import role_assign, role_create
from hub.accounts.models import Role, RoleKind
from hub.errors import DomainError
from tests.conftest import make_user


def create(cast, **overrides):
    fields = {
        "by": cast.admin,
        "code": "methodologist",
        "name_ky": "Методист",
        "name_ru": "Методист",
        "name_en": "Methodologist",
        "rights": {Module.CURRICULA: Level.VIEW, Module.LEARNING: Level.EDIT},
    }
    return role_create(**(fields | overrides))


def test_a_new_role_grants_its_rights_to_whoever_holds_it(cast):
    role = create(cast)
    holder = make_user("methodologist")

    role_assign(by=cast.admin, user=holder, role=role, scope=Scope.institution())

    assert not role.is_system
    assert role.kind == RoleKind.FULL
    assert dict(role.rights.values_list("module", "level")) == {
        Module.CURRICULA: Level.VIEW,
        Module.LEARNING: Level.EDIT,
    }
    assert has_right(holder, Module.LEARNING, Level.EDIT)
    assert not has_right(holder, Module.CURRICULA, Level.EDIT)


def test_a_taken_code_is_refused(cast):
    with pytest.raises(DomainError, match="already exists"):
        create(cast, code="deanery")


def test_a_malformed_code_is_refused_and_nothing_is_saved(cast):
    with pytest.raises(DomainError):
        create(cast, code="not a slug!")
    assert not Role.objects.filter(name_en="Methodologist").exists()


def test_unknown_modules_and_levels_are_refused(cast):
    with pytest.raises(DomainError, match="Unknown module"):
        create(cast, rights={"astrology": Level.VIEW})
    with pytest.raises(DomainError, match="view, edit or approve"):
        create(cast, rights={Module.GRADES: 9})
    assert not Role.objects.filter(code="methodologist").exists()
