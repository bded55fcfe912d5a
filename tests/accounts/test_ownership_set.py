from __future__ import annotations

import pytest

from hub.accounts import roles
from hub.accounts.actions import ownership_set
from hub.accounts.models import DataKind, Role
from hub.accounts.selectors import ownership_map
from hub.errors import DomainError


def test_the_administrator_moves_a_kind_of_data_to_another_office(cast):
    department = Role.objects.get(code=roles.DEPARTMENT)

    ownership_set(by=cast.admin, data_kind=DataKind.TEACHING_DOCUMENTS, owner=department)

    owners = ownership_map()
    assert owners[DataKind.TEACHING_DOCUMENTS] == department
    assert owners[DataKind.GRADES].code == roles.DEANERY


def test_an_unknown_kind_of_data_is_refused(cast):
    with pytest.raises(DomainError, match="Unknown kind of data"):
        ownership_set(by=cast.admin, data_kind="horoscopes", owner=Role.objects.get(code=roles.HR))
