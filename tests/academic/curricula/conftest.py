"""Plans to test with: cycles, disciplines of faculty A's department, and plan builders."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from academic.curricula import actions
from academic.curricula.actions import SemesterPart
from academic.curricula.models import ControlForm, Curriculum, Cycle, Discipline, StudySystem
from academic.structure.models import AcademicYear, StudyForm, Term

SEMESTERS = 8  # the fixture specialties last four years


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in English, the source language, whatever the default.
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(db) -> Cycle:
    return actions.cycle_create(
        by=None,
        code="PRO",
        name_ky="Кесиптик цикл",
        name_ru="Профессиональный цикл",
        name_en="Professional cycle",
    )


@pytest.fixture
def disciplines(university) -> list[Discipline]:
    names = [
        ("Математикалык анализ", "Математический анализ", "Calculus"),
        ("Программалоо негиздери", "Основы программирования", "Programming Basics"),
        ("Маалымат базалары", "Базы данных", "Databases"),
        ("Физика", "Физика", "Physics"),
        ("Англис тили", "Английский язык", "English"),
        ("Кыргыз тили", "Кыргызский язык", "Kyrgyz"),
        ("Философия", "Философия", "Philosophy"),
        ("Кыргызстандын тарыхы", "История Кыргызстана", "History of Kyrgyzstan"),
        ("Өнүгүү экономикасы", "Экономика развития", "Development Economics"),
        ("Үлгүлөр", "Паттерны", "Patterns"),
    ]
    return [
        actions.discipline_create(
            by=None,
            code=f"D{i:02d}",
            name_ky=ky,
            name_ru=ru,
            name_en=en,
            department=university.department_a,
        )
        for i, (ky, ru, en) in enumerate(names, start=1)
    ]


def make_plan(university, *, intake_year: int = 2024, specialty=None, system=StudySystem.CREDIT):
    return actions.curriculum_create(
        by=None,
        specialty=specialty or university.specialty_a,
        intake_year=intake_year,
        study_form=StudyForm.FULL_TIME,
        system=system,
    )


def add_line(curriculum, discipline, cycle, *, semesters: dict[int, int], **extra):
    """A credit line with `semesters` {number: credits}, hours split 1:1:0:2 by type."""
    credits = sum(semesters.values())
    total = credits * 30
    values = {
        "lecture_hours": total // 4,
        "practice_hours": total // 4,
        "lab_hours": 0,
        "independent_hours": total - 2 * (total // 4),
    } | extra
    return actions.curriculum_line_create(
        by=None,
        curriculum=curriculum,
        discipline=discipline,
        cycle=cycle,
        credits=credits,
        total_hours=total,
        semesters=[SemesterPart(n, c, ControlForm.EXAM) for n, c in semesters.items()],
        **values,
    )


def fill_plan(curriculum, disciplines, cycle) -> None:
    """One 30-credit line per semester: a plan that passes every check."""
    for number in range(1, SEMESTERS + 1):
        add_line(curriculum, disciplines[number - 1], cycle, semesters={number: 30})


@pytest.fixture
def plan(university) -> Curriculum:
    return make_plan(university)


@pytest.fixture
def approved_plan(plan, disciplines, cycle) -> Curriculum:
    fill_plan(plan, disciplines, cycle)
    return actions.curriculum_approve(by=None, curriculum=plan)


@pytest.fixture
def year_2026(db) -> AcademicYear:
    year = AcademicYear.objects.create(
        name="2026–2027", starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30), is_current=True
    )
    Term.objects.create(
        academic_year=year, number=1, starts_on=date(2026, 9, 1), ends_on=date(2027, 1, 31)
    )
    Term.objects.create(
        academic_year=year, number=2, starts_on=date(2027, 2, 1), ends_on=date(2027, 6, 30)
    )
    return year
