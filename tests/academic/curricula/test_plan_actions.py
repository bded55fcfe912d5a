"""Base plans as a whole: reference data, creation, approval checks, copying."""

import pytest

from academic.curricula import actions
from academic.curricula.models import (
    ChoiceRule,
    Component,
    Curriculum,
    CurriculumSettings,
    PlanStatus,
)
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.academic.curricula.conftest import add_line, fill_plan, make_plan

pytestmark = pytest.mark.django_db


def problems_of(plan) -> list[str]:
    with pytest.raises(DomainError) as caught:
        actions.curriculum_approve(by=None, curriculum=plan)
    return caught.value.messages


# --- Reference data -------------------------------------------------------------------


def test_a_cycle_is_created_and_renamed_with_audit_entries(cast):
    cycle = actions.cycle_create(
        by=cast.academic_affairs, code="GEN", name_ky="Жалпы", name_ru="Общий"
    )

    actions.cycle_update(by=cast.academic_affairs, cycle=cycle, name_en="General", order=1)

    assert (cycle.name_en, cycle.order) == ("General", 1)
    assert AuditEntry.objects.filter(action__in=["cycle_create", "cycle_update"]).count() == 2


def test_a_cycle_code_is_unique(cycle):
    with pytest.raises(DomainError):
        actions.cycle_create(by=None, code=cycle.code, name_ky="Х", name_ru="Х")


def test_a_discipline_changes_department_with_an_audit_entry(university, disciplines):
    discipline = disciplines[0]

    actions.discipline_update(by=None, discipline=discipline, department=university.department_b)

    entry = AuditEntry.objects.get(action="discipline_update")
    assert entry.changes == {"department": [university.department_a.pk, university.department_b.pk]}


def test_a_discipline_needs_a_name(university):
    with pytest.raises(DomainError):
        actions.discipline_create(
            by=None, code="X", name_ky="", name_ru="", department=university.department_a
        )


def test_the_norms_row_is_made_on_first_change_and_audited(university):
    norms = actions.curriculum_settings_update(by=None, hours_per_credit=25, semester_deviation=2)

    assert CurriculumSettings.objects.get() == norms
    assert (norms.hours_per_credit, norms.credits_per_semester, norms.semester_deviation) == (
        25,
        30,
        2,
    )
    assert AuditEntry.objects.get(action="curriculum_settings_update").changes[
        "hours_per_credit"
    ] == [30, 25]


def test_the_norms_are_kept_in_range(university):
    with pytest.raises(DomainError):
        actions.curriculum_settings_update(by=None, hours_per_credit=0)


# --- Creating plans -------------------------------------------------------------------


def test_a_plan_is_a_draft_with_an_audit_entry(cast, university):
    plan = make_plan(university)

    assert plan.status == PlanStatus.DRAFT
    assert plan.semesters == 8
    assert AuditEntry.objects.get(action="curriculum_create").actor is None


def test_an_intake_has_one_plan_per_study_form(university, plan):
    with pytest.raises(DomainError) as caught:
        make_plan(university)

    assert caught.value.messages == ["580100 already has a curriculum for the intake of 2024."]


def test_a_draft_moves_to_another_intake_unless_that_one_has_a_plan(university, plan):
    make_plan(university, intake_year=2025)

    with pytest.raises(DomainError, match="intake of 2025"):
        actions.curriculum_update(by=None, curriculum=plan, intake_year=2025)
    actions.curriculum_update(by=None, curriculum=plan, intake_year=2023)

    assert Curriculum.objects.filter(intake_year=2023).get() == plan


def test_an_approved_plan_keeps_its_heading(approved_plan):
    with pytest.raises(DomainError, match="An approved curriculum cannot be changed"):
        actions.curriculum_update(by=None, curriculum=approved_plan, intake_year=2030)


def test_elective_blocks_are_not_added_to_approved_plans(approved_plan):
    with pytest.raises(DomainError, match="An approved curriculum cannot be changed"):
        actions.elective_block_create(by=None, curriculum=approved_plan, name_ky="Т", name_ru="В")


def test_an_elective_block_chooses_at_least_one(plan):
    with pytest.raises(DomainError):
        actions.elective_block_create(by=None, curriculum=plan, name_ky="Т", name_ru="В", choose=0)


def test_an_elective_block_is_renamed_in_a_draft(plan):
    block = actions.elective_block_create(by=None, curriculum=plan, name_ky="Т", name_ru="В")

    actions.elective_block_update(by=None, block=block, choose=2, rule=ChoiceRule.AT_MOST)

    assert (block.choose, block.rule) == (2, "at_most")


# --- Approval -------------------------------------------------------------------------


def test_a_complete_plan_is_approved_and_frozen(cast, plan, disciplines, cycle):
    fill_plan(plan, disciplines, cycle)

    actions.curriculum_approve(by=cast.academic_affairs, curriculum=plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_by == cast.academic_affairs
    entry = AuditEntry.objects.get(action="curriculum_approve")
    assert entry.changes["status"] == ["draft", "approved"]


def test_a_plan_is_approved_once(approved_plan):
    assert problems_of(approved_plan) == ["The curriculum is already approved."]


def test_an_empty_plan_is_not_approved(plan):
    assert problems_of(plan) == ["The curriculum has no lines."]


def test_every_semester_must_meet_the_credit_norm(plan, disciplines, cycle):
    fill_plan(plan, disciplines, cycle)
    line = plan.lines.get(discipline=disciplines[0])
    actions.curriculum_line_delete(by=None, line=line)
    add_line(plan, disciplines[0], cycle, semesters={1: 28})

    assert problems_of(plan) == [
        "Semester 1 has 28 credits; the norm is 30 ± 0.",
        "The plan has 238 credits in all; 8 semesters need 240.",
    ]


def test_the_allowed_deviation_is_a_norm_too(university, plan, disciplines, cycle):
    actions.curriculum_settings_update(by=None, semester_deviation=2)
    for n in range(1, 9):
        add_line(
            plan, disciplines[n - 1], cycle, semesters={n: 28 if n == 1 else 32 if n == 2 else 30}
        )

    actions.curriculum_approve(by=None, curriculum=plan)


def test_a_block_needs_alternatives_and_alike_ones(plan, disciplines, cycle):
    fill_plan(plan, disciplines, cycle)
    block = actions.elective_block_create(
        by=None, curriculum=plan, name_ky="Тандоо", name_ru="Выбор", name_en="Choice"
    )
    add_line(
        plan,
        disciplines[8],
        cycle,
        semesters={2: 3},
        component=Component.ELECTIVE,
        elective_block=block,
    )

    too_few = problems_of(plan)
    add_line(
        plan,
        disciplines[9],
        cycle,
        semesters={3: 3},
        component=Component.ELECTIVE,
        elective_block=block,
    )
    unlike = problems_of(plan)

    assert too_few == [
        "Elective block Choice offers 1 disciplines; choosing 1 needs more to choose from."
    ]
    assert unlike == [
        "All disciplines of elective block Choice need the same semesters and amounts."
    ]


def test_a_block_counts_its_number_to_choose_in_the_semester(plan, disciplines, cycle):
    for n in range(1, 9):
        add_line(plan, disciplines[n - 1], cycle, semesters={n: 24 if n == 2 else 30})
    block = actions.elective_block_create(
        by=None, curriculum=plan, name_ky="Т", name_ru="В", choose=2, rule=ChoiceRule.AT_MOST
    )
    add_line(
        plan,
        disciplines[8],
        cycle,
        semesters={2: 3},
        component=Component.ELECTIVE,
        elective_block=block,
    )
    add_line(
        plan,
        disciplines[9],
        cycle,
        semesters={2: 3},
        component=Component.ELECTIVE,
        elective_block=block,
    )

    actions.curriculum_approve(by=None, curriculum=plan)


# --- Copying --------------------------------------------------------------------------


def test_a_copy_is_a_draft_with_the_same_lines_blocks_and_semesters(cast, plan, disciplines, cycle):
    block = actions.elective_block_create(by=None, curriculum=plan, name_ky="Т", name_ru="В")
    add_line(plan, disciplines[0], cycle, semesters={1: 3, 2: 1})
    add_line(
        plan,
        disciplines[1],
        cycle,
        semesters={2: 4},
        component=Component.ELECTIVE,
        elective_block=block,
    )

    copy = actions.curriculum_copy(by=cast.academic_affairs, curriculum=plan, intake_year=2025)

    assert (copy.status, copy.intake_year, copy.copied_from) == ("draft", 2025, plan)
    copied = [
        (
            line.discipline_id,
            line.elective_block.name_ky if line.elective_block else "",
            [(s.semester, s.credits) for s in line.semesters.all()],
        )
        for line in copy.lines.order_by("discipline__code")
    ]
    assert copied == [
        (disciplines[0].pk, "", [(1, 3), (2, 1)]),
        (disciplines[1].pk, "Т", [(2, 4)]),
    ]
    assert copy.blocks.get().curriculum == copy
    assert plan.lines.count() == 2
    assert AuditEntry.objects.get(action="curriculum_copy").after["lines"] == 2


def test_an_approved_plan_is_copied_too(approved_plan):
    copy = actions.curriculum_copy(by=None, curriculum=approved_plan, intake_year=2025)

    assert copy.lines.count() == 8
    assert copy.status == PlanStatus.DRAFT


def test_a_copy_needs_a_free_intake(plan):
    with pytest.raises(DomainError, match="already has a curriculum for the intake of 2024"):
        actions.curriculum_copy(by=None, curriculum=plan, intake_year=2024)
