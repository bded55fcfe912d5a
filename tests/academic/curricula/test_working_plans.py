"""Working plans (CU-4): derived from the base plan, edited, approved, read by other apps."""

import pytest

from academic.curricula import actions
from academic.curricula.calc import HourSplit, semester_of, split_hours
from academic.curricula.models import Component, PlanStatus, WorkingPlan
from academic.curricula.selectors import chosen_elective_ids, working_plan_lines_for
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.academic.curricula.conftest import add_line, make_plan

pytestmark = pytest.mark.django_db


def test_a_semester_shares_its_hours_in_the_lines_proportions():
    line = HourSplit(lecture=30, practice=30, lab=15, independent=105)

    assert split_hours(line, 180) == line
    assert split_hours(line, 60) == HourSplit(10, 10, 5, 35)
    assert split_hours(line, 100).total == 100
    assert split_hours(HourSplit(), 30) == HourSplit(independent=30)
    assert HourSplit(1, 2, 3, 4).scaled(2) + HourSplit(1, 1, 1, 1) == HourSplit(3, 5, 7, 9)


def test_the_first_term_of_the_third_year_is_semester_5():
    assert semester_of(intake_year=2024, year_start=2026, term_number=1) == 5
    assert semester_of(intake_year=2024, year_start=2026, term_number=2) == 6


def test_a_working_plan_copies_the_lines_of_its_semester(
    cast, university, plan, disciplines, cycle, year_2026
):
    add_line(plan, disciplines[0], cycle, semesters={5: 20, 6: 10})
    add_line(plan, disciplines[1], cycle, semesters={5: 10})
    for n, discipline in zip((1, 2, 3, 4, 6, 7, 8), disciplines[2:9], strict=True):
        add_line(plan, discipline, cycle, semesters={n: 30 if n != 6 else 20})
    actions.curriculum_approve(by=None, curriculum=plan)

    working = actions.working_plan_derive(
        by=cast.academic_affairs, curriculum=plan, academic_year=year_2026, term_number=1
    )

    assert (working.semester, working.course, working.term_number) == (5, 3, 1)
    lines = {line.discipline_id: line for line in working.lines.all()}
    assert set(lines) == {disciplines[0].pk, disciplines[1].pk}
    first = lines[disciplines[0].pk]
    assert (first.credits, first.total_hours, first.control_forms) == (20, 600, ["exam"])
    assert (first.lecture_hours, first.practice_hours, first.independent_hours) == (150, 150, 300)
    assert AuditEntry.objects.get(action="working_plan_derive").after["lines"] == 2


def test_only_approved_plans_give_working_plans(plan, year_2026):
    with pytest.raises(DomainError) as caught:
        actions.working_plan_derive(
            by=None, curriculum=plan, academic_year=year_2026, term_number=1
        )

    assert caught.value.messages == ["Working plans are made from approved curricula only."]


def test_a_working_plan_is_made_once_per_term(approved_plan, year_2026):
    actions.working_plan_derive(
        by=None, curriculum=approved_plan, academic_year=year_2026, term_number=2
    )

    with pytest.raises(DomainError, match="The working plan of this term exists already"):
        actions.working_plan_derive(
            by=None, curriculum=approved_plan, academic_year=year_2026, term_number=2
        )


def test_a_cohort_that_has_graduated_has_no_working_plan(university, disciplines, cycle, year_2026):
    old = make_plan(university, intake_year=2020)
    for n in range(1, 9):
        add_line(old, disciplines[n - 1], cycle, semesters={n: 30})
    actions.curriculum_approve(by=None, curriculum=old)

    with pytest.raises(DomainError) as caught:
        actions.working_plan_derive(by=None, curriculum=old, academic_year=year_2026, term_number=1)

    assert caught.value.messages == [
        "In 2026–2027 the intake of 2020 is not studying (semester 13)."
    ]


def test_a_term_is_the_first_or_the_second(approved_plan, year_2026):
    with pytest.raises(DomainError, match="A term is the first or the second of the year"):
        actions.working_plan_derive(
            by=None, curriculum=approved_plan, academic_year=year_2026, term_number=3
        )


def test_a_working_line_is_edited_until_the_plan_is_approved(approved_plan, year_2026):
    working = actions.working_plan_derive(
        by=None, curriculum=approved_plan, academic_year=year_2026, term_number=1
    )
    line = working.lines.get()

    actions.working_plan_line_update(by=None, line=line, lab_hours=20, control_form="credit")
    actions.working_plan_approve(by=None, plan=working)

    assert AuditEntry.objects.get(action="working_plan_line_update").changes == {
        "lab_hours": [0, 20],
        "control_form": ["exam", "credit"],
    }
    assert WorkingPlan.objects.get().status == PlanStatus.APPROVED
    with pytest.raises(DomainError, match="An approved working plan cannot be changed"):
        actions.working_plan_line_update(by=None, line=line, lab_hours=0)
    with pytest.raises(DomainError, match="The working plan is already approved"):
        actions.working_plan_approve(by=None, plan=working)


def test_an_empty_working_plan_is_not_approved(approved_plan, year_2026):
    working = actions.working_plan_derive(
        by=None, curriculum=approved_plan, academic_year=year_2026, term_number=1
    )
    working.lines.all().delete()

    with pytest.raises(DomainError, match="The working plan has no lines"):
        actions.working_plan_approve(by=None, plan=working)


def test_a_group_studies_the_working_plan_of_its_cohort(
    university, approved_plan, year_2026, django_assert_num_queries
):
    actions.working_plan_derive(
        by=None, curriculum=approved_plan, academic_year=year_2026, term_number=1
    )
    first, second = year_2026.terms.order_by("number")
    group = university.group_a  # intake 2024: semester 5 in the first term of 2026–2027

    with django_assert_num_queries(1):
        lines = list(working_plan_lines_for(group, first))

    assert [(line.discipline.code, line.working_plan.semester) for line in lines] == [("D05", 5)]
    assert not working_plan_lines_for(group, second).exists()
    assert not working_plan_lines_for(university.group_b, first).exists()


def test_chosen_electives_are_read_per_student(cast, plan, disciplines, cycle):
    block = actions.elective_block_create(by=None, curriculum=plan, name_ky="Т", name_ru="В")
    for n in range(1, 9):
        add_line(plan, disciplines[n - 1], cycle, semesters={n: 30 if n != 3 else 27})
    lines = [
        add_line(
            plan, d, cycle, semesters={3: 3}, component=Component.ELECTIVE, elective_block=block
        )
        for d in disciplines[8:10]
    ]
    actions.curriculum_approve(by=None, curriculum=plan)
    individual = actions.individual_plan_open(by=None, student=cast.student, curriculum=plan)
    actions.individual_plan_choose(by=cast.student, plan=individual, lines=[lines[1]])

    assert chosen_elective_ids(cast.student) == {lines[1].pk}
    assert chosen_elective_ids(cast.other_student) == set()
