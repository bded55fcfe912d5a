"""The testing protocol and the results report (TS-8, TS-9): what they say, and Kyrgyz letters
read back from every format they are exported to."""

from __future__ import annotations

import io

import pytest
from defusedxml.ElementTree import fromstring
from django.urls import reverse

from hub.testing import actions, reports, selectors
from hub.testing.models import Question
from tests.hub.testing.conftest import make_test

pytestmark = pytest.mark.usefixtures("in_english")

NAME = "Мөңгүл"  # ң ө ү


@pytest.fixture
def taken(cast, setup, university):
    """A test of two questions: cast.student right on both, cast.other_student (renamed
    with ң ө ү) wrong on the capital and silent on the other."""
    cast.other_student.first_name = NAME
    cast.other_student.save(update_fields=["first_name"])
    capital = setup.question("capital")
    options = {o.shown_text: o.pk for o in capital.options.all()}
    test = make_test(
        cast.teacher, setup.bank, questions=[capital, setup.question("round")],
        group=university.group_a, title="География",
    )  # fmt: skip
    for user, answers in (
        (cast.student, {"capital": {"option": options["Бишкек"]}, "round": {"value": True}}),
        (cast.other_student, {"capital": {"option": options["Ош"]}}),
    ):
        attempt = actions.attempt_start(by=user, test=test)
        for question in Question.objects.filter(pk__in=attempt.questions):
            if question.name in answers:
                actions.answer_save(
                    by=user, attempt=attempt, question_id=question.pk,
                    response=answers[question.name], version=1,
                )  # fmt: skip
        actions.attempt_submit(by=user, attempt=attempt)
    return test


def test_the_protocol_lists_every_attempt_answer_by_answer(taken, cast):
    report = reports.protocol(selectors.test_data(taken))

    attempts, *details = report.sections
    assert [row[1] for row in attempts.rows] == [
        cast.student.get_full_name(),
        cast.other_student.get_full_name(),
    ]
    assert [row[6] for row in attempts.rows] == [100, 0]
    assert len(details) == 2
    by_question = {row[1]: row[2:] for row in details[1].rows}
    assert by_question["Кыргызстандын борбору?"] == ("Ош", "0")
    assert by_question["Земля круглая."] == ("—", "0")
    assert {row[1]: row[2:] for row in details[0].rows}["Земля круглая."] == ("True", "100")


def test_the_results_report_has_scores_questions_and_distribution(taken):
    report = reports.results(selectors.test_data(taken))

    students, questions, distribution = report.sections
    assert [row[4:] for row in students.rows] == [(100, "100.0"), (0, "0.0")]
    assert [row[2:4] for row in questions.rows] == [("2/2", "0.50"), ("1/2", "0.50")]
    assert sum(row[1] for row in distribution.rows) == 2
    assert dict(report.fields)["Mean score"] == "50.00"


def download(client, test, name: str, fmt: str):
    response = client.get(reverse(name, args=[test.pk]), {"export": fmt})
    assert response.status_code == 200
    assert response["Content-Type"] == reports.CONTENT_TYPES[fmt]
    assert f".{fmt}" in response["Content-Disposition"]
    return response.content


def text_of(fmt: str, content: bytes) -> str:
    if fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content)).active
        return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    if fmt == "docx":
        from docx import Document

        document = Document(io.BytesIO(content))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return " ".join([p.text for p in document.paragraphs] + cells)
    if fmt == "pdf":
        from pypdf import PdfReader

        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if fmt == "xml":
        root = fromstring(content)
        return " ".join([e.text or "" for e in root.iter()] + [root.get("title", "")])
    return content.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", reports.REPORT_FORMATS)
@pytest.mark.parametrize("name", ["testing:test-protocol", "testing:test-results"])
def test_kyrgyz_letters_survive_every_format(client, cast, taken, name, fmt):
    client.force_login(cast.teacher)

    text = text_of(fmt, download(client, taken, name, fmt))

    assert NAME in text
    assert "Өмүрбекова" in text
    assert "Testing protocol" in text or "Test results" in text


def test_the_report_page_shows_the_protocol_with_export_links(client, cast, taken):
    client.force_login(cast.teacher)

    response = client.get(reverse("testing:test-protocol", args=[taken.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert NAME in page and "?export=docx" in page


def test_the_reports_are_refused_to_a_student(client, cast, taken):
    client.force_login(cast.student)

    for name in ("testing:test-protocol", "testing:test-results", "testing:test-analysis"):
        assert client.get(reverse(name, args=[taken.pk]), {"export": "pdf"}).status_code == 404


def test_the_protocol_costs_the_same_for_one_or_several_attempts(client, cast, setup, university):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    test = make_test(cast.teacher, setup.bank, group=university.group_a, attempts_allowed=3)
    client.force_login(cast.teacher)
    url = reverse("testing:test-protocol", args=[test.pk])

    def queries() -> int:
        client.get(url, {"export": "txt"})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"export": "txt"}).status_code == 200
        return len(captured)

    actions.attempt_submit(
        by=cast.student, attempt=actions.attempt_start(by=cast.student, test=test)
    )
    one = queries()
    for user in (cast.student, cast.other_student, cast.other_student):
        actions.attempt_submit(by=user, attempt=actions.attempt_start(by=user, test=test))

    assert queries() == one
