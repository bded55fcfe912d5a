"""E-courses are made from the grades courses' teaching streams, with no manual setup (DL-1)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from academic.grades.actions.sheets import course_teacher_assign
from hub.audit.models import AuditEntry
from hub.learning.actions import ecourses_sync, section_create
from hub.learning.models import ECourse
from tests.grades_objects import autumn_term, graded_course, plan_line

pytestmark = pytest.mark.django_db


def test_one_e_course_per_teacher_discipline_and_term(cast, university):
    term = autumn_term(2033)
    line = plan_line(university.group_a, term, code="SYN-1")
    graded_course(university.group_a, term, line, teacher=cast.teacher)
    graded_course(university.group_b, term, line, teacher=cast.teacher)
    other = plan_line(university.group_a, term, code="SYN-2")
    graded_course(university.group_a, term, other, teacher=cast.other_teacher)
    graded_course(university.group_b, term, other, teacher=None)  # no teacher yet: no stream

    result = ecourses_sync()

    assert result.created == 2
    assert set(ECourse.objects.values_list("discipline__code", "teacher__username")) == {
        ("SYN-1", "teacher"),
        ("SYN-2", "other_teacher"),
    }
    assert AuditEntry.objects.filter(action="ecourses_sync").count() == 2


def test_syncing_again_makes_nothing(cast, university):
    term = autumn_term(2033)
    graded_course(university.group_a, term, plan_line(university.group_a, term, code="SYN-3"),
                  teacher=cast.teacher)  # fmt: skip
    ecourses_sync()

    assert ecourses_sync().created == 0
    assert ECourse.objects.count() == 1


def test_a_course_saved_with_a_teacher_gets_its_e_course_on_commit(
    cast, university, django_capture_on_commit_callbacks
):
    term = autumn_term(2033)
    line = plan_line(university.group_a, term, code="SYN-4")
    with django_capture_on_commit_callbacks(execute=True):
        graded_course(university.group_a, term, line, teacher=cast.teacher)

    assert ECourse.objects.filter(discipline=line.discipline, teacher=cast.teacher).exists()


def test_a_new_teacher_takes_over_the_e_course_with_its_content(
    cast, university, django_capture_on_commit_callbacks
):
    term = autumn_term(2033)
    line = plan_line(university.group_a, term, code="SYN-5")
    course = graded_course(university.group_a, term, line, teacher=cast.teacher)
    ecourses_sync()
    ecourse = ECourse.objects.get()
    section_create(by=cast.teacher, ecourse=ecourse, title_en="Week 1")

    with django_capture_on_commit_callbacks(execute=True):
        course_teacher_assign(by=None, course=course, teacher=cast.other_teacher)

    ecourse.refresh_from_db()
    assert ecourse.teacher == cast.other_teacher
    assert ECourse.objects.count() == 1
    assert ecourse.sections.get().title == "Week 1"


def test_the_command_syncs(cast, university, capsys):
    term = autumn_term(2033)
    graded_course(university.group_a, term, plan_line(university.group_a, term, code="SYN-6"),
                  teacher=cast.teacher)  # fmt: skip

    call_command("sync_ecourses")

    assert "created 1" in capsys.readouterr().out
    assert ECourse.objects.count() == 1


def test_the_demo_step_makes_the_e_courses_of_the_seeded_courses(cast, university):
    from hub.learning.demo import seed_ecourses

    term = autumn_term(2033)
    graded_course(university.group_a, term, plan_line(university.group_a, term, code="SYN-7"),
                  teacher=cast.teacher)  # fmt: skip

    assert seed_ecourses() == {"ecourses": 1}
    assert seed_ecourses() == {"ecourses": 0}
