"""Who reads and keeps student records, for every member of the cast (AC-1, AC-2, AC-8)."""

from __future__ import annotations

import pytest
from django.http import Http404

from academic.records.models import Order
from academic.records.permissions import (
    access_order,
    access_student,
    may_read_orders,
    may_read_records,
    may_write_records,
    visible_students,
)
from tests.conftest import CAST_NAMES
from tests.policies.records import FILE_READERS, ORDER_READERS, RECORDS_READERS, RECORDS_WRITERS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("member", CAST_NAMES)
def test_the_students_file_is_read_by_its_offices_and_the_student(cast, enrolled, member):
    user = getattr(cast, member)
    if member in FILE_READERS:
        assert access_student(user, enrolled.student.pk) == enrolled.student
    else:
        with pytest.raises(Http404):
            access_student(user, enrolled.student.pk)


@pytest.mark.parametrize("member", CAST_NAMES)
def test_only_the_records_office_and_the_administrator_keep_files(cast, enrolled, member):
    user = getattr(cast, member)
    assert may_write_records(user) == (member in RECORDS_WRITERS)
    if member not in RECORDS_WRITERS:
        with pytest.raises(Http404):
            access_student(user, enrolled.student.pk, write=True)


@pytest.mark.parametrize("member", CAST_NAMES)
def test_office_lists_and_orders(cast, enrolled, member):
    user = getattr(cast, member)
    assert may_read_records(user) == (member in RECORDS_READERS)
    assert may_read_orders(user) == (member in ORDER_READERS)
    order = Order.objects.first()
    if member in ORDER_READERS:
        assert access_order(user, order.pk) == order
    else:
        with pytest.raises(Http404):
            access_order(user, order.pk)


def test_a_deanery_sees_its_faculty_students_only(cast, enrolled):
    assert set(visible_students(cast.deanery_a)) == {enrolled.student, enrolled.other_student}
    assert list(visible_students(cast.deanery_b)) == []
    assert list(visible_students(cast.student)) == []


def test_a_student_reads_their_own_file_not_a_classmates(cast, enrolled):
    assert access_student(cast.student, enrolled.student.pk)
    with pytest.raises(Http404):
        access_student(cast.student, enrolled.other_student.pk)


def test_a_missing_and_a_forbidden_file_look_the_same(cast, enrolled):
    with pytest.raises(Http404) as missing:
        access_student(cast.deanery_b, 99999)
    with pytest.raises(Http404) as forbidden:
        access_student(cast.deanery_b, enrolled.student.pk)
    assert str(missing.value) == str(forbidden.value)


def test_after_a_transfer_the_new_faculty_reads_the_file(cast, enrolled, university):
    from datetime import date

    from academic.records import actions
    from academic.records.models import OrderKind
    from hub.accounts.access import forget_rights

    today = date.today()
    order = actions.order_create(
        by=None, kind=OrderKind.TRANSFER, number="X", date=today, effective_date=today
    )
    actions.order_line_add(by=None, order=order, student=enrolled.student, group=university.group_b)
    actions.order_sign(by=None, order=order, signer="Ректор")
    for user in (cast.deanery_a, cast.deanery_b):
        forget_rights(user)

    assert access_student(cast.deanery_b, enrolled.student.pk)
    with pytest.raises(Http404):
        access_student(cast.deanery_a, enrolled.student.pk)
