"""Courses to grade: group A's fifth semester (term 1 of 2026–2027) with two disciplines.

`grades_year` makes the academic year and its terms; `grades_plan` an approved
plan of specialty A (intake 2024) whose fifth semester has an exam (Databases,
15 credits) and a pass/fail credit (Physics, 15 credits), and the working plan
of that term; `course` is the Databases course of group A taught by
cast.teacher, with the default checkpoints (Module 1 of 30, Module 2 of 30,
final exam of 40); `credit_course` the Physics one. Lines are made directly
here: generating courses from working plans is what the sheets tests test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.utils import translation

from academic.curricula import actions as curricula_actions
from academic.curricula.actions import SemesterPart
from academic.curricula.models import ControlForm, StudySystem, WorkingPlan
from academic.grades.models import Course
from academic.structure.models import AcademicYear, StudyForm, Term
from tests.conftest import shared, shared_layer
from tests.grades_objects import graded_course as make_course

TERM_STARTS = date(2026, 9, 1)
TERM_ENDS = date(2027, 1, 31)
FIFTH_SEMESTER = 5
GRADES_TESTS = Path(__file__).parent


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def grades_year_build() -> AcademicYear:
    """The academic year 2026–2027 (the current one) with its two terms."""
    year = AcademicYear.objects.create(
        name="2026–2027", starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30), is_current=True
    )
    Term.objects.create(academic_year=year, number=1, starts_on=TERM_STARTS, ends_on=TERM_ENDS)
    Term.objects.create(
        academic_year=year, number=2, starts_on=date(2027, 2, 1), ends_on=date(2027, 6, 30)
    )
    return year


# Shared by the grades tests only: others (tests/realtime) bring their own year.
shared_layer("grades_year", lambda _: grades_year_build(), order=30, under=GRADES_TESTS)


@pytest.fixture
def grades_year(db) -> AcademicYear:
    made = shared("grades_year")
    return grades_year_build() if made is None else AcademicYear.objects.get(pk=made.pk)


@pytest.fixture
def term(grades_year) -> Term:
    return grades_year.terms.get(number=1)


def _discipline(university, code: str, ky: str, ru: str, en: str):
    return curricula_actions.discipline_create(
        by=None, code=code, name_ky=ky, name_ru=ru, name_en=en, department=university.department_a
    )


def _line(curriculum, discipline, cycle, semester: int, credits: int, form: str):
    total = credits * 30
    return curricula_actions.curriculum_line_create(
        by=None,
        curriculum=curriculum,
        discipline=discipline,
        cycle=cycle,
        credits=credits,
        total_hours=total,
        lecture_hours=total // 4,
        practice_hours=total // 4,
        lab_hours=0,
        independent_hours=total - 2 * (total // 4),
        semesters=[SemesterPart(semester, credits, form)],
    )


def grades_plan_build(university, grades_year) -> WorkingPlan:
    """Approved plan of specialty A, intake 2024, and its working plan of term 1 of `grades_year`."""
    cycle = curricula_actions.cycle_create(
        by=None, code="PRO", name_ky="Кесиптик цикл", name_ru="Профессиональный цикл"
    )
    plan = curricula_actions.curriculum_create(
        by=None,
        specialty=university.specialty_a,
        intake_year=2024,
        study_form=StudyForm.FULL_TIME,
        system=StudySystem.CREDIT,
    )
    databases = _discipline(university, "DB", "Маалымат базалары", "Базы данных", "Databases")
    physics = _discipline(university, "PH", "Физика", "Физика", "Physics")
    for semester in range(1, 9):
        if semester == FIFTH_SEMESTER:
            _line(plan, databases, cycle, semester, 15, ControlForm.EXAM)
            _line(plan, physics, cycle, semester, 15, ControlForm.CREDIT)
        else:
            other = _discipline(
                university,
                f"S{semester}",
                f"Сабак {semester}",
                f"Предмет {semester}",
                f"Subject {semester}",
            )
            _line(plan, other, cycle, semester, 30, ControlForm.EXAM)
    curricula_actions.curriculum_approve(by=None, curriculum=plan)
    return curricula_actions.working_plan_derive(
        by=None, curriculum=plan, academic_year=grades_year, term_number=1
    )


shared_layer(
    "grades_plan",
    lambda made: grades_plan_build(made["university"], made["grades_year"]),
    order=40,
    under=GRADES_TESTS,
)


@pytest.fixture
def grades_plan(university, grades_year) -> WorkingPlan:
    """Approved plan of specialty A, intake 2024, and its working plan of term 1 of 2026–2027.

    Shared by consecutive grades tests (see shared_layer in tests/conftest.py)
    when the test's year is the shared one; otherwise made for the test.
    """
    made = shared("grades_plan")
    if made is None or made.academic_year_id != grades_year.pk:
        return grades_plan_build(university, grades_year)
    return WorkingPlan.objects.select_related("curriculum").get(pk=made.pk)


@pytest.fixture
def course(cast, university, term, grades_plan) -> Course:
    line = grades_plan.lines.get(discipline__code="DB")
    return make_course(university.group_a, term, line, teacher=cast.teacher)


@pytest.fixture
def credit_course(cast, university, term, grades_plan) -> Course:
    line = grades_plan.lines.get(discipline__code="PH")
    return make_course(university.group_a, term, line, teacher=cast.teacher)
