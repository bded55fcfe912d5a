import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from academic.staff import actions
from academic.staff.models import DocumentKind, OrderKind
from academic.staff.permissions import (
    access_employee,
    access_employee_document,
    access_staff,
    access_staff_order,
    may_read_staff,
    may_write_staff,
    readable_department_ids,
    visible_employees,
)
from hub.accounts import roles
from hub.accounts.access import Scope, forget_rights
from hub.accounts.actions import role_assign
from hub.accounts.models import Role, ScopeKind
from tests.academic.staff.conftest import order
from tests.conftest import CAST_NAMES

pytestmark = pytest.mark.django_db

# Institution-wide VIEW on the staff module.
READERS = {"admin", "vice_rector", "hr", "academic_affairs"}
# The HR office owns staff movements; the administrator is a superuser.
WRITERS = {"admin", "hr"}


@pytest.mark.parametrize("member", CAST_NAMES)
def test_only_hr_and_the_administrator_write_staff_records(cast, staffed, member):
    user = getattr(cast, member)
    teacher_card, _other = staffed

    assert may_write_staff(user) == (member in WRITERS)
    if member in WRITERS:
        assert access_employee(user, teacher_card.pk, write=True) == teacher_card
        access_staff(user, write=True)
    else:
        with pytest.raises(Http404):
            access_employee(user, teacher_card.pk, write=True)
        with pytest.raises(Http404):
            access_staff(user, write=True)


@pytest.mark.parametrize("member", CAST_NAMES)
def test_staff_readers_read_every_card_and_employees_their_own(cast, staffed, member):
    user = getattr(cast, member)
    teacher_card, other_card = staffed

    assert may_read_staff(user) == (member in READERS)
    for employee, owner in ((teacher_card, "teacher"), (other_card, "other_teacher")):
        if member in READERS or member == owner:
            assert access_employee(user, employee.pk) == employee
        else:
            with pytest.raises(Http404):
                access_employee(user, employee.pk)


@pytest.mark.parametrize("member", CAST_NAMES)
def test_orders_are_read_by_institution_wide_readers_and_kept_by_hr(cast, member):
    user = getattr(cast, member)
    draft = order(cast, OrderKind.AWARD, "1-н")

    if member in READERS:
        assert access_staff_order(user, draft.pk) == draft
    else:
        with pytest.raises(Http404):
            access_staff_order(user, draft.pk)
    if member in WRITERS:
        assert access_staff_order(user, draft.pk, write=True) == draft
    else:
        with pytest.raises(Http404):
            access_staff_order(user, draft.pk, write=True)


@pytest.mark.parametrize("member", CAST_NAMES)
def test_a_document_is_served_to_who_reads_the_card(cast, teacher_card, member):
    document = actions.document_upload(
        by=None,
        employee=teacher_card,
        kind=DocumentKind.CV,
        file=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 test"),
    )
    user = getattr(cast, member)

    if member in READERS or member == "teacher":
        assert access_employee_document(user, document.pk) == document
    else:
        with pytest.raises(Http404):
            access_employee_document(user, document.pk)


def test_a_department_reads_only_the_staff_holding_posts_in_it(
    cast, university, staffed, department_reader
):
    teacher_card, other_card = staffed

    assert may_read_staff(department_reader)
    assert not may_write_staff(department_reader)
    assert readable_department_ids(department_reader) == [university.department_a.pk]
    assert list(visible_employees(department_reader)) == [teacher_card]
    assert access_employee(department_reader, teacher_card.pk) == teacher_card
    with pytest.raises(Http404):
        access_employee(department_reader, other_card.pk)
    draft = order(cast, OrderKind.AWARD, "2-н")
    with pytest.raises(Http404):
        access_staff_order(department_reader, draft.pk)


def test_a_faculty_scope_covers_its_departments(cast, university):
    role = Role.objects.get(code=roles.DEPARTMENT)
    role_assign(
        by=None,
        user=cast.deanery_b,
        role=role,
        scope=Scope(ScopeKind.FACULTY, university.faculty_b.pk),
    )
    forget_rights(cast.deanery_b)

    assert readable_department_ids(cast.deanery_b) == [university.department_b.pk]


def test_a_missing_card_and_a_forbidden_one_look_the_same(cast, staffed):
    teacher_card, _other = staffed
    with pytest.raises(Http404) as missing:
        access_employee(cast.student, 99999)
    with pytest.raises(Http404) as forbidden:
        access_employee(cast.student, teacher_card.pk)

    assert str(missing.value) == str(forbidden.value)
