"""owns_data: only the owning office writes a kind of data, within its scope (AC-2)."""

from __future__ import annotations

from hub.accounts import roles
from hub.accounts.access import Scope, forget_rights, owns_data
from hub.accounts.actions import ownership_set, role_assign
from hub.accounts.models import DataKind, Role, ScopeKind
from tests.conftest import FACULTY_A, FACULTY_B


def test_each_office_owns_its_data_and_no_other(cast):
    assert owns_data(cast.records_office, DataKind.STUDENT_MOVEMENTS)
    assert owns_data(cast.cashier, DataKind.PAYMENTS)
    assert not owns_data(cast.cashier, DataKind.STUDENT_MOVEMENTS)
    assert not owns_data(cast.records_office, DataKind.GRADES)
    # the vice-rector approves changes but enters no data
    assert not owns_data(cast.vice_rector, DataKind.GRADES)


def test_a_deanery_owns_grades_of_its_own_faculty_only(cast):
    faculty_a = Scope(ScopeKind.FACULTY, FACULTY_A)

    assert owns_data(cast.deanery_a, DataKind.GRADES, scope=faculty_a)
    assert not owns_data(cast.deanery_a, DataKind.GRADES, scope=Scope(ScopeKind.FACULTY, FACULTY_B))
    assert not owns_data(cast.deanery_a, DataKind.GRADES, scope=Scope.institution())


def test_simple_users_own_nothing_and_superusers_everything(cast):
    assert not owns_data(cast.student, DataKind.GRADES, scope=Scope.own())
    assert not owns_data(cast.parent, DataKind.PAYMENTS)
    assert owns_data(cast.admin, DataKind.TRANSCRIPTS)


def test_moving_ownership_moves_the_right_to_write(cast):
    ownership_set(
        by=cast.admin,
        data_kind=DataKind.PAYMENTS,
        owner=Role.objects.get(code=roles.STUDENT_RECORDS_OFFICE),
    )
    forget_rights(cast.cashier)
    forget_rights(cast.records_office)

    assert not owns_data(cast.cashier, DataKind.PAYMENTS)
    assert owns_data(cast.records_office, DataKind.PAYMENTS)


def test_repeated_questions_read_each_kind_of_data_once(cast, django_assert_num_queries):
    hr = Role.objects.get(code=roles.HR)
    role_assign(by=cast.admin, user=cast.cashier, role=hr, scope=Scope.institution())

    with django_assert_num_queries(3):  # the assignments with their rights, two ownership rows
        for _ in range(50):
            owns_data(cast.cashier, DataKind.PAYMENTS)
            owns_data(cast.cashier, DataKind.STAFF_MOVEMENTS)
