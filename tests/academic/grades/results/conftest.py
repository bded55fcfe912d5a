"""A small closed session to count results on by hand.

Group A (faculty A) has Databases (an exam) and Physics (a credit), both
sheets closed; group B (faculty B) has Databases with its sheet still open.
Sheets and lines are made directly with the models: closing sheets is the
sheets helper's actions, tested there.

    Databases A  (closed)  student 90 A- 3.67 «5» passed; other 55 F 0.00 «2» failed
    Physics A    (closed)  student 80 B  3.00 «4» passed; other did not appear
    Databases B  (open)    third 70 C+ 2.33 «3» passed
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import count

import pytest

from academic.grades.models import (
    Course,
    ExamSheet,
    Score,
    SheetLine,
    SheetStatus,
)
from academic.records.models import Student
from tests.academic.grades.conftest import make_course
from tests.conftest import admit, make_user, personal_file

_numbers = count(1)


def make_sheet(course: Course, *, status: str = SheetStatus.CLOSED, attempt: int = 1) -> ExamSheet:
    return ExamSheet.objects.create(
        course=course,
        control_form=course.line.control_form,
        attempt=attempt,
        number=f"R-{next(_numbers)}",
        status=status,
        exam_date=date(2027, 1, 15),
    )


def make_line(
    sheet: ExamSheet,
    student: Student,
    total: str | None,
    letter: str = "",
    gpa: str | None = None,
    mark: int | None = None,
    *,
    passed: bool | None = None,
    absent: bool = False,
) -> SheetLine:
    return SheetLine.objects.create(
        sheet=sheet,
        student=student,
        joined_on=date(2026, 9, 1),
        total=Decimal(total) if total is not None else None,
        final_score=Decimal(total) - 50 if total is not None else None,
        letter=letter,
        gpa=Decimal(gpa) if gpa is not None else None,
        mark=mark,
        passed=passed,
        absent=absent,
    )


def new_student(username: str, record: str, group, number: str) -> Student:
    user = make_user(username, last_name=username.capitalize(), first_name="Test")
    student = personal_file(user, record)
    admit([student], group, number=number)
    return student


@dataclass
class Session:
    course_a: Course
    credit_a: Course
    course_b: Course
    third: Student
    sheets: list[ExamSheet]


@pytest.fixture
def session(cast, university, enrolled, course, credit_course) -> Session:
    third = new_student("third", "24-0003", university.group_b, "1-B")
    course_b = make_course(university.group_b, course.term, course.line, teacher=cast.other_teacher)
    db_a = make_sheet(course)
    make_line(db_a, enrolled.student, "90", "A-", "3.67", 5, passed=True)
    make_line(db_a, enrolled.other_student, "55", "F", "0.00", 2, passed=False)
    ph_a = make_sheet(credit_course)
    make_line(ph_a, enrolled.student, "80", "B", "3.00", 4, passed=True)
    make_line(ph_a, enrolled.other_student, None, passed=False, absent=True)
    db_b = make_sheet(course_b, status=SheetStatus.OPEN)
    make_line(db_b, third, "70", "C+", "2.33", 3, passed=True)
    return Session(course, credit_course, course_b, third, [db_a, ph_a, db_b])


def add_score(course: Course, order: int, student: Student, value: str, ref: str = "") -> Score:
    checkpoint = course.checkpoints.get(order=order)
    return Score.objects.create(
        checkpoint=checkpoint,
        student=student,
        source="test",
        ref=ref or f"t{next(_numbers)}",
        value=Decimal(value),
    )


def extra_group_with_sheet(university, session: Session, n: int) -> ExamSheet:
    """Another group of faculty A with one student and a closed Databases sheet."""
    from academic.structure import actions as structure_actions
    from academic.structure.models import StudyForm

    group = structure_actions.group_create(
        by=None,
        name=f"ГР-X{n}",
        specialty=university.specialty_a,
        intake_year=2024,
        course=3,
        study_form=StudyForm.FULL_TIME,
        language="ky",
    )
    student = new_student(f"extra{n}", f"24-10{n}", group, f"X-{n}")
    sheet = make_sheet(make_course(group, session.course_a.term, session.course_a.line))
    make_line(sheet, student, "88", "A-", "3.67", 5, passed=True)
    return sheet
