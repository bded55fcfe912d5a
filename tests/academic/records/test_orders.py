"""Orders change records only when signed, from their effective date, and never rewrite history."""

from __future__ import annotations

from datetime import date

import pytest

from academic.records import actions
from academic.records.models import (
    ExpulsionReason,
    Funding,
    GroupCourse,
    OrderKind,
    Status,
    StudentState,
)
from academic.records.selectors import course_on, group_students_on, state_on, student_history
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.academic.records.conftest import ADMITTED_ON, admit, personal_file

pytestmark = pytest.mark.django_db

EFFECTIVE = date(2025, 2, 1)
BEFORE = date(2025, 1, 31)


def draft(kind: str, number: str = "7", effective: date = EFFECTIVE):
    return actions.order_create(
        by=None, kind=kind, number=number, date=effective, effective_date=effective
    )


def sign(order) -> None:
    actions.order_sign(by=None, order=order, signer="Ректор")


def test_a_draft_changes_nothing_until_signed(enrolled, university):
    order = draft(OrderKind.TRANSFER)
    actions.order_line_add(by=None, order=order, student=enrolled.student, group=university.group_b)

    assert state_on(enrolled.student, EFFECTIVE).group == university.group_a
    sign(order)
    assert state_on(enrolled.student, EFFECTIVE).group == university.group_b


def test_transfer_moves_the_student_from_the_effective_date_and_keeps_the_past(
    enrolled, university
):
    order = draft(OrderKind.TRANSFER)
    actions.order_line_add(by=None, order=order, student=enrolled.student, group=university.group_b)
    sign(order)

    a, b = university.group_a.pk, university.group_b.pk
    assert enrolled.student not in group_students_on(a, EFFECTIVE)
    assert enrolled.student in group_students_on(b, EFFECTIVE)
    # The old group's list on an earlier date still shows them.
    assert enrolled.student in group_students_on(a, BEFORE)
    assert enrolled.student not in group_students_on(b, BEFORE)
    history = student_history(enrolled.student)
    assert [(s.group_id, s.valid_from, s.valid_to) for s in history] == [
        (a, ADMITTED_ON, EFFECTIVE),
        (b, EFFECTIVE, None),
    ]


def test_transfer_to_the_same_group_is_refused(enrolled, university):
    order = draft(OrderKind.TRANSFER)
    with pytest.raises(DomainError, match="already studies in group"):
        actions.order_line_add(
            by=None, order=order, student=enrolled.student, group=university.group_a
        )


def test_admission_needs_a_group_and_funding(cast, university):
    newcomer = personal_file(cast.applicant, "26-0001")
    order = draft(OrderKind.ADMISSION)
    with pytest.raises(DomainError) as error:
        actions.order_line_add(by=None, order=order, student=newcomer)
    assert "Choose the group" in " ".join(error.value.messages)
    assert "funding" in " ".join(error.value.messages)

    actions.order_line_add(
        by=None, order=order, student=newcomer, group=university.group_a, funding=Funding.CONTRACT
    )
    sign(order)
    assert state_on(newcomer, EFFECTIVE).status == Status.STUDYING
    assert state_on(newcomer, BEFORE) is None


def test_an_admitted_student_cannot_be_admitted_again(enrolled, university):
    order = draft(OrderKind.ADMISSION)
    with pytest.raises(DomainError, match="status is"):
        actions.order_line_add(
            by=None,
            order=order,
            student=enrolled.student,
            group=university.group_b,
            funding=Funding.BUDGET,
        )


def test_expulsion_needs_a_reason_and_takes_the_student_off_the_group(enrolled, university):
    order = draft(OrderKind.EXPULSION)
    with pytest.raises(DomainError, match="reason of expulsion"):
        actions.order_line_add(by=None, order=order, student=enrolled.student)
    actions.order_line_add(
        by=None,
        order=order,
        student=enrolled.student,
        expulsion_reason=ExpulsionReason.ACADEMIC_FAILURE,
    )
    sign(order)

    assert state_on(enrolled.student, EFFECTIVE).status == Status.EXPELLED
    assert enrolled.student not in group_students_on(university.group_a.pk, EFFECTIVE)
    assert enrolled.student in group_students_on(university.group_a.pk, BEFORE)


def test_reinstatement_brings_an_expelled_student_back(enrolled, university):
    expel = draft(OrderKind.EXPULSION, "8")
    actions.order_line_add(
        by=None, order=expel, student=enrolled.student, expulsion_reason=ExpulsionReason.OWN_WISH
    )
    sign(expel)
    back = draft(OrderKind.REINSTATEMENT, "9", date(2025, 9, 1))
    actions.order_line_add(by=None, order=back, student=enrolled.student, group=university.group_b)
    sign(back)

    assert state_on(enrolled.student, date(2025, 9, 1)).group == university.group_b
    assert state_on(enrolled.student, date(2025, 5, 1)).status == Status.EXPELLED


def test_academic_leave_and_return(enrolled, university):
    leave = draft(OrderKind.ACADEMIC_LEAVE, "10")
    with pytest.raises(DomainError, match="end of the leave"):
        actions.order_line_add(by=None, order=leave, student=enrolled.student)
    actions.order_line_add(
        by=None, order=leave, student=enrolled.student, leave_until=date(2026, 2, 1)
    )
    sign(leave)
    assert state_on(enrolled.student, EFFECTIVE).status == Status.ACADEMIC_LEAVE
    assert enrolled.student not in group_students_on(university.group_a.pk, EFFECTIVE)
    assert enrolled.student in group_students_on(
        university.group_a.pk, EFFECTIVE, statuses=(Status.ACADEMIC_LEAVE,)
    )

    back = draft(OrderKind.RETURN_FROM_LEAVE, "11", date(2026, 2, 1))
    actions.order_line_add(by=None, order=back, student=enrolled.student)
    sign(back)
    returned = state_on(enrolled.student, date(2026, 2, 1))
    assert (returned.status, returned.group) == (Status.STUDYING, university.group_a)


def test_graduation(enrolled, university):
    order = draft(OrderKind.GRADUATION)
    added = actions.order_lines_add_group(by=None, order=order, group=university.group_a)
    assert added == 2
    sign(order)

    assert list(group_students_on(university.group_a.pk, EFFECTIVE)) == []
    assert state_on(enrolled.other_student, EFFECTIVE).status == Status.GRADUATED


def test_next_course_moves_whole_groups_and_remembers_the_old_course(enrolled, university):
    group = university.group_a
    order = draft(OrderKind.NEXT_COURSE)
    actions.order_line_add(by=None, order=order, group=group)
    sign(order)

    group.refresh_from_db()
    assert group.course == 4
    assert course_on(group, EFFECTIVE) == 4
    assert course_on(group, BEFORE) == 3
    assert GroupCourse.objects.filter(group=group).count() == 2
    # The students stay in the group: nobody's state changed.
    assert StudentState.objects.filter(student__in=[enrolled.student]).count() == 1


def test_a_group_in_its_last_course_graduates_instead(university):
    group = university.group_a
    group.course = 4
    group.save()
    order = draft(OrderKind.NEXT_COURSE)
    with pytest.raises(DomainError, match="last course"):
        actions.order_line_add(by=None, order=order, group=group)


def test_a_signed_order_cannot_change_and_signing_rechecks_every_line(enrolled, university):
    first = draft(OrderKind.TRANSFER, "12")
    second = draft(OrderKind.TRANSFER, "13", date(2025, 3, 1))
    actions.order_line_add(by=None, order=first, student=enrolled.student, group=university.group_b)
    actions.order_line_add(
        by=None, order=second, student=enrolled.student, group=university.group_b
    )
    sign(first)

    with pytest.raises(DomainError, match="signed order cannot be changed"):
        actions.order_line_add(
            by=None, order=first, student=enrolled.other_student, group=university.group_b
        )
    # The second draft was right when drafted; the student is in group B now.
    with pytest.raises(DomainError, match="already studies"):
        sign(second)
    assert state_on(enrolled.student, date(2025, 3, 1)).valid_from == EFFECTIVE


def test_an_effective_date_before_the_last_change_is_refused(enrolled, university):
    order = draft(OrderKind.TRANSFER, "14", ADMITTED_ON)
    with pytest.raises(DomainError, match="effective date must be later"):
        actions.order_line_add(
            by=None, order=order, student=enrolled.student, group=university.group_b
        )


def test_signing_is_audited_and_needs_a_signer_and_lines(enrolled, university):
    empty = draft(OrderKind.TRANSFER, "15")
    with pytest.raises(DomainError, match="no students"):
        sign(empty)
    order = draft(OrderKind.TRANSFER, "16")
    actions.order_line_add(by=None, order=order, student=enrolled.student, group=university.group_b)
    with pytest.raises(DomainError, match="Name who signed"):
        actions.order_sign(by=None, order=order)
    sign(order)

    assert AuditEntry.objects.filter(action="order_sign", object_id=str(order.pk)).exists()
    assert AuditEntry.objects.filter(action="student_state_open").count() >= 3


def test_a_draft_can_be_deleted_a_signed_order_cannot(enrolled, university):
    order = draft(OrderKind.TRANSFER, "17")
    actions.order_delete(by=None, order=order)
    signed = draft(OrderKind.TRANSFER, "18")
    actions.order_line_add(
        by=None, order=signed, student=enrolled.student, group=university.group_b
    )
    sign(signed)
    with pytest.raises(DomainError):
        actions.order_delete(by=None, order=signed)


def test_duplicate_order_numbers_on_one_date_are_refused():
    draft(OrderKind.TRANSFER, "19")
    with pytest.raises(DomainError, match="already exists"):
        draft(OrderKind.EXPULSION, "19")


def test_a_second_admission_of_the_cast_student_by_the_fixture_helper_is_refused(
    enrolled, university
):
    with pytest.raises(DomainError):
        admit([enrolled.student], university.group_b, number="2-A", on=date(2025, 9, 1))
