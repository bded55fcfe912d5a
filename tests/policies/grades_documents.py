"""Record book, transcript, issued documents and their public verification (GB-6, GB-12).

The record book and the transcript are read by whoever reads the student's
grades (the student, the parent, the curator, the faculty's deanery, offices);
a student's documents are issued by the offices over the student, and by the
student for their own certificate of study and transcript. The documents of a
sheet and of a group are for those who read the sheet or the group. Checking a
verification code is public.
"""

from __future__ import annotations

from academic.curricula.models import (
    ControlForm,
)
from academic.grades.actions.documents import document_issue
from academic.grades.models import DocumentKind, ExamSheet, SheetStatus
from tests.conftest import enrol_cast
from tests.grades_objects import autumn_term, graded_course, plan_line
from tests.policy import GROUP_A_READERS, PUBLIC, Policy

# Those reading cast.student's grades: themselves, the parent and the offices over group 1.
GRADE_READERS = frozenset(
    {
        "student",
        "parent",
        "curator",
        "deanery_a",
        "admin",
        "vice_rector",
        "records_office",
        "academic_affairs",
    }
)
# Issuers of cast.student's documents: offices over the student, and the student.
DOCUMENT_ISSUERS = frozenset(
    {
        "student",
        "curator",
        "deanery_a",
        "admin",
        "vice_rector",
        "records_office",
        "academic_affairs",
        "cashier",
    }
)
# Readers of a sheet of group 1 examined by cast.teacher.
SHEET_READERS = frozenset(
    {
        "teacher",
        "curator",
        "deanery_a",
        "admin",
        "vice_rector",
        "records_office",
        "academic_affairs",
    }
)

POLICY = {
    "grades:documents-record-book": Policy(GRADE_READERS, kwargs="documents_student"),
    "grades:documents-transcript": Policy(GRADE_READERS, kwargs="documents_student"),
    "grades:documents-student": Policy(DOCUMENT_ISSUERS, kwargs="documents_student"),
    "grades:documents-sheet": Policy(SHEET_READERS, kwargs="documents_sheet"),
    "grades:documents-group": Policy(GROUP_A_READERS, kwargs="documents_group"),
    "grades:documents-verify": Policy(PUBLIC.allowed, public=True, kwargs="documents_code"),
    "grades:documents-verify-lookup": PUBLIC,
}


def objects(cast, university) -> dict[str, dict]:
    student = enrol_cast(cast, university).student
    term = autumn_term(2031)
    line = plan_line(university.group_a, term, code="DOC-1")
    course = graded_course(university.group_a, term, line, checkpoints=(("Exam", 100),))
    sheet = ExamSheet.objects.create(
        course=course,
        control_form=ControlForm.EXAM,
        number="DOC-1",
        status=SheetStatus.CLOSED,
        teacher=cast.teacher,
    )
    issued = document_issue(
        by=None,
        kind=DocumentKind.STUDY_CERTIFICATE,
        language="ky",
        title="Окуу жөнүндө маалымкат",
        subject=cast.student.get_full_name(),
        facts={"student": student.pk},
        student=student,
    )
    return {
        "documents_student": {"student_id": student.pk},
        "documents_sheet": {"sheet_id": sheet.pk},
        "documents_group": {"group_id": university.group_a.pk},
        "documents_code": {"code": issued.code},
    }
