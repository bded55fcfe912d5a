"""Writes to student records: personal files and orders (SR-2, SR-3, SR-5).

An order is drafted (order_create, order_line_add…), then signed
(order_sign); only signing changes where students are. Signing closes each
student's running StudentState on the effective date and opens the next one,
so the past stays readable. Every action is atomic and audited; signing
publishes `student.moved` to the groups left and joined and `order.signed`
to the records office's pages, after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.records.models import (
    Funding,
    GroupCourse,
    Order,
    OrderKind,
    OrderLine,
    OrderStatus,
    StarostaTerm,
    Status,
    Student,
    StudentContact,
    StudentDocument,
    StudentState,
    search_text_for,
)
from academic.records.selectors import group_students_on, open_state, state_on
from academic.records.signals import order_signed
from academic.structure.models import Group
from hub.accounts import roles
from hub.accounts.access import Scope
from hub.accounts.actions import NewUser, role_assign, user_create
from hub.accounts.models import Cabinet, Role, User
from hub.audit.log import audit_record, snapshot
from hub.errors import DomainError
from hub.writes import create_audited, update_audited, validated_save
from realtime.events import EventType, send_event
from realtime.groups import group_academic, group_office

PERSONAL_FIELDS = (
    "record_number",
    "pin",
    "sex",
    "birth_date",
    "citizenship",
    "nationality",
    "document_kind",
    "document_number",
    "document_issued_by",
    "document_issued_on",
    "address_unit",
    "address_street",
    "prior_school",
    "prior_year",
    "prior_document",
)
ORDER_FIELDS = ("kind", "number", "date", "effective_date", "reason", "status", "signer")
LINE_FIELDS = ("student", "group", "funding", "expulsion_reason", "leave_until")
RECORDS_OFFICE = "records"


# --- Personal files ----------------------------------------------------------------------


@transaction.atomic
def student_create(*, by: User | None, account: NewUser, **personal) -> tuple[Student, str]:
    """Open a personal file with a new student account; return it and the initial password.

    The account gets the student cabinet and the student role on its own data.
    The student studies nowhere until an admission order is signed. Raises
    DomainError with every problem of the account or the file.
    """
    if account.cabinet != Cabinet.STUDENT:
        raise DomainError(_("A student's account opens the student cabinet."))
    user, password = user_create(by=by, data=account)
    search_text = search_text_for(user, personal.get("record_number", ""))
    student = create_audited(
        Student,
        by=by,
        action="student_create",
        fields=PERSONAL_FIELDS,
        values={"user": user, "search_text": search_text, **personal},
    )
    role_assign(by=by, user=user, role=Role.objects.get(code=roles.STUDENT), scope=Scope.own())
    return student, password


@transaction.atomic
def student_update(*, by: User | None, student: Student, **changes) -> Student:
    """Change fields of the personal file (not where the student studies: that takes an order)."""
    unknown = set(changes) - set(PERSONAL_FIELDS) - {"photo"}
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    if "record_number" in changes:
        student.search_text = search_text_for(student.user, changes["record_number"])
    return update_audited(
        student, by=by, action="student_update", fields=PERSONAL_FIELDS, changes=changes
    )


@transaction.atomic
def student_document_add(*, by: User | None, student: Student, title: str, file) -> StudentDocument:
    """Attach a scanned document (pdf, jpg or png, ≤ 10 MB) to the personal file."""
    return create_audited(
        StudentDocument,
        by=by,
        action="student_document_add",
        fields=("student", "title"),
        values={"student": student, "title": title, "file": file},
    )


@transaction.atomic
def student_contact_add(
    *, by: User | None, student: Student, relation: str, full_name: str, phone: str = ""
) -> StudentContact:
    """Add a parent or guardian to the personal file."""
    return create_audited(
        StudentContact,
        by=by,
        action="student_contact_add",
        fields=("student", "relation", "full_name", "phone"),
        values={"student": student, "relation": relation, "full_name": full_name, "phone": phone},
    )


@transaction.atomic
def student_contact_remove(*, by: User | None, contact: StudentContact) -> None:
    """Remove a parent or guardian from the personal file."""
    before = snapshot(contact, ("student", "relation", "full_name", "phone"))
    audit_record(action="student_contact_remove", obj=contact, before=before, actor=by)
    contact.delete()


# --- Orders: drafting ------------------------------------------------------------------


@dataclass(frozen=True)
class KindRule:
    """What a line of an order kind needs and what signing it makes of the student."""

    before: frozenset[str | None]  # the student's status before (None: never admitted)
    after: str
    needs_group: bool = False
    may_name_group: bool = False
    needs_reason: bool = False
    needs_leave_until: bool = False


RULES: dict[str, KindRule] = {
    OrderKind.ADMISSION: KindRule(frozenset({None}), Status.STUDYING, needs_group=True),
    OrderKind.TRANSFER: KindRule(frozenset({Status.STUDYING}), Status.STUDYING, needs_group=True),
    OrderKind.EXPULSION: KindRule(
        frozenset({Status.STUDYING, Status.ACADEMIC_LEAVE}), Status.EXPELLED, needs_reason=True
    ),
    OrderKind.REINSTATEMENT: KindRule(
        frozenset({Status.EXPELLED}), Status.STUDYING, needs_group=True
    ),
    OrderKind.ACADEMIC_LEAVE: KindRule(
        frozenset({Status.STUDYING}), Status.ACADEMIC_LEAVE, needs_leave_until=True
    ),
    OrderKind.RETURN_FROM_LEAVE: KindRule(
        frozenset({Status.ACADEMIC_LEAVE}), Status.STUDYING, may_name_group=True
    ),
    OrderKind.GRADUATION: KindRule(frozenset({Status.STUDYING}), Status.GRADUATED),
}


def _draft(order: Order) -> None:
    # Asked of the database: the caller's object may predate the signature.
    if Order.objects.filter(pk=order.pk, status=OrderStatus.SIGNED).exists():
        raise DomainError(_("A signed order cannot be changed; draft a new order instead."))


@transaction.atomic
def order_create(
    *,
    by: User | None,
    kind: str,
    number: str,
    date: date,
    effective_date: date,
    reason: str = "",
    signer: str = "",
) -> Order:
    """Draft an order; it changes nothing until it is signed."""
    values = {
        "kind": kind,
        "number": number.strip(),
        "date": date,
        "effective_date": effective_date,
        "reason": reason,
        "signer": signer,
        "created_by": by,
    }
    if Order.objects.filter(number=values["number"], date=date).exists():
        raise DomainError(_("An order with this number and date already exists."))
    return create_audited(Order, by=by, action="order_create", fields=ORDER_FIELDS, values=values)


@transaction.atomic
def order_update(*, by: User | None, order: Order, **changes) -> Order:
    """Change the heading of a draft order (number, dates, grounds, signer)."""
    _draft(order)
    allowed = {"number", "date", "effective_date", "reason", "signer"}
    if set(changes) - allowed:
        raise DomainError(_("Only the heading of an order can be changed."))
    return update_audited(order, by=by, action="order_update", fields=ORDER_FIELDS, changes=changes)


@transaction.atomic
def order_delete(*, by: User | None, order: Order) -> None:
    """Delete a draft order with its lines; signed orders are never deleted."""
    _draft(order)
    audit_record(action="order_delete", obj=order, before=snapshot(order, ORDER_FIELDS), actor=by)
    order.delete()


def line_problems(order: Order, line: OrderLine) -> list[str]:
    """Translated reasons why `line` cannot be part of `order` now; empty when it can."""
    if order.kind == OrderKind.NEXT_COURSE:
        return _next_course_problems(line)
    if line.student is None:
        return [_("Choose a student.")]
    rule = RULES[order.kind]
    state = open_state(line.student)
    status = state.status if state else None
    problems = []
    name = line.student.user.get_full_name()
    if status not in rule.before:
        current = Status(status).label if status else _("not admitted")
        problems.append(
            _("%(name)s cannot be included: their status is “%(status)s”.")
            % {"name": name, "status": current}
        )
    elif state is not None and state.valid_from >= order.effective_date:
        problems.append(
            _("%(name)s already has a change from %(date)s; the effective date must be later.")
            % {"name": name, "date": state.valid_from.strftime("%d.%m.%Y")}
        )
    if rule.needs_group and line.group is None:
        problems.append(_("Choose the group for %(name)s.") % {"name": name})
    if line.group is not None:
        if not (rule.needs_group or rule.may_name_group):
            problems.append(_("This kind of order names no group."))
        elif not line.group.is_active:
            problems.append(_("Group %(group)s is closed.") % {"group": line.group.name})
        elif order.kind == OrderKind.TRANSFER and state and state.group_id == line.group_id:
            problems.append(
                _("%(name)s already studies in group %(group)s.")
                % {"name": name, "group": line.group.name}
            )
    if rule.needs_reason and not line.expulsion_reason:
        problems.append(_("Give the reason of expulsion for %(name)s.") % {"name": name})
    if rule.needs_leave_until:
        if line.leave_until is None:
            problems.append(_("Give the end of the leave for %(name)s.") % {"name": name})
        elif line.leave_until <= order.effective_date:
            problems.append(_("The leave must end after the effective date."))
    if order.kind == OrderKind.ADMISSION and not line.funding:
        problems.append(_("Choose budget or contract funding for %(name)s.") % {"name": name})
    return problems


def _next_course_problems(line: OrderLine) -> list[str]:
    if line.group is None or line.student is not None:
        return [_("A transfer to the next course names whole groups, not students.")]
    group = line.group
    last = ceil(group.specialty.duration_years)
    if group.course >= last:
        return [
            _("Group %(group)s is in its last course (%(course)d); graduate it instead.")
            % {"group": group.name, "course": group.course}
        ]
    if not group.is_active:
        return [_("Group %(group)s is closed.") % {"group": group.name}]
    return []


@transaction.atomic
def order_line_add(
    *,
    by: User | None,
    order: Order,
    student: Student | None = None,
    group: Group | None = None,
    funding: str = "",
    expulsion_reason: str = "",
    leave_until: date | None = None,
) -> OrderLine:
    """Add a student (or, for a transfer to the next course, a group) to a draft order.

    Checks the line against the student's situation now; signing checks again.
    """
    _draft(order)
    line = OrderLine(
        order=order,
        student=student,
        group=group,
        funding=funding,
        expulsion_reason=expulsion_reason,
        leave_until=leave_until,
    )
    problems = line_problems(order, line)
    duplicate = order.lines.filter(student=student) if student else order.lines.filter(group=group)
    if duplicate.exists():
        problems.insert(0, _("This line is already in the order."))
    if problems:
        raise DomainError(problems[0], messages=problems)
    validated_save(line)
    audit_record(action="order_line_add", obj=line, after=snapshot(line, LINE_FIELDS), actor=by)
    return line


@transaction.atomic
def order_lines_add_group(*, by: User | None, order: Order, group: Group, **details) -> int:
    """Add every student now studying in `group` to a draft order (graduation, expulsion…).

    Students already in the order are skipped; returns how many were added.
    Each line is checked as order_line_add checks it.
    """
    _draft(order)
    present = set(order.lines.values_list("student_id", flat=True))
    added = 0
    for student in group_students_on(group.pk):
        if student.pk not in present:
            order_line_add(by=by, order=order, student=student, **details)
            added += 1
    return added


@transaction.atomic
def order_line_remove(*, by: User | None, line: OrderLine) -> None:
    """Remove a line from a draft order."""
    _draft(line.order)
    audit_record(action="order_line_remove", obj=line, before=snapshot(line, LINE_FIELDS), actor=by)
    line.delete()


# --- Orders: signing -------------------------------------------------------------------


@transaction.atomic
def order_sign(*, by: User | None, order: Order, signer: str = "") -> Order:
    """Sign a draft order: from its effective date its students are where it says.

    Every line is checked again against the students' situation (all or
    nothing: one bad line refuses the order with every problem listed). Each
    student's running state closes on the effective date and the next opens;
    groups moved to the next course get their next course period. Audited;
    publishes `student.moved` and `order.signed` after commit.
    """
    order = Order.objects.select_for_update().get(pk=order.pk)
    _draft(order)
    lines = list(order.lines.select_related("student__user", "group__specialty"))
    if not lines:
        raise DomainError(_("The order has no students."))
    signer = signer or order.signer
    if not signer:
        raise DomainError(_("Name who signed the order."))
    problems = [problem for line in lines for problem in line_problems(order, line)]
    if problems:
        raise DomainError(problems[0], messages=problems)
    before = snapshot(order, ORDER_FIELDS)
    moves = [_apply(order, line, by=by) for line in lines]
    order.status = OrderStatus.SIGNED
    order.signer = signer
    order.signed_at = timezone.now()
    order.signed_by = by
    order.save()
    audit_record(
        action="order_sign",
        obj=order,
        before=before,
        after=snapshot(order, ORDER_FIELDS),
        actor=by,
    )
    _publish(order, moves)
    groups = {g for move in moves for g in (move.from_group, move.to_group) if g is not None}
    order_signed.send(
        sender=Order, order=order, groups=sorted(groups), effective_date=order.effective_date
    )
    return order


@dataclass(frozen=True)
class Move:
    student_id: int | None
    from_group: int | None
    to_group: int | None
    status: str


def _apply(order: Order, line: OrderLine, *, by: User | None) -> Move:
    if order.kind == OrderKind.NEXT_COURSE:
        return _next_course(order, line, by=by)
    rule = RULES[order.kind]
    state = open_state(line.student)
    if state is not None:
        state.valid_to = order.effective_date
        state.save(update_fields=["valid_to"])
    group_id = line.group_id or state.group_id
    funding = line.funding or (state.funding if state else Funding.CONTRACT)
    new = StudentState.objects.create(
        student=line.student,
        status=rule.after,
        group_id=group_id,
        funding=funding,
        valid_from=order.effective_date,
        order_line=line,
    )
    audit_record(
        action="student_state_open",
        obj=new,
        before=snapshot(state, ("status", "group", "funding")) if state else None,
        after=snapshot(new, ("status", "group", "funding", "valid_from")),
        actor=by,
    )
    return Move(line.student_id, state.group_id if state else None, group_id, rule.after)


def _next_course(order: Order, line: OrderLine, *, by: User | None) -> Move:
    group = line.group
    if not GroupCourse.objects.filter(group=group).exists():
        # The course the group had before any order: from its intake, at the latest the day before.
        started = date(group.intake_year + group.course - 1, 9, 1)
        GroupCourse.objects.create(
            group=group,
            course=group.course,
            valid_from=min(started, order.effective_date - timedelta(days=1)),
        )
    GroupCourse.objects.create(
        group=group, course=group.course + 1, valid_from=order.effective_date, order_line=line
    )
    before = {"course": group.course}
    group.course += 1
    group.save(update_fields=["course"])
    audit_record(
        action="group_next_course",
        obj=group,
        before=before,
        after={"course": group.course},
        actor=by,
    )
    return Move(None, group.pk, group.pk, Status.STUDYING)


def _publish(order: Order, moves: list[Move]) -> None:
    office = group_office(RECORDS_OFFICE)
    for move in moves:
        data = {
            "student": move.student_id,
            "order": order.pk,
            "kind": order.kind,
            "status": move.status,
            "from_group": move.from_group,
            "to_group": move.to_group,
            "effective_date": order.effective_date.isoformat(),
        }
        for group_id in {move.from_group, move.to_group} - {None}:
            send_event(group_academic(group_id), EventType.STUDENT_MOVED, data)
    send_event(
        office,
        EventType.ORDER_SIGNED,
        {"id": order.pk, "kind": order.kind, "number": order.number, "students": len(moves)},
    )


# --- Group heads -------------------------------------------------------------------------


@transaction.atomic
def group_assign_starosta(*, by: User | None, group: Group, student: Student, on: date) -> Group:
    """Make `student` the head (starosta) of `group` from `on`; the previous term ends then.

    The student must be studying in the group on that date. The history stays
    (StarostaTerm); Group.starosta names the current head. Audited.
    """
    state = state_on(student, on)
    if state is None or state.group_id != group.pk or state.status != Status.STUDYING:
        raise DomainError(
            _("%(name)s does not study in group %(group)s on %(date)s.")
            % {
                "name": student.user.get_full_name(),
                "group": group.name,
                "date": on.strftime("%d.%m.%Y"),
            }
        )
    current = StarostaTerm.objects.select_for_update().filter(group=group, valid_to__isnull=True)
    previous = current.first()
    if previous is not None:
        if previous.student_id == student.pk:
            raise DomainError(_("This student already heads the group."))
        if previous.valid_from >= on:
            raise DomainError(_("The new head must start after the current one started."))
        previous.valid_to = on
        previous.save(update_fields=["valid_to"])
    StarostaTerm.objects.create(group=group, student=student, valid_from=on)
    before = {"starosta": group.starosta_id}
    group.starosta_id = student.user_id
    group.save(update_fields=["starosta"])
    audit_record(
        action="group_assign_starosta",
        obj=group,
        before=before,
        after={"starosta": group.starosta_id, "from": on.isoformat()},
        actor=by,
    )
    return group
