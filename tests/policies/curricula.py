"""Who may use the curricula pages (academic/curricula/urls.py)."""

from __future__ import annotations

from academic.curricula.models import (
    Component,
    ControlForm,
    Curriculum,
    CurriculumLine,
    Cycle,
    Discipline,
    ElectiveBlock,
    IndividualPlan,
    LineSemester,
    PlanStatus,
    WorkingPlan,
    WorkingPlanLine,
)
from academic.structure.models import AcademicYear
from tests.policy import SIGNED_IN, Policy

# VIEW on curricula in a unit scope: the offices institution-wide and both deaneries.
CURRICULA_READERS = frozenset(
    {"admin", "vice_rector", "records_office", "academic_affairs", "deanery_a", "deanery_b"}
)
# Those reading faculty A's plans: deanery B is refused.
PLAN_A_READERS = CURRICULA_READERS - {"deanery_b"}
# The academic affairs office owns curricula (AC-2); the administrator holds every right.
CURRICULA_WRITERS = frozenset({"admin", "academic_affairs"})
# The student's own individual plan: the student and the readers of its base plan.
OWN_PLAN_READERS = PLAN_A_READERS | {"student"}

POLICY: dict[str, Policy] = {
    "curricula:list": Policy(CURRICULA_READERS),
    "curricula:create": Policy(CURRICULA_WRITERS),
    "curricula:detail": Policy(PLAN_A_READERS, kwargs="draft_plan"),
    "curricula:edit": Policy(CURRICULA_WRITERS, kwargs="draft_plan"),
    "curricula:approve": Policy(CURRICULA_WRITERS, kwargs="draft_plan"),
    "curricula:copy": Policy(CURRICULA_WRITERS, kwargs="draft_plan"),
    "curricula:report": Policy(PLAN_A_READERS, kwargs="draft_plan"),
    "curricula:line-create": Policy(CURRICULA_WRITERS, kwargs="draft_plan"),
    "curricula:block-create": Policy(CURRICULA_WRITERS, kwargs="draft_plan"),
    "curricula:working-plan-derive": Policy(CURRICULA_WRITERS, kwargs="approved_plan"),
    "curricula:line-edit": Policy(CURRICULA_WRITERS, kwargs="plan_line"),
    "curricula:line-delete": Policy(CURRICULA_WRITERS, kwargs="plan_line"),
    "curricula:block-edit": Policy(CURRICULA_WRITERS, kwargs="plan_block"),
    "curricula:disciplines": Policy(CURRICULA_READERS),
    "curricula:discipline-create": Policy(CURRICULA_WRITERS),
    "curricula:discipline-edit": Policy(CURRICULA_WRITERS, kwargs="discipline"),
    "curricula:cycles": Policy(CURRICULA_READERS),
    "curricula:cycle-create": Policy(CURRICULA_WRITERS),
    "curricula:cycle-edit": Policy(CURRICULA_WRITERS, kwargs="cycle"),
    "curricula:norms": Policy(CURRICULA_WRITERS),
    "curricula:working-plans": Policy(CURRICULA_READERS),
    "curricula:working-plan": Policy(PLAN_A_READERS, kwargs="working_plan"),
    "curricula:working-plan-approve": Policy(CURRICULA_WRITERS, kwargs="working_plan"),
    "curricula:working-line-edit": Policy(CURRICULA_WRITERS, kwargs="working_line"),
    "curricula:individual-plans": Policy(CURRICULA_READERS),
    "curricula:individual-plan-create": Policy(CURRICULA_WRITERS),
    "curricula:individual-plan": Policy(OWN_PLAN_READERS, kwargs="individual_plan"),
    # Everyone has a page of their own plans; most find it empty.
    "curricula:my-plans": SIGNED_IN,
}


def objects(cast, university) -> dict[str, dict]:
    """A draft and an approved plan of faculty A's specialty, with a line, a block, a
    working plan and the student's individual plan (plain rows: no checks needed here)."""
    cycle = Cycle.objects.create(code="PRO", name_ky="Кесиптик", name_ru="Профессиональный")
    discipline = Discipline.objects.create(
        code="D1", name_ky="Физика", name_ru="Физика", department=university.department_a
    )
    draft = Curriculum.objects.create(specialty=university.specialty_a, intake_year=2025)
    block = ElectiveBlock.objects.create(curriculum=draft, name_ky="Тандоо", name_ru="Выбор")
    line = CurriculumLine.objects.create(
        curriculum=draft,
        discipline=discipline,
        cycle=cycle,
        department=university.department_a,
        component=Component.MANDATORY,
        credits=4,
        total_hours=120,
        independent_hours=120,
    )
    LineSemester.objects.create(line=line, semester=1, credits=4, hours=120)
    approved = Curriculum.objects.create(
        specialty=university.specialty_a, intake_year=2024, status=PlanStatus.APPROVED
    )
    # A name of its own: other apps' policies make their academic years too.
    year = AcademicYear.objects.create(
        name="CU 2026–2027", starts_on="2026-09-01", ends_on="2027-06-30"
    )
    working = WorkingPlan.objects.create(curriculum=approved, academic_year=year, semester=5)
    working_line = WorkingPlanLine.objects.create(
        working_plan=working,
        discipline=discipline,
        cycle=cycle,
        department=university.department_a,
        lecture_hours=30,
        control_form=ControlForm.EXAM,
    )
    individual = IndividualPlan.objects.create(student=cast.student, curriculum=approved)
    return {
        "draft_plan": {"curriculum_id": draft.pk},
        "approved_plan": {"curriculum_id": approved.pk},
        "plan_line": {"line_id": line.pk},
        "plan_block": {"block_id": block.pk},
        "discipline": {"discipline_id": discipline.pk},
        "cycle": {"cycle_id": cycle.pk},
        "working_plan": {"plan_id": working.pk},
        "working_line": {"line_id": working_line.pk},
        "individual_plan": {"plan_id": individual.pk},
    }
