"""The attempt page's questions built in Python (hub.testing.rendering): the frozen order,
every kind with its saved answer, the student's text escaped, four queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from hub.testing import rendering
from hub.testing.models import Attempt
from tests.hub.testing.test_views import post_answer, started

pytestmark = pytest.mark.usefixtures("in_english")


def answered(client, cast, setup) -> Attempt:
    """An attempt with an answer to every question but the lake."""
    attempt = started(client, cast, setup)
    question = setup.question
    capital = list(question("capital").options.order_by("pk"))
    mountains = list(question("mountains").options.order_by("pk"))
    pairs = list(question("numbers").pairs.order_by("pk"))
    post_answer(client, attempt, question("capital"), {"option": capital[1].pk}, 1)
    post_answer(client, attempt, question("mountains"), {"options": [mountains[0].pk, mountains[2].pk]}, 1)  # fmt: skip
    post_answer(client, attempt, question("round"), {"value": False}, 1)
    post_answer(client, attempt, question("russia"), {"text": "<b>Мос&ква\"'</b>"}, 2)
    post_answer(client, attempt, question("numbers"), {"matches": {str(pairs[0].pk): pairs[1].pk}}, 1)  # fmt: skip
    return Attempt.objects.get(pk=attempt.pk)


def fieldset(html: str, pk: int) -> str:
    return re.search(rf'<fieldset[^>]* data-question="{pk}".*?</fieldset>', html, re.S).group(0)


def test_the_questions_come_in_the_attempts_order_numbered(client, cast, setup):
    attempt = started(client, cast, setup)

    html, versions = rendering.attempt_questions_html(attempt)

    shown = [int(pk) for pk in re.findall(r'data-question="(\d+)"', html)]
    assert shown == attempt.questions
    assert re.findall(r"<legend>Question (\d+) / 6</legend>", html) == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
    ]
    assert versions == {str(pk): 0 for pk in attempt.questions}


def test_every_kind_shows_its_saved_answer_in_the_frozen_option_order(client, cast, setup):
    attempt = answered(client, cast, setup)
    question = setup.question

    html, versions = rendering.attempt_questions_html(attempt)

    capital = fieldset(html, question("capital").pk)
    order = attempt.option_orders[str(question("capital").pk)]
    assert [int(v) for v in re.findall(r'type="radio" name="q\d+" value="(\d+)"', capital)] == order
    second = sorted(order)[1]
    assert re.findall(r'value="(\d+)" checked', capital) == [str(second)]
    assert f'value="{second}" checked> Ош</label>' in capital
    mountains = sorted(question("mountains").options.values_list("pk", flat=True))
    checked = re.findall(r'value="(\d+)" checked', fieldset(html, question("mountains").pk))
    assert sorted(int(v) for v in checked) == [mountains[0], mountains[2]]
    assert 'value="false" checked> False' in fieldset(html, question("round").pk)
    assert 'value="true">' in fieldset(html, question("round").pk)
    pairs = sorted(question("numbers").pairs.values_list("pk", flat=True))
    numbers = fieldset(html, question("numbers").pk)
    assert re.findall(r'<option value="(\d+)" selected>', numbers) == [str(pairs[1])]
    assert numbers.count('<select name="q') == 3
    lake = fieldset(html, question("lake").pk)
    assert 'value=""' in lake and "checked" not in lake
    assert versions[str(question("russia").pk)] == 2 and versions[str(question("lake").pk)] == 0


def test_the_students_own_text_is_escaped(client, cast, setup):
    attempt = answered(client, cast, setup)

    html, _versions = rendering.attempt_questions_html(attempt)

    russia = fieldset(html, setup.question("russia").pk)
    assert 'value="&lt;b&gt;Мос&amp;ква&quot;&#x27;&lt;/b&gt;"' in russia
    assert "<b>" not in russia


def test_the_questions_take_three_queries_whatever_their_number(
    client, cast, setup, django_assert_num_queries
):
    attempt = answered(client, cast, setup)

    # Questions, options with matching pairs (one union), answers.
    with django_assert_num_queries(3):
        rendering.attempt_questions_html(attempt)


def test_the_page_carries_the_questions_and_their_versions(client, cast, setup):
    attempt = answered(client, cast, setup)

    page = client.get(reverse("testing:attempt", args=[attempt.pk])).content.decode()

    html, _versions = rendering.attempt_questions_html(attempt)
    assert html in page
    assert f'"{setup.question("russia").pk}": 2' in page
