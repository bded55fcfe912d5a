"""Student records: personal files, group rosters and orders."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile

from academic.records import actions
from academic.records.models import GuardianRelation, OrderKind, StudentDocument
from tests.conftest import enrol_cast
from tests.policy import GROUP_A_READERS, Policy

# Those who read records as an office, each within their scope.
RECORDS_READERS = frozenset(
    {
        "admin",
        "vice_rector",
        "records_office",
        "cashier",
        "academic_affairs",
        "deanery_a",
        "deanery_b",
        "curator",
    }
)
# Institution-wide readers of records: they read orders and every file.
ORDER_READERS = frozenset({"admin", "vice_rector", "records_office", "cashier", "academic_affairs"})
# The file of cast.student (group 1, faculty A): its office readers and the student.
FILE_READERS = ORDER_READERS | {"deanery_a", "curator", "student"}
# The owner of students' legal movements (AC-2) and the administrator.
RECORDS_WRITERS = frozenset({"admin", "records_office"})

POLICY = {
    "records:students": Policy(RECORDS_READERS),
    "records:student-create": Policy(RECORDS_WRITERS),
    "records:student": Policy(FILE_READERS, kwargs="records_student"),
    "records:student-edit": Policy(RECORDS_WRITERS, kwargs="records_student"),
    "records:student-document-add": Policy(RECORDS_WRITERS, kwargs="records_student"),
    "records:student-document": Policy(FILE_READERS, kwargs="records_document"),
    "records:student-contact-add": Policy(RECORDS_WRITERS, kwargs="records_student"),
    "records:student-contact-remove": Policy(RECORDS_WRITERS, kwargs="records_contact"),
    "records:group-roster": Policy(GROUP_A_READERS, kwargs="group_a"),
    "records:group-starosta": Policy(RECORDS_WRITERS, kwargs="group_a"),
    "v1:records-students": Policy(RECORDS_READERS),
    "v1:records-student": Policy(FILE_READERS, kwargs="records_student"),
    "records:orders": Policy(ORDER_READERS),
    "records:order-create": Policy(RECORDS_WRITERS),
    "records:order": Policy(ORDER_READERS, kwargs="records_order"),
    "records:order-edit": Policy(RECORDS_WRITERS, kwargs="records_order"),
    "records:order-sign": Policy(RECORDS_WRITERS, kwargs="records_order"),
    "records:order-delete": Policy(RECORDS_WRITERS, kwargs="records_order"),
    "records:order-line-remove": Policy(
        RECORDS_WRITERS, method="post", ok=(302,), kwargs="records_line"
    ),
}


def objects(cast, university) -> dict[str, dict]:
    student = enrol_cast(cast, university).student
    document = StudentDocument.objects.create(
        student=student, title="Аттестат", file=ContentFile(b"%PDF-1.4", name="attestat.pdf")
    )
    contact = actions.student_contact_add(
        by=None, student=student, relation=GuardianRelation.MOTHER, full_name="Асанова Жылдыз"
    )
    order = actions.order_create(
        by=None,
        kind=OrderKind.TRANSFER,
        number="T-1",
        date=date(2025, 2, 1),
        effective_date=date(2025, 2, 1),
    )
    line = actions.order_line_add(by=None, order=order, student=student, group=university.group_b)
    return {
        "records_student": {"student_id": student.pk},
        "records_document": {"student_id": student.pk, "document_id": document.pk},
        "records_contact": {"student_id": student.pk, "contact_id": contact.pk},
        "records_order": {"order_id": order.pk},
        "records_line": {"order_id": order.pk, "line_id": line.pk},
    }
