from __future__ import annotations

import pytest

from hub.accounts import roles
from hub.accounts.access import Level, Module, Scope, has_right
from hub.accounts.actions import role_update_rights
from hub.accounts.models import Role
from hub.errors import DomainError

FACULTY_1 = Scope("faculty", 1)


def test_rights_become_exactly_the_given_map(cast):
    deanery = Role.objects.get(code=roles.DEANERY)

    role_update_rights(
        by=cast.admin, role=deanery, rights={Module.GRADES: Level.VIEW, Module.LIBRARY: Level.EDIT}
    )

    assert dict(deanery.rights.values_list("module", "level")) == {
        Module.GRADES: Level.VIEW,
        Module.LIBRARY: Level.EDIT,
    }


def test_holders_get_the_new_rights_on_their_next_request(cast):
    deanery = Role.objects.get(code=roles.DEANERY)
    assert has_right(cast.deanery_a, Module.GRADES, Level.EDIT, scope=FACULTY_1)

    role_update_rights(by=cast.admin, role=deanery, rights={Module.GRADES: Level.VIEW})

    next_request_user = type(cast.deanery_a).objects.get(pk=cast.deanery_a.pk)
    assert not has_right(next_request_user, Module.GRADES, Level.EDIT, scope=FACULTY_1)
    assert has_right(next_request_user, Module.GRADES, Level.VIEW, scope=FACULTY_1)
    assert not has_right(next_request_user, Module.RECORDS, Level.VIEW)


def test_an_unknown_module_changes_nothing(cast):
    hr = Role.objects.get(code=roles.HR)
    before = dict(hr.rights.values_list("module", "level"))

    with pytest.raises(DomainError):
        role_update_rights(by=cast.admin, role=hr, rights={"astrology": Level.EDIT})

    assert dict(hr.rights.values_list("module", "level")) == before
