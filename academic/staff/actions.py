"""Writes to staff records: every change of a card, a post or an order is one of these.

Each action is atomic, validated (DomainError with a translated message) and
audited in the same transaction. Posts change only in `staff_order_sign`: a
signed order opens and closes Position rows from its effective date and
never edits them otherwise, so history stays (HR-2). Nobody is notified live:
no page watches staff records change.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.staff.models import (
    DOCUMENT_EXTENSIONS,
    DOCUMENT_MAX_BYTES,
    RATES,
    Education,
    Employee,
    EmployeeDocument,
    Employment,
    Establishment,
    OrderKind,
    OrderStatus,
    Position,
    PositionTitle,
    StaffOrder,
    StaffOrderLine,
)
from academic.structure.models import Department, SoateUnit
from hub.accounts.models import Cabinet, User
from hub.audit.log import audit_record, batch, snapshot
from hub.errors import DomainError
from hub.writes import create_audited, update_audited, validated_save

EMPLOYEE_FIELDS = (
    "user",
    "personnel_number",
    "birth_date",
    "sex",
    "citizenship",
    "id_document",
    "phone",
    "email",
    "soate",
    "street",
    "degree",
    "title",
)
EDUCATION_FIELDS = ("employee", "institution", "specialty", "year", "diploma")
DOCUMENT_FIELDS = ("employee", "kind", "file", "original_name", "size")
POSITION_FIELDS = (
    "employee",
    "title",
    "department",
    "office",
    "rate",
    "employment",
    "valid_from",
    "valid_to",
)
ORDER_FIELDS = ("kind", "number", "date", "effective_date", "signer", "reason", "status")
LINE_FIELDS = (
    "order",
    "employee",
    "position",
    "title",
    "department",
    "office",
    "rate",
    "employment",
    "leave_kind",
    "leave_from",
    "leave_to",
    "award_kind",
    "text",
)
STAFF_CABINETS = (Cabinet.STAFF, Cabinet.TEACHER, Cabinet.CURATOR, Cabinet.ADMIN)
# The first bytes of each accepted file type: the extension alone proves nothing.
FILE_SIGNATURES = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


# --- Personnel cards -------------------------------------------------------------------


@transaction.atomic
def employee_create(
    *,
    by: User | None,
    user: User,
    personnel_number: str,
    birth_date: date,
    sex: str,
    citizenship: str = "",
    id_document: str = "",
    phone: str = "",
    email: str = "",
    soate: SoateUnit | None = None,
    street: str = "",
    degree: str = "none",
    title: str = "none",
) -> Employee:
    """Open the personnel card of `user` (HR-1); posts come with a hiring order.

    Raises DomainError for a user who is not staff, a teacher or a curator, a
    user who has a card already, a taken personnel number or invalid values.
    """
    if user.cabinet not in STAFF_CABINETS:
        raise DomainError(_("Only staff members, teachers and curators get a personnel card."))
    if Employee.objects.filter(user=user).exists():
        raise DomainError(_("This person already has a personnel card."))
    values = {
        "user": user,
        "personnel_number": personnel_number.strip(),
        "birth_date": birth_date,
        "sex": sex,
        "citizenship": citizenship.strip() or Employee._meta.get_field("citizenship").default,
        "id_document": id_document,
        "phone": phone,
        "email": email,
        "soate": soate,
        "street": street,
        "degree": degree,
        "title": title,
    }
    return create_audited(
        Employee, by=by, action="employee_create", fields=EMPLOYEE_FIELDS, values=values
    )


@transaction.atomic
def employee_update(*, by: User | None, employee: Employee, **changes) -> Employee:
    """Change the personal data, address, degree or title of a card.

    A field given as None is kept, except `soate`, which None clears. The
    person (user) of a card never changes. Raises DomainError.
    """
    unknown = set(changes) - set(EMPLOYEE_FIELDS[1:])
    if unknown:
        raise TypeError(f"employee_update does not change {sorted(unknown)}")
    before = snapshot(employee, EMPLOYEE_FIELDS)
    for name, value in changes.items():
        # None keeps a field, except the address unit, which is optional.
        if value is not None or name == "soate":
            setattr(employee, name, value)
    validated_save(employee)
    audit_record(
        action="employee_update",
        obj=employee,
        before=before,
        after=snapshot(employee, EMPLOYEE_FIELDS),
        actor=by,
    )
    return employee


@transaction.atomic
def education_add(
    *,
    by: User | None,
    employee: Employee,
    institution: str,
    specialty: str,
    year: int,
    diploma: str = "",
) -> Education:
    """Add a finished education to the card. Raises DomainError for a year outside 1940–2100
    or a year before the employee was born."""
    if employee.birth_date and year <= employee.birth_date.year:
        raise DomainError(_("The year of graduation must come after the year of birth."))
    values = {
        "employee": employee,
        "institution": institution,
        "specialty": specialty,
        "year": year,
        "diploma": diploma,
    }
    return create_audited(
        Education, by=by, action="education_add", fields=EDUCATION_FIELDS, values=values
    )


def _check_document(file: UploadedFile) -> None:
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if extension not in DOCUMENT_EXTENSIONS:
        raise DomainError(_("Upload a PDF, JPG or PNG file."))
    if file.size > DOCUMENT_MAX_BYTES:
        raise DomainError(_("The file is larger than 10 MB."))
    if file.size == 0:
        raise DomainError(_("The file is empty."))
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head.startswith(FILE_SIGNATURES[extension]):
        raise DomainError(_("The file's content is not what its name says."))


@transaction.atomic
def document_upload(
    *, by: User | None, employee: Employee, kind: str, file: UploadedFile
) -> EmployeeDocument:
    """Store a scanned document of the card under MEDIA_ROOT.

    Raises DomainError for a type other than PDF, JPG or PNG (by name and by
    content), a file over 10 MB or an empty one.
    """
    _check_document(file)
    values = {
        "employee": employee,
        "kind": kind,
        "file": file,
        "original_name": file.name[-255:],
        "size": file.size,
    }
    return create_audited(
        EmployeeDocument, by=by, action="document_upload", fields=DOCUMENT_FIELDS, values=values
    )


# --- The staff establishment -------------------------------------------------------------


@transaction.atomic
def establishment_set(
    *, by: User | None, department: Department, title: PositionTitle, rates: Decimal
) -> Establishment:
    """Budget `rates` of post `title` in `department` (zero keeps the row at no rates).

    Raises DomainError for negative rates.
    """
    if rates < 0:
        raise DomainError(_("Budgeted rates cannot be negative."))
    row = Establishment.objects.filter(department=department, title=title).first()
    if row is None:
        return create_audited(
            Establishment,
            by=by,
            action="establishment_set",
            fields=("department", "title", "rates"),
            values={"department": department, "title": title, "rates": rates},
        )
    return update_audited(
        row, by=by, action="establishment_set", fields=("rates",), changes={"rates": rates}
    )


# --- Orders ---------------------------------------------------------------------------------


def _check_draft(order: StaffOrder) -> None:
    if order.status != OrderStatus.DRAFT:
        raise DomainError(_("A signed order cannot be changed; issue a new order instead."))


def _check_signer(signer: User) -> None:
    if not signer.is_active or signer.cabinet not in STAFF_CABINETS:
        raise DomainError(_("The order is signed by an active member of staff."))


@transaction.atomic
def staff_order_create(
    *,
    by: User | None,
    kind: str,
    number: str,
    date: date,
    effective_date: date,
    signer: User,
    reason: str = "",
) -> StaffOrder:
    """Draft a staff order (HR-2); it changes nothing until signed.

    Raises DomainError for a taken number, an unknown kind, an effective date
    before the order's date, or a signer who is not an active member of staff.
    """
    _check_signer(signer)
    if effective_date < date and kind != OrderKind.AWARD:
        raise DomainError(_("An order takes effect on its date or later."))
    values = {
        "kind": kind,
        "number": number.strip(),
        "date": date,
        "effective_date": effective_date,
        "signer": signer,
        "reason": reason,
    }
    return create_audited(
        StaffOrder, by=by, action="staff_order_create", fields=ORDER_FIELDS, values=values
    )


@transaction.atomic
def staff_order_update(
    *,
    by: User | None,
    order: StaffOrder,
    number: str | None = None,
    date: date | None = None,
    effective_date: date | None = None,
    signer: User | None = None,
    reason: str | None = None,
) -> StaffOrder:
    """Change a draft order's header; fields left None are kept. The kind never changes.

    Raises DomainError for a signed order or the errors of staff_order_create.
    """
    _check_draft(order)
    if signer is not None:
        _check_signer(signer)
    new_date = date or order.date
    new_effective = effective_date or order.effective_date
    if new_effective < new_date and order.kind != OrderKind.AWARD:
        raise DomainError(_("An order takes effect on its date or later."))
    changes = {
        "number": number.strip() if number is not None else None,
        "date": date,
        "effective_date": effective_date,
        "signer": signer,
        "reason": reason,
    }
    return update_audited(
        order, by=by, action="staff_order_update", fields=ORDER_FIELDS, changes=changes
    )


def _check_post(title, department, office: str, rate, employment: str) -> None:
    if title is None:
        raise DomainError(_("Choose the position."))
    if (department is None) == (not office.strip()):
        raise DomainError(_("Give either the department or the office of the post."))
    if rate is None or Decimal(rate) not in RATES:
        raise DomainError(_("The staff rate is one of 0.25, 0.5, 0.75, 1 or 1.5."))
    if employment not in Employment.values:
        raise DomainError(_("Choose whether it is the main job or a part-time one."))


def _check_own_position(line: StaffOrderLine, *, required: bool) -> None:
    if line.position is None:
        if required:
            raise DomainError(_("Choose the post the employee leaves."))
        return
    if line.position.employee_id != line.employee_id:
        raise DomainError(_("The post chosen is not this employee's."))


def _check_line(line: StaffOrderLine) -> None:
    """The details each kind of order needs, before the line is saved."""
    kind = line.order.kind
    if kind == OrderKind.HIRING:
        _check_post(line.title, line.department, line.office, line.rate, line.employment)
    elif kind == OrderKind.TRANSFER:
        _check_own_position(line, required=True)
        _check_post(line.title, line.department, line.office, line.rate, line.employment)
    elif kind == OrderKind.LEAVE:
        if not line.leave_kind or line.leave_from is None or line.leave_to is None:
            raise DomainError(_("Give the kind of leave and its first and last days."))
        if line.leave_to < line.leave_from:
            raise DomainError(_("The leave must end on or after its first day."))
    elif kind == OrderKind.AWARD:
        if not line.award_kind or not line.text.strip():
            raise DomainError(_("Give the kind of award and its wording."))
    elif kind == OrderKind.DISMISSAL:
        _check_own_position(line, required=False)
        if not line.text.strip():
            raise DomainError(_("Give the reason for the dismissal."))


@transaction.atomic
def staff_order_line_add(
    *,
    by: User | None,
    order: StaffOrder,
    employee: Employee,
    position: Position | None = None,
    title: PositionTitle | None = None,
    department: Department | None = None,
    office: str = "",
    rate: Decimal | None = None,
    employment: str = "",
    leave_kind: str = "",
    leave_from: date | None = None,
    leave_to: date | None = None,
    award_kind: str = "",
    text: str = "",
) -> StaffOrderLine:
    """Add one employee's paragraph to a draft order; what it needs depends on the kind:

    hiring: the post (title, department or office, rate, employment); transfer:
    the post left and the new one; leave: kind, first and last day; award: kind
    and wording; dismissal: the reason, and the post left (none: every post).
    Raises DomainError for a signed order, an employee already in it, or missing details.
    """
    _check_draft(order)
    if order.lines.filter(employee=employee).exists():
        raise DomainError(_("This employee is already in the order."))
    line = StaffOrderLine(
        order=order,
        employee=employee,
        position=position,
        title=title,
        department=department,
        office=office.strip(),
        rate=None if rate is None else Decimal(rate),
        employment=employment or (Employment.MAIN if order.kind == OrderKind.HIRING else ""),
        leave_kind=leave_kind,
        leave_from=leave_from,
        leave_to=leave_to,
        award_kind=award_kind,
        text=text.strip(),
    )
    _check_line(line)
    validated_save(line)
    audit_record(
        action="staff_order_line_add", obj=line, after=snapshot(line, LINE_FIELDS), actor=by
    )
    return line


@transaction.atomic
def staff_order_line_remove(*, by: User | None, line: StaffOrderLine) -> None:
    """Take a paragraph out of a draft order. Raises DomainError for a signed order."""
    _check_draft(line.order)
    audit_record(
        action="staff_order_line_remove", obj=line, before=snapshot(line, LINE_FIELDS), actor=by
    )
    line.delete()


def _open_position(line: StaffOrderLine, *, on: date, by: User | None, **post) -> Position:
    position = validated_save(
        Position(employee=line.employee, valid_from=on, opened_by=line, **post)
    )
    audit_record(
        action="position_open", obj=position, after=snapshot(position, POSITION_FIELDS), actor=by
    )
    return position


def _close_position(position: Position, line: StaffOrderLine, *, on: date, by: User | None):
    """End `position` the day before `on`, the first day it is no longer held."""
    name = line.employee.user.get_full_name()
    if position.valid_to is not None:
        raise DomainError(_("%(name)s no longer holds that post.") % {"name": name})
    if position.valid_from >= on:
        raise DomainError(
            _("%(name)s's post begins on %(date)s, not before the order takes effect.")
            % {"name": name, "date": position.valid_from.isoformat()}
        )
    before = snapshot(position, POSITION_FIELDS)
    position.valid_to = on - timedelta(days=1)
    position.closed_by = line
    position.save(update_fields=["valid_to", "closed_by"])
    audit_record(
        action="position_close",
        obj=position,
        before=before,
        after=snapshot(position, POSITION_FIELDS),
        actor=by,
    )


def _held_main_job(employee: Employee, on: date) -> bool:
    return (
        Position.objects.filter(employee=employee, employment=Employment.MAIN, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .exists()
    )


def _new_post(line: StaffOrderLine) -> dict:
    return {
        "title": line.title,
        "department": line.department,
        "office": line.office,
        "rate": line.rate,
        "employment": line.employment,
    }


def _apply_line(line: StaffOrderLine, *, on: date, by: User | None) -> None:
    kind = line.order.kind
    name = line.employee.user.get_full_name()
    if kind == OrderKind.HIRING:
        if line.employment == Employment.MAIN and _held_main_job(line.employee, on):
            raise DomainError(
                _("%(name)s already has a main job on %(date)s.")
                % {"name": name, "date": on.isoformat()}
            )
        _open_position(line, on=on, by=by, **_new_post(line))
    elif kind == OrderKind.TRANSFER:
        position = Position.objects.select_for_update().get(pk=line.position_id)
        _close_position(position, line, on=on, by=by)
        _open_position(line, on=on, by=by, **_new_post(line))
    elif kind == OrderKind.DISMISSAL:
        held = Position.objects.select_for_update().filter(
            employee=line.employee, valid_to__isnull=True
        )
        if line.position_id is not None:
            held = held.filter(pk=line.position_id)
        positions = list(held)
        if not positions:
            raise DomainError(_("%(name)s holds no post to leave.") % {"name": name})
        for position in positions:
            _close_position(position, line, on=on, by=by)
    # Leave and awards change no post: the signed line is the record.


@transaction.atomic
def staff_order_sign(*, by: User | None, order: StaffOrder) -> StaffOrder:
    """Record that the order is signed and carry it out from its effective date.

    Hiring opens a post, transfer closes the old post the day before and opens
    the new one, dismissal closes the posts (the effective date is the first
    day without them); leave and awards are kept as the signed lines. One
    audit batch holds the signature and every post opened or closed. Raises
    DomainError for a signed or empty order, or a line that no longer fits the
    employee's posts (then nothing is changed).
    """
    order = StaffOrder.objects.select_for_update().get(pk=order.pk)
    _check_draft(order)
    lines = list(order.lines.select_related("employee__user", "title", "department", "position"))
    if not lines:
        raise DomainError(_("Add at least one employee to the order before signing it."))
    with batch():
        for line in lines:
            _apply_line(line, on=order.effective_date, by=by)
        before = snapshot(order, ORDER_FIELDS)
        order.status = OrderStatus.SIGNED
        order.signed_at = timezone.now()
        order.save(update_fields=["status", "signed_at"])
        audit_record(
            action="staff_order_sign",
            obj=order,
            before=before,
            after=snapshot(order, ORDER_FIELDS),
            actor=by,
        )
    return order
