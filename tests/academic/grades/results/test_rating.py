"""The rating of students by their checkpoint points of the term (GB-11)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.grades.scoring import checkpoint_totals
from academic.grades.selectors.results import rating
from hub.accounts.access import Scope
from tests.academic.grades.results.conftest import add_score, new_student

pytestmark = pytest.mark.django_db
EVERYWHERE = [Scope.institution()]


@pytest.fixture
def scored(session, enrolled, university):
    """student and other_student 65 points each (a tie), fourth 10, fifth none."""
    fourth = new_student("fourth", "24-0004", university.group_a, "1-C")
    new_student("fifth", "24-0005", university.group_a, "1-D")
    for student in (enrolled.student, enrolled.other_student):
        add_score(session.course_a, 1, student, "25")
        add_score(session.course_a, 2, student, "20")
        add_score(session.course_a, 2, student, "15")  # 35 in a checkpoint of 30: counts 30
        add_score(session.credit_a, 1, student, "10")
    add_score(session.course_a, 1, fourth, "10")
    return fourth


def test_ties_share_a_place_and_the_next_place_is_skipped(session, scored, university):
    rows = rating(term=session.course_a.term, scopes=EVERYWHERE, group=university.group_a.pk)

    assert [(r.place, r.points) for r in rows] == [
        (1, Decimal("65.00")),
        (1, Decimal("65.00")),
        (3, Decimal("10.00")),
        (4, Decimal("0.00")),
    ]
    assert rows[2].name == "Fourth Test"


def test_points_are_the_capped_checkpoint_totals(session, scored, enrolled):
    checkpoints = [*session.course_a.checkpoints.all(), *session.credit_a.checkpoints.all()]
    totals = checkpoint_totals(checkpoints, [enrolled.student.pk])
    expected = sum(v for (student, _c), v in totals.items() if student == enrolled.student.pk)

    rows = rating(term=session.course_a.term, scopes=EVERYWHERE, group=session.course_a.group_id)

    assert next(r.points for r in rows if r.student_id == enrolled.student.pk) == expected


def test_a_faculty_rating_and_a_deanery_scope(session, scored, cast, university):
    from academic.grades.permissions import office_scopes

    faculty_a = rating(
        term=session.course_a.term, scopes=EVERYWHERE, faculty=university.faculty_a.pk
    )
    assert len(faculty_a) == 4
    foreign = rating(
        term=session.course_a.term,
        scopes=office_scopes(cast.deanery_b),
        faculty=university.faculty_a.pk,
    )
    assert foreign == []


def test_the_page_and_export(client, cast, session, scored, university):
    client.force_login(cast.deanery_a)
    params = {"term": session.course_a.term.pk, "specialty": university.specialty_a.pk}

    page = client.get(reverse("grades:rating"), params)
    assert page.status_code == 200 and "65.00" in page.content.decode()
    export = client.get(reverse("grades:rating"), params | {"export": "csv"})
    assert export.status_code == 200
    assert "65.00" in export.content.decode("utf-8-sig")


def test_two_units_at_once_are_refused_with_a_message(client, cast, session, university):
    client.force_login(cast.admin)

    response = client.get(
        reverse("grades:rating"),
        {"group": university.group_a.pk, "faculty": university.faculty_a.pk},
    )

    assert response.context["form"].non_field_errors()
    assert response.context["rows"] is None


def test_the_page_costs_the_same_queries_for_more_students(client, cast, session, university):
    client.force_login(cast.admin)
    params = {"term": session.course_a.term.pk, "group": university.group_a.pk}
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("grades:rating"), params)
    for n in range(4):
        student = new_student(f"more{n}", f"24-20{n}", university.group_a, f"M-{n}")
        add_score(session.course_a, 1, student, str(n))
    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("grades:rating"), params)
    assert len(response.context["rows"]) == 6
    assert len(after) == len(before)
