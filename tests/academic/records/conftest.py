"""Records fixtures: the cast's students with personal files, admitted by a signed order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from academic.records import actions
from academic.records.models import Funding, OrderKind, Sex, Student

ADMITTED_ON = date(2024, 9, 1)


def personal_file(user, record_number: str, *, sex: str = Sex.MALE) -> Student:
    """A personal file for an existing user (the cast already has accounts)."""
    student = Student(user=user, record_number=record_number, sex=sex, birth_date=date(2005, 3, 14))
    student.refresh_search_text()
    student.save()
    return student


def admit(students, group, *, on: date = ADMITTED_ON, number: str = "1-A") -> None:
    """Sign an admission order putting `students` into `group` from `on`."""
    order = actions.order_create(
        by=None, kind=OrderKind.ADMISSION, number=number, date=on, effective_date=on
    )
    for student in students:
        actions.order_line_add(
            by=None, order=order, student=student, group=group, funding=Funding.BUDGET
        )
    actions.order_sign(by=None, order=order, signer="Ректор А. Асанов")


@dataclass
class Enrolled:
    """cast.student and cast.other_student studying in group A from ADMITTED_ON."""

    student: Student
    other_student: Student


@pytest.fixture
def enrolled(cast, university) -> Enrolled:
    student = personal_file(cast.student, "24-0001")
    other = personal_file(cast.other_student, "24-0002", sex=Sex.FEMALE)
    admit([student, other], university.group_a)
    return Enrolled(student, other)
