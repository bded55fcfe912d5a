"""Who may use the staff records pages (academic.staff)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.policy import Policy

# Institution-wide VIEW on the staff module.
STAFF_READERS = frozenset({"admin", "vice_rector", "hr", "academic_affairs"})
# The HR office, owner of staff movements, and the administrator.
STAFF_WRITERS = frozenset({"admin", "hr"})
# The teacher's own card: staff readers and the teacher.
CARD_READERS = STAFF_READERS | {"teacher"}
POLICY_DOCUMENT = "staff/documents/policy-matrix.pdf"

POLICY: dict[str, Policy] = {
    "staff:employees": Policy(STAFF_READERS),
    "staff:employee-create": Policy(STAFF_WRITERS),
    "staff:employee": Policy(CARD_READERS, kwargs="staff_employee"),
    "staff:employee-edit": Policy(STAFF_WRITERS, kwargs="staff_employee"),
    "staff:education-add": Policy(STAFF_WRITERS, kwargs="staff_employee"),
    "staff:document-upload": Policy(STAFF_WRITERS, kwargs="staff_employee"),
    "staff:document": Policy(CARD_READERS, kwargs="staff_document"),
    "staff:establishment": Policy(STAFF_READERS),
    "staff:reports": Policy(STAFF_READERS),
    "staff:orders": Policy(STAFF_READERS),
    "staff:order-create": Policy(STAFF_WRITERS),
    "staff:order": Policy(STAFF_READERS, kwargs="staff_order"),
    "staff:order-edit": Policy(STAFF_WRITERS, kwargs="staff_order"),
    "staff:order-line-add": Policy(STAFF_WRITERS, kwargs="staff_order"),
    "staff:order-line-remove": Policy(
        STAFF_WRITERS, ok=(302,), method="post", kwargs="staff_order_line"
    ),
    "staff:order-sign": Policy(STAFF_WRITERS, ok=(302,), method="post", kwargs="staff_order"),
}


def objects(cast, university) -> dict[str, dict]:
    """The teacher's card with a post in department A and a document; a draft award order."""
    from academic.staff import actions
    from academic.staff.models import (
        AwardKind,
        DocumentKind,
        EmployeeDocument,
        OrderKind,
        PositionTitle,
    )
    from academic.staff.titles import position_titles_install

    position_titles_install(PositionTitle)
    employee = actions.employee_create(
        by=None, user=cast.teacher, personnel_number="P-1", birth_date=date(1980, 1, 1), sex="f"
    )
    hiring = actions.staff_order_create(
        by=None,
        kind=OrderKind.HIRING,
        number="P-1-к",
        date=date(2026, 9, 1),
        effective_date=date(2026, 9, 1),
        signer=cast.vice_rector,
    )
    actions.staff_order_line_add(
        by=None,
        order=hiring,
        employee=employee,
        title=PositionTitle.objects.get(code="docent"),
        department=university.department_a,
        rate=Decimal("1.0"),
    )
    actions.staff_order_sign(by=None, order=hiring)
    # One file on disk for every run of the matrix, not one per test.
    if not default_storage.exists(POLICY_DOCUMENT):
        default_storage.save(POLICY_DOCUMENT, ContentFile(b"%PDF-1.4 matrix"))
    document = EmployeeDocument.objects.create(
        employee=employee,
        kind=DocumentKind.CV,
        file=POLICY_DOCUMENT,
        original_name="cv.pdf",
        size=15,
    )
    award = actions.staff_order_create(
        by=None,
        kind=OrderKind.AWARD,
        number="P-2-н",
        date=date(2026, 9, 1),
        effective_date=date(2026, 9, 1),
        signer=cast.vice_rector,
    )
    line = actions.staff_order_line_add(
        by=None, order=award, employee=employee, award_kind=AwardKind.BONUS, text="Сыйлык"
    )
    return {
        "staff_employee": {"employee_id": employee.pk},
        "staff_document": {"document_id": document.pk},
        "staff_order": {"order_id": award.pk},
        "staff_order_line": {"order_id": award.pk, "line_id": line.pk},
    }
