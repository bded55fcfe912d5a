"""Sheets of the grades fixtures' courses, and points before the final for admission."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from academic.grades.actions import sheets as actions
from academic.grades.models import CheckpointKind, ExamSheet, Score, ScoreSource

ON = date(2026, 11, 2)


def give_points(course, student, points: int) -> None:
    """Put `points` (≤ 60) on the modules of `course` for `student`, as results of tests."""
    modules = list(course.checkpoints.filter(kind=CheckpointKind.CURRENT).order_by("order"))
    left = Decimal(points)
    for checkpoint in modules:
        value = min(left, Decimal(checkpoint.max_score))
        Score.objects.update_or_create(
            checkpoint=checkpoint,
            student=student,
            source=ScoreSource.TEST,
            ref="fixture",
            lesson=None,
            defaults={"value": value},
        )
        left -= value


def sheet_of(course, *, on: date = ON) -> ExamSheet:
    """The regular sheet of the course's final control, made (with its students) if missing."""
    actions.course_sheets_ensure(by=None, course=course, on=on)
    return ExamSheet.objects.get(
        course=course, kind="regular", control_form=course.line.control_form
    )


@pytest.fixture
def sheet(course, enrolled):
    give_points(course, enrolled.student, 40)
    give_points(course, enrolled.other_student, 50)
    return sheet_of(course)


@pytest.fixture
def credit_sheet(credit_course, enrolled):
    give_points(credit_course, enrolled.student, 40)
    give_points(credit_course, enrolled.other_student, 50)
    return sheet_of(credit_course)
