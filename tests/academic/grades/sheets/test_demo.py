"""The demo seed gives every grades page content: courses, sheets open and closed, debts."""

from __future__ import annotations

import time

import pytest

from academic.grades.demo import seed_grades
from academic.grades.models import (
    AcademicDifference,
    Course,
    Debt,
    ExamSheet,
    SheetChangeRequest,
    SheetLine,
    SheetStatus,
)
from hub.demo.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_courses_sheets_results_and_debts():
    started = time.perf_counter()
    seed_demo(students=300, seed=2026)
    whole = time.perf_counter() - started
    assert Course.objects.exists()
    assert Course.objects.filter(teacher__isnull=True).count() == 0
    assert ExamSheet.objects.filter(status=SheetStatus.CLOSED).exists()
    assert ExamSheet.objects.filter(status=SheetStatus.OPEN).exists()
    assert SheetLine.objects.filter(final_score__isnull=False).exists()
    assert Debt.objects.exists()
    assert SheetChangeRequest.objects.count() == 1
    assert AcademicDifference.objects.count() == 1
    numbers = list(ExamSheet.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert all(n.count("-") == 2 for n in numbers)
    courses = Course.objects.count()
    started = time.perf_counter()
    assert seed_grades() == {"courses": 0, "sheets": 0, "closed": 0}  # idempotent
    again = time.perf_counter() - started
    assert Course.objects.count() == courses
    print(f"seed_demo(300) {whole:.1f}s; grades again {again:.2f}s; courses {courses}")
