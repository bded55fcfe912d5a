"""The final-score journal: a group's students × courses for a term (GB-10)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.grades.models import SheetStatus
from academic.grades.selectors.results import final_journal, final_journal_export
from tests.academic.grades.results.conftest import make_line, make_sheet

pytestmark = pytest.mark.django_db


def test_each_student_has_the_total_and_letter_of_each_course(session, enrolled, university):
    journal = final_journal(group=university.group_a, term=session.course_a.term)

    assert [c.discipline.code for c in journal.courses] == ["DB", "PH"]
    cells = {student.pk: row for student, row in journal.rows}
    mine = cells[enrolled.student.pk]
    assert (mine[0].total, mine[0].letter, mine[1].total, mine[1].letter) == (
        Decimal("90.00"),
        "A-",
        Decimal("80.00"),
        "B",
    )
    other = cells[enrolled.other_student.pk]
    assert other[1].absent and other[1].total is None


def test_a_retake_result_replaces_the_session_result(session, enrolled, university):
    retake = make_sheet(session.course_a, attempt=2, status=SheetStatus.OPEN)
    make_line(retake, enrolled.other_student, "65", "C", "2.00", 3, passed=True)

    journal = final_journal(group=university.group_a, term=session.course_a.term)

    cells = {student.pk: row for student, row in journal.rows}
    assert cells[enrolled.other_student.pk][0].total == Decimal("65.00")
    assert cells[enrolled.other_student.pk][0].open


def test_the_export_has_a_column_per_course(session, university, english):
    headers, rows = final_journal_export(
        final_journal(group=university.group_a, term=session.course_a.term)
    )
    assert headers[2:] == ["Databases", "Physics"]
    assert ["90.00 A-", "80.00 B"] in [row[2:] for row in rows]


def test_the_curator_reads_their_group_and_not_another(client, cast, session, university):
    client.force_login(cast.curator)
    url = reverse("grades:final-journal")
    term = session.course_a.term.pk

    assert client.get(url, {"group": university.group_a.pk, "term": term}).context["journal"]
    refused = client.get(url, {"group": university.group_b.pk, "term": term})
    assert refused.context["journal"] is None and "group" in refused.context["form"].errors


def test_the_page_and_its_export(client, cast, session, university):
    client.force_login(cast.deanery_a)
    params = {"group": university.group_a.pk, "term": session.course_a.term.pk}

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("grades:final-journal"), params)
    assert page.status_code == 200 and "90.00" in page.content.decode()
    assert len(queries) < 25
    export = client.get(reverse("grades:final-journal"), params | {"export": "xlsx"})
    assert export.status_code == 200
