"""The grades fixtures make what the other grades tests rely on."""

from academic.curricula.selectors import working_plan_lines_for
from academic.records.selectors import group_students_on


def test_course_has_the_default_plan_of_checkpoints(course, enrolled):
    assert [(c.name, c.max_score, c.kind) for c in course.checkpoints.all()] == [
        ("Module 1", 30, "current"),
        ("Module 2", 30, "current"),
        ("Final exam", 40, "final"),
    ]
    assert course.credits == 15
    assert set(group_students_on(course.group_id)) == {enrolled.student, enrolled.other_student}


def test_group_a_studies_databases_and_physics_in_term_one(university, term, grades_plan):
    codes = {line.discipline.code for line in working_plan_lines_for(university.group_a, term)}
    assert codes == {"DB", "PH"}
