"""What the journal publishes, captured on an in-memory channel layer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from academic.grades.actions import journal as actions
from realtime.groups import group_academic, group_course, group_user

pytestmark = pytest.mark.usefixtures("today", "in_english")


def audiences(listen, course, student):
    return [
        listen(group_course(course.pk)),
        listen(group_user(student.user_id)),
        listen(group_academic(course.group_id)),
    ]


def test_a_score_is_published_to_the_course_the_student_their_parent_and_the_group(
    cast, enrolled, course, lesson, listen, django_capture_on_commit_callbacks
):
    listeners = [*audiences(listen, course, enrolled.student), listen(group_user(cast.parent.pk))]
    other = listen(group_user(enrolled.other_student.user_id))
    with django_capture_on_commit_callbacks(execute=True):
        actions.journal_score_set(
            by=cast.teacher,
            lesson=lesson,
            student=enrolled.student,
            value=Decimal(7),
            expected_version=0,
        )

    expected = {
        "type": "grade.changed",
        "data": {
            "course": course.pk, "checkpoint": lesson.checkpoint_id, "student": enrolled.student.pk,
            "lesson": lesson.pk, "value": "7.00", "version": 1, "checkpoint_total": "7.00",
            "total": "7.00",
        },
    }  # fmt: skip
    assert [listener.events() for listener in listeners] == [[expected]] * 4
    assert other.events() == []


def test_attendance_is_published_with_the_lessons_date(
    cast, enrolled, course, lesson, listen, django_capture_on_commit_callbacks
):
    listeners = audiences(listen, course, enrolled.student)
    with django_capture_on_commit_callbacks(execute=True):
        actions.attendance_set(
            by=cast.teacher,
            lesson=lesson,
            student=enrolled.student,
            mark="late",
            expected_version=0,
        )

    event = {
        "type": "attendance.changed",
        "data": {
            "course": course.pk, "lesson": lesson.pk, "student": enrolled.student.pk,
            "mark": "late", "version": 1, "date": "2026-10-01",
        },
    }  # fmt: skip
    assert [listener.events() for listener in listeners] == [[event]] * 3


def test_a_refused_write_publishes_nothing(
    cast, enrolled, course, lesson, listen, django_capture_on_commit_callbacks
):
    course_listener = listen(group_course(course.pk))
    actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(7),
        expected_version=0,
    )
    course_listener.events()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(actions.CellConflict):
        actions.journal_score_set(
            by=cast.teacher,
            lesson=lesson,
            student=enrolled.student,
            value=Decimal(8),
            expected_version=0,
        )

    assert course_listener.events() == []


def test_an_external_result_and_its_withdrawal_are_published(
    enrolled, course, module_2, listen, django_capture_on_commit_callbacks
):
    student_listener = listen(group_user(enrolled.student.user_id))
    with django_capture_on_commit_callbacks(execute=True):
        actions.external_score_record(
            by=None,
            checkpoint=module_2,
            student=enrolled.student,
            value=20,
            source="test",
            ref="t:1",
        )
    with django_capture_on_commit_callbacks(execute=True):
        actions.external_score_withdraw(by=None, source="test", ref="t:1", reason="annulled")

    values = [
        (e["data"]["lesson"], e["data"]["value"], e["data"]["total"])
        for e in student_listener.events()
    ]
    assert values == [(None, "20.00", "20.00"), (None, None, "0.00")]
