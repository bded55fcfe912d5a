"""The record book and transcript pages: results from closed sheets, exports, constant queries."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.curricula.models import ControlForm


def test_the_record_book_page_shows_the_retake_result(client, cast, results, enrolled):
    results.add(enrolled.student, semester=2, code="D2", credits=6, total=50)
    results.add(enrolled.student, semester=2, code="D2", credits=6, total=82, attempt=2)
    client.force_login(cast.student)

    response = client.get(reverse("grades:documents-record-book", args=[enrolled.student.pk]))

    assert response.status_code == 200
    ((term, _rows),) = response.context["terms"]
    assert [(r.letter, r.attempt) for r in term.results] == [("B+", 2)]
    assert "Subject D2" in response.content.decode()  # the user reads English


def test_the_transcript_page_shows_gpa_per_semester_and_cumulative(client, cast, results, enrolled):
    results.add(enrolled.student, semester=1, code="A1", credits=5, total=95)
    results.add(enrolled.student, semester=1, code="B1", credits=4, total=75)
    results.add(enrolled.student, semester=2, code="D2", credits=6, total=82)
    client.force_login(cast.curator)

    page = client.get(reverse("grades:documents-transcript", args=[enrolled.student.pk]))

    html = page.content.decode()
    # (4×5 + 3×4) / 9 = 3.56; (32 + 3.33×6) / 15 = 3.4653…
    assert 'data-term-gpa="1">3.56<' in html
    assert 'data-term-gpa="2">3.33<' in html
    assert "data-gpa>3.47<" in html


def test_the_transcript_exports_to_csv(client, cast, results, enrolled, in_english):
    results.add(enrolled.student, semester=1, code="A1", credits=5, total=95)
    results.add(
        enrolled.student, semester=1, code="C1", credits=3, total=70, form=ControlForm.CREDIT
    )
    client.force_login(cast.deanery_a)

    response = client.get(
        reverse("grades:documents-transcript", args=[enrolled.student.pk]), {"export": "csv"}
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1:7] == ["A1", "Subject A1", "5", "95.00", "A", "4.00"]
    assert rows[-1][2:7] == ["Cumulative GPA", "8", "", "", "4.00"]


def test_the_record_book_exports_to_xlsx_and_pdf(client, cast, results, enrolled):
    results.add(enrolled.student, semester=1, code="A1", credits=5, total=95)
    client.force_login(cast.parent)
    url = reverse("grades:documents-record-book", args=[enrolled.student.pk])

    assert client.get(url, {"export": "xlsx"})["Content-Type"].startswith("application/vnd")
    assert client.get(url, {"export": "pdf"}).content.startswith(b"%PDF")


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_of_60_courses_take_as_many_queries_as_of_10(client, cast, results, enrolled):
    for n in range(10):
        results.add(enrolled.student, semester=n % 8 + 1, code=f"Q{n:02d}", total=60 + n)
    for n in range(60):
        results.add(enrolled.other_student, semester=n % 8 + 1, code=f"Q{n:02d}", total=40 + n % 60)
    client.force_login(cast.deanery_a)

    for name in ("documents-transcript", "documents-record-book"):
        few = _count(client, reverse(f"grades:{name}", args=[enrolled.student.pk]))
        many = _count(client, reverse(f"grades:{name}", args=[enrolled.other_student.pk]))
        assert few == many, name
