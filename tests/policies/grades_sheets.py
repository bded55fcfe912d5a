"""Courses, exam sheets, change requests of closed sheets, debts and differences (GB-3/4/8/9, AC-3).

A course and its sheets are read by the course's teacher and the offices over
its group; a sheet is filled and closed by its examiner (the course's teacher)
and the faculty's deanery; a closed sheet changes through a request the
vice-rector decides. Debts, retakes and differences are the deanery's.
"""

from __future__ import annotations

from decimal import Decimal

from academic.curricula.models import (
    ControlForm,
)
from academic.grades.models import (
    AcademicDifference,
    ExamSheet,
    SheetChangeRequest,
    SheetLine,
    SheetStatus,
)
from tests.conftest import enrol_cast
from tests.grades_objects import autumn_term, graded_course, plan_line
from tests.policy import Policy

# Offices reading grades over group 1 (no cashier: the cashier has no grades right).
GROUP_A_GRADE_READERS = frozenset(
    {"curator", "deanery_a", "admin", "vice_rector", "records_office", "academic_affairs"}
)
# A course of group 1 taught by cast.teacher, and its sheets: readers and writers.
COURSE_READERS = GROUP_A_GRADE_READERS | {"teacher"}
SHEET_WRITERS = frozenset({"teacher", "deanery_a", "admin", "vice_rector"})
# EDIT on grades over group 1 as an office: teacher assignment, retakes, differences.
GROUP_A_KEEPERS = frozenset({"deanery_a", "admin", "vice_rector"})
# Offices reading grades anywhere: lists of sheets, debts, differences.
GRADES_OFFICES = GROUP_A_GRADE_READERS | {"deanery_b"}
# Offices keeping grades somewhere: they record differences (of their own students).
GRADES_KEEPERS = frozenset({"deanery_a", "deanery_b", "admin", "vice_rector"})
DECIDERS = frozenset({"admin", "vice_rector"})
CALENDAR_KEEPERS = frozenset({"admin", "academic_affairs"})

POLICY = {
    "grades:courses-generate": Policy(CALENDAR_KEEPERS),
    "grades:course-sheets": Policy(COURSE_READERS, kwargs="sheets_course"),
    "grades:course-teacher": Policy(GROUP_A_KEEPERS, kwargs="sheets_course"),
    "grades:course-retake": Policy(GROUP_A_KEEPERS, kwargs="sheets_course"),
    "grades:sheets": Policy(GRADES_OFFICES | {"teacher", "other_teacher"}),
    "grades:sheet": Policy(COURSE_READERS, kwargs="sheets_sheet"),
    "grades:sheet-close": Policy(SHEET_WRITERS, kwargs="sheets_sheet"),
    "grades:sheet-line": Policy(
        SHEET_WRITERS,
        method="post",
        ok=(200, 400, 409),
        kwargs="sheets_line",
        data={"final_score": "30", "version": 1},
    ),
    "grades:sheet-change": Policy(SHEET_WRITERS, kwargs="sheets_closed_line"),
    "grades:change-requests": Policy(GRADES_OFFICES | DECIDERS | {"teacher", "other_teacher"}),
    "grades:change-request": Policy(COURSE_READERS, kwargs="sheets_request"),
    "grades:change-request-decide": Policy(DECIDERS, kwargs="sheets_request"),
    "grades:debts": Policy(GRADES_OFFICES),
    "grades:differences": Policy(GRADES_OFFICES),
    "grades:difference-create": Policy(GRADES_KEEPERS),
    "grades:difference-result": Policy(GROUP_A_KEEPERS, kwargs="sheets_difference"),
}


def objects(cast, university) -> dict[str, dict]:
    enrolled = enrol_cast(cast, university)
    term = autumn_term(2033)
    courses = [
        graded_course(
            university.group_a,
            term,
            plan_line(university.group_a, term, code=code, form=form),
            teacher=cast.teacher,
        )
        for code, form in (("SHT-1", ControlForm.EXAM), ("SHT-2", ControlForm.CREDIT))
    ]
    sheet = ExamSheet.objects.create(
        course=courses[0], control_form=ControlForm.EXAM, number="SHT-1", teacher=cast.teacher
    )
    line = SheetLine.objects.create(sheet=sheet, student=enrolled.student, joined_on=term.starts_on)
    closed = ExamSheet.objects.create(
        course=courses[1],
        control_form=ControlForm.CREDIT,
        number="SHT-2",
        teacher=cast.teacher,
        status=SheetStatus.CLOSED,
    )
    closed_line = SheetLine.objects.create(
        sheet=closed,
        student=enrolled.student,
        joined_on=term.starts_on,
        final_score=Decimal(10),
        total=Decimal(50),
        passed=False,
    )
    request = SheetChangeRequest.objects.create(
        line=closed_line,
        old_final_score=Decimal(10),
        new_final_score=Decimal(20),
        reason="Arithmetic error",
        requested_by=cast.teacher,
    )
    difference = AcademicDifference.objects.create(
        student=enrolled.student,
        discipline=courses[0].discipline,
        semester=2,
        credits=3,
        control_form=ControlForm.EXAM,
    )
    return {
        "sheets_course": {"course_id": courses[0].pk},
        "sheets_sheet": {"sheet_id": sheet.pk},
        "sheets_line": {"sheet_id": sheet.pk, "line_id": line.pk},
        "sheets_closed_line": {"sheet_id": closed.pk, "line_id": closed_line.pk},
        "sheets_request": {"request_id": request.pk},
        "sheets_difference": {"difference_id": difference.pk},
    }
