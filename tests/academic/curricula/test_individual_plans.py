"""Individual study plans (CU-5): a student's electives within the plan's blocks."""

import pytest

from academic.curricula import actions
from academic.curricula.models import ChoiceRule, Component
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.academic.curricula.conftest import add_line, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def electives(plan, disciplines, cycle):
    """Blocks "A" (exactly 1 of 2, semester 3) and "B" (at most 1 of 2, semester 4)."""
    exactly = actions.elective_block_create(
        by=None, curriculum=plan, name_ky="A", name_ru="A", name_en="A"
    )
    at_most = actions.elective_block_create(
        by=None, curriculum=plan, name_ky="B", name_ru="B", name_en="B", rule=ChoiceRule.AT_MOST
    )
    for n in range(1, 9):
        add_line(plan, disciplines[n - 1], cycle, semesters={n: 27 if n in (3, 4) else 30})
    lines = {}
    for key, block, semester, discipline in (
        ("a1", exactly, 3, disciplines[8]),
        ("a2", exactly, 3, disciplines[9]),
    ):
        lines[key] = add_line(
            plan,
            discipline,
            cycle,
            semesters={semester: 3},
            component=Component.ELECTIVE,
            elective_block=block,
        )
    extra = [
        actions.discipline_create(
            by=None,
            code=f"X{i}",
            name_ky=f"Х{i}",
            name_ru=f"Х{i}",
            department=disciplines[0].department,
        )
        for i in (1, 2)
    ]
    for key, discipline in zip(("b1", "b2"), extra, strict=True):
        lines[key] = add_line(
            plan,
            discipline,
            cycle,
            semesters={4: 3},
            component=Component.ELECTIVE,
            elective_block=at_most,
        )
    actions.curriculum_approve(by=None, curriculum=plan)
    return lines


@pytest.fixture
def individual(cast, plan, electives):
    return actions.individual_plan_open(
        by=cast.academic_affairs, student=cast.student, curriculum=plan
    )


def refused(individual, lines) -> list[str]:
    with pytest.raises(DomainError) as caught:
        actions.individual_plan_choose(by=None, plan=individual, lines=lines)
    return caught.value.messages


def test_an_individual_plan_is_opened_with_an_audit_entry(cast, individual):
    assert individual.student == cast.student
    assert AuditEntry.objects.get(action="individual_plan_open").actor == cast.academic_affairs


def test_an_individual_plan_is_a_students(cast, approved_plan):
    with pytest.raises(DomainError, match="An individual study plan is a student's"):
        actions.individual_plan_open(by=None, student=cast.teacher, curriculum=approved_plan)


def test_an_individual_plan_follows_an_approved_plan(cast, plan):
    with pytest.raises(DomainError, match="Individual plans follow approved curricula only"):
        actions.individual_plan_open(by=None, student=cast.student, curriculum=plan)


def test_a_student_has_one_individual_plan_per_curriculum(cast, plan, individual):
    with pytest.raises(DomainError, match="already has an individual plan"):
        actions.individual_plan_open(by=None, student=cast.student, curriculum=plan)


def test_the_student_chooses_within_the_blocks(cast, individual, electives):
    actions.individual_plan_choose(
        by=cast.student, plan=individual, lines=[electives["a2"], electives["b1"]]
    )

    assert set(individual.choices.all()) == {electives["a2"], electives["b1"]}
    entry = AuditEntry.objects.get(action="individual_plan_choose")
    assert entry.actor == cast.student
    assert entry.after == {"choices": sorted([electives["a2"].pk, electives["b1"].pk])}


def test_at_most_allows_none(individual, electives):
    actions.individual_plan_choose(by=None, plan=individual, lines=[electives["a1"]])

    assert list(individual.choices.all()) == [electives["a1"]]


def test_exactly_means_exactly(individual, electives):
    assert refused(individual, [electives["a1"], electives["a2"]]) == [
        "Choose exactly 1 in A (chosen: 2)."
    ]
    assert refused(individual, []) == ["Choose exactly 1 in A (chosen: 0)."]


def test_at_most_means_at_most(individual, electives):
    assert refused(individual, [electives["a1"], electives["b1"], electives["b2"]]) == [
        "Choose at most 1 in B (chosen: 2)."
    ]


def test_only_the_plans_own_electives_are_chosen(
    university, individual, electives, plan, disciplines, cycle
):
    mandatory = plan.lines.get(discipline=disciplines[0])
    other = make_plan(university, intake_year=2025)
    foreign = add_line(other, disciplines[0], cycle, semesters={1: 3})

    assert refused(individual, [electives["a1"], mandatory])[0] == (
        "Only the electives of your curriculum can be chosen."
    )
    assert refused(individual, [electives["a1"], foreign])[0] == (
        "Only the electives of your curriculum can be chosen."
    )
