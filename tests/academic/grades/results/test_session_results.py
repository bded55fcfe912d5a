"""Session results counted by hand on the fixture of conftest.py (GB-10)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.grades.scales import DEFAULT_SCALE
from academic.grades.selectors.results import (
    COURSE,
    GROUP,
    session_results,
    session_results_export,
)
from hub.accounts.access import Scope
from tests.academic.grades.results.conftest import extra_group_with_sheet

pytestmark = pytest.mark.django_db
EVERYWHERE = [Scope.institution()]


def _by_label(results):
    return {row.label: row for row in results.rows}


def test_closed_sheets_give_students_sat_passed_rate_average_and_marks(session, university):
    results = session_results(term=session.course_a.term, scopes=EVERYWHERE, scale=DEFAULT_SCALE)

    rows = _by_label(results)
    a = rows[university.faculty_a.name]
    assert (a.students, a.lines, a.sat, a.passed) == (2, 4, 3, 2)
    assert a.pass_rate == Decimal("50.00")
    assert a.average == Decimal("75.00")  # (90 + 55 + 80) / 3
    assert a.average_gpa == Decimal("2.22")  # (3.67 + 0 + 3.00) / 3
    assert a.marks == {2: 1, 3: 0, 4: 1, 5: 1}
    assert a.letters == {"A-": 1, "F": 1, "B": 1}
    assert (a.sheets, a.open_sheets) == (2, 0)
    assert results.letters == ["A-", "B", "F"]  # in the scale's order


def test_an_open_sheet_is_shown_open_and_counted_only_when_asked(session, university):
    closed_only = _by_label(session_results(term=session.course_a.term, scopes=EVERYWHERE))
    b = closed_only[university.faculty_b.name]
    assert (b.lines, b.sheets, b.open_sheets, b.pass_rate) == (0, 1, 1, None)

    with_open = session_results(term=session.course_a.term, scopes=EVERYWHERE, include_open=True)
    b = _by_label(with_open)[university.faculty_b.name]
    assert (b.lines, b.passed, b.pass_rate, b.average, b.open_lines) == (
        1,
        1,
        Decimal("100.00"),
        Decimal("70.00"),
        1,
    )
    assert (with_open.total.students, with_open.total.lines, with_open.total.passed) == (3, 5, 3)
    assert with_open.total.pass_rate == Decimal("60.00")


def test_results_by_group_and_by_course(session, university, english):
    term = session.course_a.term
    by_group = _by_label(session_results(term=term, scopes=EVERYWHERE, by=GROUP))
    assert by_group[university.group_a.name].passed == 2
    by_course = session_results(term=term, scopes=EVERYWHERE, by=COURSE, include_open=True)
    labels = sorted(row.label for row in by_course.rows)
    assert labels == [
        f"Databases — {university.group_a.name}",
        f"Databases — {university.group_b.name}",
        f"Physics — {university.group_a.name}",
    ]
    physics = _by_label(by_course)[f"Physics — {university.group_a.name}"]
    assert (physics.lines, physics.sat, physics.passed) == (2, 1, 1)


def test_a_student_who_left_the_sheet_is_not_counted(session, enrolled, university):
    line = session.sheets[0].lines.get(student=enrolled.other_student)
    line.left_on = line.joined_on
    line.save()

    a = _by_label(session_results(term=session.course_a.term, scopes=EVERYWHERE))[
        university.faculty_a.name
    ]

    assert (a.lines, a.passed) == (3, 2)


def test_a_deanery_sees_its_faculty_only(session, cast, university):
    from academic.grades.permissions import office_scopes

    results = session_results(
        term=session.course_a.term, scopes=office_scopes(cast.deanery_b), include_open=True
    )

    assert [row.label for row in results.rows] == [university.faculty_b.name]
    assert results.total.students == 1


def test_the_page_shows_the_figures_and_the_chart(client, cast, session, english):
    client.force_login(cast.deanery_a)

    response = client.get(reverse("grades:session-results"), {"term": session.course_a.term.pk})

    assert response.status_code == 200
    text = response.content.decode()
    assert "50.00" in text and "75.00" in text
    assert "session-results-data" in text and "chart.umd.min.js" in text
    assert response.context["results"].rows[0].label == "Faculty A"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_the_results_export(client, cast, session, fmt):
    client.force_login(cast.admin)

    response = client.get(
        reverse("grades:session-results"), {"term": session.course_a.term.pk, "export": fmt}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')


def test_the_export_rows_end_with_the_total(session):
    results = session_results(term=session.course_a.term, scopes=EVERYWHERE)
    headers, rows = session_results_export(results)
    assert len(headers) == len(rows[0])
    assert rows[-1][1:4] == [2, 3, 2]


def test_a_bad_filter_is_shown_not_a_500(client, cast, session):
    client.force_login(cast.admin)

    response = client.get(reverse("grades:session-results"), {"term": "999999", "by": "nope"})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_deanery_cannot_choose_another_faculty(client, cast, session, university):
    client.force_login(cast.deanery_b)

    response = client.get(
        reverse("grades:session-results"),
        {"term": session.course_a.term.pk, "faculty": university.faculty_a.pk},
    )

    assert "faculty" in response.context["form"].errors
    assert response.context["results"] is None


def _count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("grades:session-results"), params).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_more_groups_and_sheets(
    client, cast, session, university
):
    client.force_login(cast.admin)
    params = {"term": session.course_a.term.pk, "by": "course", "include_open": "on"}
    before = _count_queries(client, params)
    for n in range(3):
        extra_group_with_sheet(university, session, n)

    assert _count_queries(client, params) == before
