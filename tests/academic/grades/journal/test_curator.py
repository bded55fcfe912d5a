"""The curator's live view shows today's attendance and the newest scores, at constant cost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.grades.actions import journal as actions
from academic.structure.actions import group_assign_curator
from tests.academic.grades.journal.conftest import TODAY, make_lesson

pytestmark = pytest.mark.usefixtures("today", "in_english")


@pytest.fixture
def curated(cast, university):
    group_assign_curator(
        by=None, group=university.group_a, curator=cast.curator, on=date(2024, 9, 1)
    )


def page(client, university):
    return client.get(reverse("curator-group", kwargs={"group_id": university.group_a.pk}))


def test_the_curator_sees_todays_attendance_and_the_latest_scores(
    client, cast, university, enrolled, course, module_1, curated
):
    lesson = make_lesson(course, TODAY, checkpoint=module_1, max_score=10)
    actions.attendance_set(
        by=cast.teacher, lesson=lesson, student=enrolled.student, mark="late", expected_version=0
    )
    actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(6),
        expected_version=0,
    )
    client.force_login(cast.curator)

    response = page(client, university)

    student = next(s for s, _online in response.context["rows"] if s == enrolled.student)
    assert student.today_marks == [(course.pk, "DB", "late")]
    assert student.latest_scores == [(course.pk, "DB", Decimal(6))]
    html = response.content.decode()
    assert "DB: late" in html and "DB: 6" in html
    assert response.context["courses"] == {str(course.pk): "DB"}


def test_the_curators_view_costs_the_same_queries_with_more_marks(
    client, cast, university, enrolled, course, module_1, curated
):
    client.force_login(cast.curator)
    with CaptureQueriesContext(connection) as empty:
        page(client, university)
    lesson = make_lesson(course, TODAY, checkpoint=module_1, max_score=10)
    for student in (enrolled.student, enrolled.other_student):
        actions.attendance_set(
            by=cast.teacher, lesson=lesson, student=student, mark="present", expected_version=0
        )
        actions.journal_score_set(
            by=cast.teacher, lesson=lesson, student=student, value=Decimal(5), expected_version=0
        )
    with CaptureQueriesContext(connection) as full:
        page(client, university)

    assert len(full) == len(empty)
