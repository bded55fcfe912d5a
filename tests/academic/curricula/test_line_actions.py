"""Lines of a base plan: every check of curriculum_line_create/update/delete."""

import pytest

from academic.curricula import actions
from academic.curricula.actions import SemesterPart
from academic.curricula.models import Component, ControlForm, CurriculumLine, StudySystem
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.academic.curricula.conftest import add_line, make_plan

pytestmark = pytest.mark.django_db


def line_values(plan, discipline, cycle, **changes):
    values = {
        "curriculum": plan,
        "discipline": discipline,
        "cycle": cycle,
        "credits": 4,
        "total_hours": 120,
        "lecture_hours": 30,
        "practice_hours": 30,
        "lab_hours": 0,
        "independent_hours": 60,
        "semesters": [SemesterPart(1, 4, ControlForm.EXAM)],
    }
    return values | changes


def refused(**values) -> list[str]:
    with pytest.raises(DomainError) as caught:
        actions.curriculum_line_create(by=None, **values)
    return caught.value.messages


def test_a_line_is_saved_with_its_semesters_and_audited(cast, plan, disciplines, cycle):
    line = actions.curriculum_line_create(
        by=cast.academic_affairs,
        **line_values(
            plan,
            disciplines[0],
            cycle,
            credits=6,
            total_hours=180,
            independent_hours=120,
            semesters=[SemesterPart(1, 2, ControlForm.CREDIT), SemesterPart(2, 4, "exam", True)],
        ),
    )

    assert line.department == disciplines[0].department
    parts = [(s.semester, s.credits, s.hours, s.control_forms) for s in line.semesters.all()]
    assert parts == [(1, 2, 60, ["credit"]), (2, 4, 120, ["exam", "coursework"])]
    entry = AuditEntry.objects.get(action="curriculum_line_create")
    assert entry.actor == cast.academic_affairs
    assert entry.after["semesters"] == [[1, 2, "credit", False], [2, 4, "exam", True]]


def test_hours_by_type_must_add_up_to_the_total(plan, disciplines, cycle):
    messages = refused(**line_values(plan, disciplines[0], cycle, independent_hours=50))

    assert messages == [
        "Lecture, practice, lab and independent hours add up to 110, not to the total of 120 hours."
    ]


def test_credits_must_match_the_hours_per_credit(plan, disciplines, cycle):
    messages = refused(
        **line_values(plan, disciplines[0], cycle, credits=5, semesters=[SemesterPart(1, 5)])
    )

    assert messages == ["5 credits make 150 hours at 30 hours per credit, not 120."]


def test_the_hours_per_credit_is_the_institutions_norm(university, plan, disciplines, cycle):
    actions.curriculum_settings_update(by=None, hours_per_credit=24)

    line = actions.curriculum_line_create(
        by=None,
        **line_values(plan, disciplines[0], cycle, credits=5, semesters=[SemesterPart(1, 5)]),
    )

    assert line.semesters.get().hours == 120


def test_a_credit_line_has_credits(plan, disciplines, cycle):
    messages = refused(
        **line_values(plan, disciplines[0], cycle, credits=0, semesters=[SemesterPart(1, 4)])
    )

    assert "A line of a credit-system plan has at least one credit." in messages


def test_a_semester_outside_the_specialty_is_refused(plan, disciplines, cycle):
    messages = refused(**line_values(plan, disciplines[0], cycle, semesters=[SemesterPart(9, 4)]))

    assert messages == ["Semester 9 is outside the 8 semesters of the specialty."]


def test_semester_credits_must_add_up_to_the_line(plan, disciplines, cycle):
    messages = refused(
        **line_values(
            plan, disciplines[0], cycle, semesters=[SemesterPart(1, 2), SemesterPart(2, 1)]
        )
    )

    assert messages == ["The semesters' credits add up to 3, not to the line's 4."]


def test_a_line_needs_a_semester(plan, disciplines, cycle):
    assert refused(**line_values(plan, disciplines[0], cycle, semesters=[])) == [
        "Give the line at least one semester."
    ]


def test_a_semester_appears_once_and_has_an_amount(plan, disciplines, cycle):
    messages = refused(
        **line_values(
            plan, disciplines[0], cycle, semesters=[SemesterPart(1, 4), SemesterPart(1, 0)]
        )
    )

    assert "Each semester appears once in a line." in messages
    assert "Semester 1 needs credits or hours." in messages


def test_an_unknown_control_form_is_refused(plan, disciplines, cycle):
    messages = refused(
        **line_values(plan, disciplines[0], cycle, semesters=[SemesterPart(1, 4, "oral")])
    )

    assert messages == ["Unknown control form: oral."]


def test_in_the_linear_system_semester_hours_add_up_to_the_total(university, disciplines, cycle):
    linear = make_plan(university, system=StudySystem.LINEAR)

    messages = refused(
        **line_values(linear, disciplines[0], cycle, semesters=[SemesterPart(1, 100)])
    )
    line = actions.curriculum_line_create(
        by=None, **line_values(linear, disciplines[0], cycle, semesters=[SemesterPart(1, 120)])
    )

    assert messages == ["The semesters' hours add up to 100, not to the line's 120 hours."]
    assert (line.credits, line.semesters.get().hours) == (0, 120)


def test_an_elective_belongs_to_a_block_of_its_own_plan(university, plan, disciplines, cycle):
    other = make_plan(university, intake_year=2025)
    foreign = actions.elective_block_create(by=None, curriculum=other, name_ky="Т", name_ru="В")
    own = actions.elective_block_create(by=None, curriculum=plan, name_ky="Т", name_ru="В")

    no_block = refused(**line_values(plan, disciplines[0], cycle, component=Component.ELECTIVE))
    wrong_plan = refused(
        **line_values(
            plan, disciplines[0], cycle, component=Component.ELECTIVE, elective_block=foreign
        )
    )
    mandatory = refused(**line_values(plan, disciplines[0], cycle, elective_block=own))

    assert no_block == ["An elective line belongs to an elective block."]
    assert wrong_plan == ["The elective block belongs to another curriculum."]
    assert mandatory == ["A mandatory line belongs to no elective block."]


def test_a_discipline_appears_once_in_a_plan(plan, disciplines, cycle):
    add_line(plan, disciplines[0], cycle, semesters={1: 4})

    messages = refused(**line_values(plan, disciplines[0], cycle))

    assert messages == [f"{disciplines[0]} is already in this curriculum."]


def test_an_update_replaces_the_semesters_and_audits_before_and_after(
    cast, plan, disciplines, cycle
):
    line = add_line(plan, disciplines[0], cycle, semesters={1: 4})

    actions.curriculum_line_update(
        by=cast.academic_affairs, line=line, semesters=[SemesterPart(2, 4, ControlForm.CREDIT)]
    )

    assert [(s.semester, s.control_form) for s in line.semesters.all()] == [(2, "credit")]
    entry = AuditEntry.objects.get(action="curriculum_line_update")
    assert entry.changes["semesters"] == [[[1, 4, "exam", False]], [[2, 4, "credit", False]]]


def test_an_update_is_checked_like_a_new_line(plan, disciplines, cycle):
    line = add_line(plan, disciplines[0], cycle, semesters={1: 4})

    with pytest.raises(DomainError, match="add up to 3"):
        actions.curriculum_line_update(by=None, line=line, semesters=[SemesterPart(2, 3)])


def test_a_line_is_removed_from_a_draft_with_an_audit_entry(plan, disciplines, cycle):
    line = add_line(plan, disciplines[0], cycle, semesters={1: 4})

    actions.curriculum_line_delete(by=None, line=line)

    assert not CurriculumLine.objects.exists()
    assert AuditEntry.objects.filter(action="curriculum_line_delete").exists()


def test_lines_of_an_approved_plan_are_frozen(approved_plan, disciplines, cycle):
    line = approved_plan.lines.first()

    with pytest.raises(DomainError, match="An approved curriculum cannot be changed"):
        add_line(approved_plan, disciplines[9], cycle, semesters={1: 4})
    with pytest.raises(DomainError, match="An approved curriculum cannot be changed"):
        actions.curriculum_line_update(by=None, line=line, semesters=[SemesterPart(1, 30)])
    with pytest.raises(DomainError, match="An approved curriculum cannot be changed"):
        actions.curriculum_line_delete(by=None, line=line)
