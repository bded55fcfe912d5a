from datetime import date

import pytest

from academic.structure.actions import group_assign_curator
from academic.structure.models import GroupCuratorship
from hub.audit.models import AuditEntry
from hub.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_new_curator_closes_the_previous_curatorship_so_both_stay_visible(cast, university):
    group = university.group_a
    group_assign_curator(
        by=cast.records_office, group=group, curator=cast.curator, on=date(2026, 9, 1)
    )
    group_assign_curator(
        by=cast.records_office, group=group, curator=cast.teacher, on=date(2027, 2, 1)
    )

    history = list(GroupCuratorship.objects.filter(group=group).order_by("valid_from"))
    assert [(row.curator, row.valid_from, row.valid_to) for row in history] == [
        (cast.curator, date(2026, 9, 1), date(2027, 1, 31)),
        (cast.teacher, date(2027, 2, 1), None),
    ]
    group.refresh_from_db()
    assert group.curator == cast.teacher


def test_the_assignment_is_audited_with_who_did_it(cast, university):
    group_assign_curator(by=cast.records_office, group=university.group_a, curator=cast.curator)

    entry = AuditEntry.objects.get(action="group_assign_curator")
    assert entry.actor == cast.records_office
    assert entry.changes == {"curator": [None, cast.curator.pk]}


def test_a_student_cannot_be_a_curator(cast, university):
    with pytest.raises(DomainError):
        group_assign_curator(by=None, group=university.group_a, curator=cast.student)

    assert not GroupCuratorship.objects.exists()


def test_removing_the_curator_closes_the_curatorship(cast, university):
    group = university.group_a
    group_assign_curator(by=None, group=group, curator=cast.curator, on=date(2026, 9, 1))
    group_assign_curator(by=None, group=group, curator=None, on=date(2026, 12, 1))

    assert GroupCuratorship.objects.get().valid_to == date(2026, 11, 30)
    group.refresh_from_db()
    assert group.curator is None


def test_a_curator_cannot_start_before_the_current_one(cast, university):
    group = university.group_a
    group_assign_curator(by=None, group=group, curator=cast.curator, on=date(2026, 9, 1))

    with pytest.raises(DomainError):
        group_assign_curator(by=None, group=group, curator=cast.teacher, on=date(2026, 8, 1))


def test_the_curators_rights_follow_the_group(cast, university):
    from hub.accounts.access import Level, Module, Scope, has_right

    group = university.group_b
    in_group = Scope("group", group.pk)
    group_assign_curator(by=cast.records_office, group=group, curator=cast.teacher)
    assert has_right(cast.teacher, Module.RECORDS, Level.VIEW, scope=in_group)

    group_assign_curator(by=cast.records_office, group=group, curator=cast.other_teacher)

    # A fresh user object, as the next request would have: rights are memoised per object.
    teacher, other = type(cast.teacher).objects.get(pk=cast.teacher.pk), cast.other_teacher
    assert not has_right(teacher, Module.RECORDS, Level.VIEW, scope=in_group)
    assert has_right(other, Module.RECORDS, Level.VIEW, scope=in_group)
