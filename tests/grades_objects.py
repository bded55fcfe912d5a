"""Courses to grade, made straight with the models: for policies, fixtures and benches.

The grades tests of generation (tests/academic/grades/sheets) make courses
from approved plans through the actions; everything else only needs a course
of some discipline for a group in some term, which these helpers give
without a whole curriculum.
"""

from __future__ import annotations

from datetime import date

from academic.curricula.models import (
    ControlForm,
    Curriculum,
    Cycle,
    Discipline,
    StudySystem,
    WorkingPlan,
    WorkingPlanLine,
)
from academic.grades.models import Checkpoint, CheckpointKind, Course
from academic.structure.models import AcademicYear, Term

DEFAULT_CHECKPOINTS = (("Module 1", 30), ("Module 2", 30), ("Final exam", 40))


def autumn_term(year: int) -> Term:
    """Term 1 (September to January) of the academic year starting in `year`."""
    academic_year, _ = AcademicYear.objects.get_or_create(
        name=f"{year}–{year + 1}",
        defaults={"starts_on": date(year, 9, 1), "ends_on": date(year + 1, 6, 30)},
    )
    term, _ = Term.objects.get_or_create(
        academic_year=academic_year,
        number=1,
        defaults={"starts_on": date(year, 9, 1), "ends_on": date(year + 1, 1, 31)},
    )
    return term


def plan_line(
    group, term: Term, *, code: str, form: str = ControlForm.EXAM, credits: int = 4
) -> WorkingPlanLine:
    """A working-plan line of a new discipline `code` for `group`'s specialty in `term`."""
    department = group.specialty.department
    curriculum, _ = Curriculum.objects.get_or_create(
        specialty=group.specialty,
        intake_year=term.academic_year.starts_on.year,
        study_form=group.study_form,
        defaults={"system": StudySystem.CREDIT},
    )
    plan, _ = WorkingPlan.objects.get_or_create(
        curriculum=curriculum, academic_year=term.academic_year, semester=term.number
    )
    cycle, _ = Cycle.objects.get_or_create(
        code="GRD", defaults={"name_ky": "Цикл", "name_ru": "Цикл"}
    )
    discipline = Discipline.objects.create(
        code=code, name_ky=f"Сабак {code}", name_ru=f"Предмет {code}", name_en=f"Subject {code}",
        department=department,
    )  # fmt: skip
    return WorkingPlanLine.objects.create(
        working_plan=plan,
        discipline=discipline,
        cycle=cycle,
        department=department,
        credits=credits,
        control_form=form,
    )


def graded_course(
    group, term: Term, line: WorkingPlanLine, *, teacher=None, checkpoints=DEFAULT_CHECKPOINTS
) -> Course:
    """A course of `line` for `group` in `term` with `checkpoints` (name, max); the last is final."""
    course = Course.objects.create(
        term=term,
        group=group,
        line=line,
        discipline=line.discipline,
        teacher=teacher,
        credits=line.credits,
    )
    Checkpoint.objects.bulk_create(
        Checkpoint(
            course=course,
            order=order,
            name=name,
            max_score=maximum,
            kind=CheckpointKind.FINAL if order == len(checkpoints) else CheckpointKind.CURRENT,
        )
        for order, (name, maximum) in enumerate(checkpoints, start=1)
    )
    return course
