from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from academic.staff import actions
from academic.staff.models import (
    AwardKind,
    Employment,
    LeaveKind,
    OrderKind,
    OrderStatus,
    Position,
)
from academic.staff.selectors import employee_card, positions_on
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.academic.staff.conftest import ON, hire, order, sign

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def posts(employee, on: date) -> list[tuple[str, str, Decimal]]:
    return [(p.title.code, p.unit_name, p.rate) for p in positions_on(employee, on)]


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as error, translation.override("en"):
        call(*args, **kwargs)
    return error.value.messages[0]


def test_a_hiring_order_gives_the_post_only_once_signed(cast, university, titles, teacher_card):
    hiring = order(cast, OrderKind.HIRING, "1-к")
    actions.staff_order_line_add(
        by=cast.hr,
        order=hiring,
        employee=teacher_card,
        title=titles["docent"],
        department=university.department_a,
        rate=Decimal("0.5"),
    )

    assert not Position.objects.exists()
    sign(hiring)

    department = university.department_a.name
    assert posts(teacher_card, ON) == [("docent", department, Decimal("0.5"))]
    assert posts(teacher_card, ON - DAY) == []
    [post] = positions_on(teacher_card, ON)
    assert post.employment == Employment.MAIN
    assert post.opened_by.order == hiring


def test_a_transfer_closes_the_old_post_the_day_before_and_opens_the_new(
    cast, university, titles, teacher_card
):
    old = hire(cast, teacher_card, university.department_a, titles["docent"])
    later = ON + timedelta(days=100)
    transfer = order(cast, OrderKind.TRANSFER, "2-к", on=later)
    actions.staff_order_line_add(
        by=cast.hr,
        order=transfer,
        employee=teacher_card,
        position=old,
        title=titles["professor"],
        department=university.department_b,
        rate=Decimal("1.0"),
        employment=Employment.MAIN,
    )

    assert posts(teacher_card, later)[0][0] == "docent"
    sign(transfer)

    old.refresh_from_db()
    assert old.valid_to == later - DAY
    assert old.closed_by.order == transfer
    assert posts(teacher_card, later - DAY) == [
        ("docent", university.department_a.name, Decimal("1.0"))
    ]
    assert posts(teacher_card, later) == [
        ("professor", university.department_b.name, Decimal("1.0"))
    ]
    # History is kept: both rows stay.
    assert teacher_card.positions.count() == 2


def test_a_dismissal_ends_every_post_from_its_effective_date(
    cast, university, titles, teacher_card
):
    hire(cast, teacher_card, university.department_a, titles["docent"])
    hire(
        cast,
        teacher_card,
        university.department_b,
        titles["lecturer"],
        rate="0.25",
        employment=Employment.INTERNAL,
        number="H-2",
    )
    end = date(2027, 6, 30)
    dismissal = order(cast, OrderKind.DISMISSAL, "3-к", on=end)
    actions.staff_order_line_add(
        by=cast.hr, order=dismissal, employee=teacher_card, text="По собственному желанию"
    )
    assert len(posts(teacher_card, end)) == 2

    sign(dismissal)

    assert posts(teacher_card, end) == []
    assert len(posts(teacher_card, end - DAY)) == 2
    assert len(posts(teacher_card, ON)) == 2


def test_a_dismissal_from_one_post_keeps_the_others(cast, university, titles, teacher_card):
    main = hire(cast, teacher_card, university.department_a, titles["docent"])
    hire(
        cast,
        teacher_card,
        university.department_b,
        titles["lecturer"],
        rate="0.25",
        employment=Employment.INTERNAL,
        number="H-2",
    )
    end = date(2027, 1, 1)
    dismissal = order(cast, OrderKind.DISMISSAL, "4-к", on=end)
    actions.staff_order_line_add(
        by=cast.hr, order=dismissal, employee=teacher_card, position=main, text="Совмещение"
    )
    sign(dismissal)

    assert posts(teacher_card, end) == [("lecturer", university.department_b.name, Decimal("0.25"))]


def test_leave_and_awards_change_no_post_and_show_on_the_card(
    cast, university, titles, teacher_card
):
    hire(cast, teacher_card, university.department_a, titles["docent"])
    leave = order(cast, OrderKind.LEAVE, "5-о", on=date(2027, 7, 1))
    actions.staff_order_line_add(
        by=cast.hr,
        order=leave,
        employee=teacher_card,
        leave_kind=LeaveKind.ANNUAL,
        leave_from=date(2027, 7, 1),
        leave_to=date(2027, 8, 25),
    )
    award = order(cast, OrderKind.AWARD, "6-н")
    actions.staff_order_line_add(
        by=cast.hr,
        order=award,
        employee=teacher_card,
        award_kind=AwardKind.GRATITUDE,
        text="Ийгиликтүү иши үчүн",
    )
    assert employee_card(employee=teacher_card).leaves == []

    sign(leave)
    sign(award)

    card = employee_card(employee=teacher_card)
    assert [line.order.number for line in card.leaves] == ["5-о"]
    assert [line.text for line in card.awards] == ["Ийгиликтүү иши үчүн"]
    assert len(posts(teacher_card, date(2027, 7, 15))) == 1
    assert teacher_card.positions.count() == 1


def test_positions_on_past_dates_follow_the_orders(cast, university, titles, teacher_card):
    first = hire(cast, teacher_card, university.department_a, titles["assistant"])
    promoted = date(2027, 9, 1)
    transfer = order(cast, OrderKind.TRANSFER, "7-к", on=promoted)
    actions.staff_order_line_add(
        by=cast.hr,
        order=transfer,
        employee=teacher_card,
        position=first,
        title=titles["senior_lecturer"],
        department=university.department_a,
        rate=Decimal("1.0"),
        employment=Employment.MAIN,
    )
    sign(transfer)
    left = date(2028, 9, 1)
    dismissal = order(cast, OrderKind.DISMISSAL, "8-к", on=left)
    actions.staff_order_line_add(by=cast.hr, order=dismissal, employee=teacher_card, text="x")
    sign(dismissal)

    assert [p[0] for p in posts(teacher_card, ON - DAY)] == []
    assert [p[0] for p in posts(teacher_card, ON)] == ["assistant"]
    assert [p[0] for p in posts(teacher_card, promoted - DAY)] == ["assistant"]
    assert [p[0] for p in posts(teacher_card, promoted)] == ["senior_lecturer"]
    assert [p[0] for p in posts(teacher_card, left - DAY)] == ["senior_lecturer"]
    assert [p[0] for p in posts(teacher_card, left)] == []


def test_signing_is_audited_in_one_batch_with_the_posts(cast, university, titles, teacher_card):
    hiring = order(cast, OrderKind.HIRING, "9-к")
    actions.staff_order_line_add(
        by=cast.hr,
        order=hiring,
        employee=teacher_card,
        title=titles["docent"],
        department=university.department_a,
        rate=Decimal("1.0"),
    )

    actions.staff_order_sign(by=cast.hr, order=hiring)

    signed = AuditEntry.objects.get(action="staff_order_sign")
    opened = AuditEntry.objects.get(action="position_open")
    assert signed.actor == cast.hr
    assert signed.changes["status"] == [OrderStatus.DRAFT, OrderStatus.SIGNED]
    assert signed.batch_id is not None and opened.batch_id == signed.batch_id
    assert AuditEntry.objects.filter(action="staff_order_create").count() == 1
    assert AuditEntry.objects.filter(action="staff_order_line_add").count() == 1


def test_a_signed_order_cannot_be_edited_signed_again_or_added_to(
    cast, university, titles, teacher_card, other_card
):
    hire(cast, teacher_card, university.department_a, titles["docent"], number="10-к")
    hiring = teacher_card.positions.get().opened_by.order
    line = hiring.lines.get()
    message = "A signed order cannot be changed; issue a new order instead."

    assert refused(actions.staff_order_update, by=cast.hr, order=hiring, reason="x") == message
    assert refused(actions.staff_order_sign, by=cast.hr, order=hiring) == message
    assert refused(actions.staff_order_line_remove, by=cast.hr, line=line) == message
    assert (
        refused(
            actions.staff_order_line_add,
            by=cast.hr,
            order=hiring,
            employee=other_card,
            title=titles["docent"],
            department=university.department_a,
            rate=Decimal("1.0"),
        )
        == message
    )


def test_an_empty_order_is_not_signed(cast):
    empty = order(cast, OrderKind.HIRING, "11-к")

    assert refused(sign, empty) == "Add at least one employee to the order before signing it."


def test_a_failing_line_leaves_every_post_as_it_was(
    cast, university, titles, teacher_card, other_card
):
    hire(cast, teacher_card, university.department_a, titles["docent"])
    hiring = order(cast, OrderKind.HIRING, "12-к", on=date(2026, 10, 1))
    for employee in (other_card, teacher_card):
        actions.staff_order_line_add(
            by=cast.hr,
            order=hiring,
            employee=employee,
            title=titles["lecturer"],
            department=university.department_b,
            rate=Decimal("1.0"),
        )

    message = refused(sign, hiring)

    assert message == "Иванова Наталья already has a main job on 2026-10-01."
    assert other_card.positions.count() == 0
    hiring.refresh_from_db()
    assert hiring.status == OrderStatus.DRAFT


def test_a_closed_post_cannot_be_transferred_or_left_again(cast, university, titles, teacher_card):
    post = hire(cast, teacher_card, university.department_a, titles["docent"])
    end = date(2027, 1, 1)
    dismissal = order(cast, OrderKind.DISMISSAL, "13-к", on=end)
    actions.staff_order_line_add(by=cast.hr, order=dismissal, employee=teacher_card, text="x")
    sign(dismissal)
    transfer = order(cast, OrderKind.TRANSFER, "14-к", on=date(2027, 2, 1))
    actions.staff_order_line_add(
        by=cast.hr,
        order=transfer,
        employee=teacher_card,
        position=post,
        title=titles["professor"],
        department=university.department_a,
        rate=Decimal("1.0"),
        employment=Employment.MAIN,
    )
    again = order(cast, OrderKind.DISMISSAL, "15-к", on=date(2027, 2, 1))
    actions.staff_order_line_add(by=cast.hr, order=again, employee=teacher_card, text="x")

    assert refused(sign, transfer) == "Иванова Наталья no longer holds that post."
    assert refused(sign, again) == "Иванова Наталья holds no post to leave."


def test_a_post_cannot_be_left_before_it_begins(cast, university, titles, teacher_card):
    hire(cast, teacher_card, university.department_a, titles["docent"])
    early = order(cast, OrderKind.DISMISSAL, "16-к", on=ON, date=ON - DAY)
    actions.staff_order_line_add(by=cast.hr, order=early, employee=teacher_card, text="x")

    assert refused(sign, early) == (
        "Иванова Наталья's post begins on 2026-09-01, not before the order takes effect."
    )


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        (OrderKind.HIRING, {"department": "a", "rate": "1.0"}, "Choose the position."),
        (
            OrderKind.HIRING,
            {"title": "docent", "rate": "1.0"},
            "Give either the department or the office of the post.",
        ),
        (
            OrderKind.HIRING,
            {"title": "docent", "department": "a", "office": "HR", "rate": "1.0"},
            "Give either the department or the office of the post.",
        ),
        (
            OrderKind.HIRING,
            {"title": "docent", "department": "a", "rate": "0.3"},
            "The staff rate is one of 0.25, 0.5, 0.75, 1 or 1.5.",
        ),
        (
            OrderKind.HIRING,
            {"title": "docent", "department": "a", "rate": "1.0", "employment": "x"},
            "Choose whether it is the main job or a part-time one.",
        ),
        (OrderKind.TRANSFER, {"title": "docent"}, "Choose the post the employee leaves."),
        (
            OrderKind.LEAVE,
            {"leave_kind": LeaveKind.ANNUAL, "leave_from": date(2026, 7, 1)},
            "Give the kind of leave and its first and last days.",
        ),
        (
            OrderKind.LEAVE,
            {
                "leave_kind": LeaveKind.ANNUAL,
                "leave_from": date(2026, 7, 1),
                "leave_to": date(2026, 6, 1),
            },
            "The leave must end on or after its first day.",
        ),
        (
            OrderKind.AWARD,
            {"award_kind": AwardKind.BONUS},
            "Give the kind of award and its wording.",
        ),
        (OrderKind.DISMISSAL, {}, "Give the reason for the dismissal."),
    ],
)
def test_each_kind_of_line_asks_for_its_details(
    cast, university, titles, teacher_card, kind, fields, message
):
    draft = order(cast, kind, "D-1")
    values = dict(fields)
    if "title" in values:
        values["title"] = titles[values["title"]]
    if values.get("department") == "a":
        values["department"] = university.department_a
    if "rate" in values:
        values["rate"] = Decimal(values["rate"])

    assert (
        refused(
            actions.staff_order_line_add, by=cast.hr, order=draft, employee=teacher_card, **values
        )
        == message
    )


def test_an_employee_appears_once_in_an_order(cast, teacher_card):
    award = order(cast, OrderKind.AWARD, "17-н")
    values = {"award_kind": AwardKind.BONUS, "text": "Сыйлык"}
    actions.staff_order_line_add(by=cast.hr, order=award, employee=teacher_card, **values)

    assert (
        refused(
            actions.staff_order_line_add, by=cast.hr, order=award, employee=teacher_card, **values
        )
        == "This employee is already in the order."
    )


def test_a_transfer_takes_only_the_employees_own_post(
    cast, university, titles, teacher_card, other_card
):
    others = hire(cast, other_card, university.department_b, titles["professor"])
    transfer = order(cast, OrderKind.TRANSFER, "18-к", on=date(2027, 1, 1))

    assert (
        refused(
            actions.staff_order_line_add,
            by=cast.hr,
            order=transfer,
            employee=teacher_card,
            position=others,
            title=titles["docent"],
            department=university.department_a,
            rate=Decimal("1.0"),
            employment=Employment.MAIN,
        )
        == "The post chosen is not this employee's."
    )


def test_order_header_checks(cast, teacher_card):
    assert (
        refused(order, cast, OrderKind.HIRING, "19-к", on=ON, date=ON + DAY)
        == "An order takes effect on its date or later."
    )
    assert (
        refused(
            actions.staff_order_create,
            by=cast.hr,
            kind=OrderKind.HIRING,
            number="20-к",
            date=ON,
            effective_date=ON,
            signer=cast.student,
        )
        == "The order is signed by an active member of staff."
    )
    order(cast, OrderKind.HIRING, "21-к")
    assert "already exists" in refused(order, cast, OrderKind.LEAVE, "21-к")


def test_a_draft_line_can_be_removed_and_is_audited(cast, teacher_card):
    award = order(cast, OrderKind.AWARD, "22-н")
    line = actions.staff_order_line_add(
        by=cast.hr, order=award, employee=teacher_card, award_kind=AwardKind.BONUS, text="x"
    )

    actions.staff_order_line_remove(by=cast.hr, line=line)

    assert not award.lines.exists()
    assert AuditEntry.objects.filter(action="staff_order_line_remove").count() == 1


def test_a_draft_header_can_be_changed(cast):
    draft = order(cast, OrderKind.HIRING, "23-к")

    actions.staff_order_update(by=cast.hr, order=draft, number="23а-к", reason="Трудовой договор")

    draft.refresh_from_db()
    assert (draft.number, draft.reason) == ("23а-к", "Трудовой договор")
    entry = AuditEntry.objects.get(action="staff_order_update")
    assert entry.changes["number"] == ["23-к", "23а-к"]


def test_positions_on_lists_the_main_job_first(cast, university, titles, teacher_card):
    hire(
        cast,
        teacher_card,
        university.department_b,
        titles["lecturer"],
        rate="0.25",
        employment=Employment.INTERNAL,
        on=ON - timedelta(days=30),
        number="H-0",
    )
    hire(cast, teacher_card, university.department_a, titles["docent"])

    assert [p.employment for p in positions_on(teacher_card, ON)] == [
        Employment.MAIN,
        Employment.INTERNAL,
    ]
