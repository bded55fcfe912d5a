"""Closed sheets made directly with the models, as the sheets' actions would leave them.

`add_result(...)` puts one result of a student on a closed sheet of a course
of a given semester: the discipline, the working plan of that semester, its
line, the course and the sheet are made as needed, and the line's grade
(total, letter, GPA, mark, passed) is computed with the institution's scale.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from academic.curricula.models import ControlForm, Cycle, Discipline, WorkingPlan, WorkingPlanLine
from academic.grades.models import Course, ExamSheet, SheetKind, SheetLine, SheetStatus
from academic.grades.scoring import scale_for

_numbers = itertools.count(1)


@dataclass
class Results:
    """What add_result needs from the fixtures: the plan, the term, the group, the examiner."""

    curriculum: object
    year: object
    term: object
    group: object
    department: object
    teacher: object

    def course(self, semester: int, code: str, credits: int, form: str) -> Course:
        plan, _made = WorkingPlan.objects.get_or_create(
            curriculum=self.curriculum, academic_year=self.year, semester=semester
        )
        discipline, _made = Discipline.objects.get_or_create(
            code=code,
            defaults={
                "name_ky": f"Сабак {code} ңөү",
                "name_ru": f"Предмет {code}",
                "name_en": f"Subject {code}",
                "department": self.department,
            },
        )
        line, _made = WorkingPlanLine.objects.get_or_create(
            working_plan=plan,
            discipline=discipline,
            defaults={
                "cycle": Cycle.objects.order_by("pk").first(),
                "department": self.department,
                "credits": credits,
                "control_form": form,
                "lecture_hours": credits * 10,
                "practice_hours": credits * 10,
                "independent_hours": credits * 10,
            },
        )
        course, _made = Course.objects.get_or_create(
            term=self.term,
            group=self.group,
            line=line,
            defaults={"discipline": discipline, "teacher": self.teacher, "credits": credits},
        )
        return course

    def add(
        self,
        student,
        *,
        semester: int,
        code: str,
        total: int | str | None,
        credits: int = 5,
        form: str = ControlForm.EXAM,
        attempt: int = 1,
        absent: bool = False,
        on: date | None = None,
    ) -> SheetLine:
        course = self.course(semester, code, credits, form)
        sheet, _made = ExamSheet.objects.get_or_create(
            course=course,
            control_form=form,
            attempt=attempt,
            defaults={
                "kind": SheetKind.REGULAR if attempt == 1 else SheetKind.RETAKE,
                "number": f"T-{next(_numbers)}",
                "status": SheetStatus.CLOSED,
                "teacher": self.teacher,
                "exam_date": on or date(2026, 1, 10 + attempt),
                "closed_at": timezone.now(),
            },
        )
        return make_line(sheet, student, total, absent=absent)


def make_line(sheet, student, total, *, absent: bool = False) -> SheetLine:
    """A line of `sheet` for `student` with `total` graded by the scale (None: no result)."""
    fields = {"absent": absent, "joined_on": date(2026, 9, 1)}
    if total is not None and not absent:
        grade = scale_for().grade(total)
        fields |= {
            "current_score": Decimal(total) * Decimal("0.6"),
            "final_score": Decimal(total) * Decimal("0.4"),
            "total": Decimal(total),
            "letter": grade.letter,
            "gpa": grade.gpa,
            "mark": grade.mark,
            "passed": grade.passed,
        }
    else:
        fields |= {"passed": False}
    return SheetLine.objects.create(sheet=sheet, student=student, **fields)


@pytest.fixture
def results(cast, university, term, grades_plan) -> Results:
    return Results(
        curriculum=grades_plan.curriculum,
        year=term.academic_year,
        term=term,
        group=university.group_a,
        department=university.department_a,
        teacher=cast.teacher,
    )
