import pytest
from django.http import Http404

from academic.structure.permissions import access_group, may_write_structure, visible_groups
from tests.conftest import CAST_NAMES

pytestmark = pytest.mark.django_db

# Who reads group 1 of faculty A.
GROUP_A_READERS = {
    "admin",
    "vice_rector",
    "records_office",
    "cashier",
    "deanery_a",
    "curator",
    "hr",
    "academic_affairs",
}
WRITERS = {"admin", "records_office"}


@pytest.mark.parametrize("member", CAST_NAMES)
def test_group_1_is_read_only_by_those_whose_scope_holds_it(cast, university, member):
    user = getattr(cast, member)

    if member in GROUP_A_READERS:
        assert access_group(user, university.group_a.pk) == university.group_a
    else:
        with pytest.raises(Http404):
            access_group(user, university.group_a.pk)


@pytest.mark.parametrize("member", CAST_NAMES)
def test_only_the_records_office_and_the_administrator_keep_the_structure(cast, university, member):
    user = getattr(cast, member)

    assert may_write_structure(user) == (member in WRITERS)
    if member not in WRITERS:
        with pytest.raises(Http404):
            access_group(user, university.group_a.pk, write=True)


def test_a_missing_group_and_a_forbidden_one_look_the_same(cast, university):
    with pytest.raises(Http404) as missing:
        access_group(cast.deanery_b, 999)
    with pytest.raises(Http404) as forbidden:
        access_group(cast.deanery_b, university.group_a.pk)

    assert str(missing.value) == str(forbidden.value)


def test_a_deanery_sees_only_its_faculty_groups(cast, university):
    assert list(visible_groups(cast.deanery_a)) == [university.group_a]
    assert list(visible_groups(cast.deanery_b)) == [university.group_b]
    assert list(visible_groups(cast.curator)) == [university.group_a]
    assert list(visible_groups(cast.teacher)) == []
    assert visible_groups(cast.records_office).count() == 2
