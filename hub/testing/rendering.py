"""The questions of an attempt page as HTML, built in Python.

At an exam's start every student of a stream opens this page within seconds
(issue 8: 500 in 10 s). Through the template engine and model instances the
question list cost ~9 ms of CPU per page (20 questions: ~400 variable lookups,
~220 number localisations, 100 model objects with their JSON fields); read as
plain rows and joined with f-strings, the Python part is a few tenths of a
millisecond. The markup is the template's as it was (compared for every kind,
answered and not, when this was written) and what test-attempt.js reads
(tests/hub/testing/test_rendering.py, tests/e2e/test_proctored_test.py).

Question, option and matching-prompt texts are stored sanitised
(formats.html.sanitise_html, on every save and import), so they are written as
they are, as the template wrote them with |safe; matching answers and
everything the student typed are escaped.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import gettext as _

from hub.testing.models import Answer, Attempt, Kind
from hub.testing.selectors import QuestionContent, chosen_options, question_content


def attempt_questions_html(attempt: Attempt) -> tuple[str, dict[str, int]]:
    """The attempt's questions in its frozen order with the saved answers as HTML, and the
    saved version of each question (for the page's script): three queries, no model rows;
    none for an attempt just drawn (actions.attempt_start), which carries its questions'
    content as read for its option orders and has no answers yet."""
    drawn = getattr(attempt, "drawn_content", None)
    questions = drawn if drawn is not None else question_content(attempt.questions)
    answers = {} if drawn is not None else _answers(attempt)
    shown = [pk for pk in attempt.questions if pk in questions]
    label = _("Question")
    parts, versions = [], {}
    for number, pk in enumerate(shown, start=1):
        response, version = answers.get(pk, ({}, 0))
        versions[str(pk)] = version
        question = questions[pk]
        order = attempt.option_orders.get(str(pk), [])
        parts.append(
            f'<fieldset class="card question" data-question="{pk}" data-kind="{question.kind}">'
            f"<legend>{label} {number} / {len(shown)}</legend>"
            f'<div class="question__text">{question.text}</div>'
            f"{_inputs(pk, question, order, response)}</fieldset>"
        )
    return "\n".join(parts), versions


def _answers(attempt: Attempt) -> dict[int, tuple[dict, int]]:
    """The attempt's saved answers: question id -> (response, version)."""
    return {
        question_id: (response or {}, version)
        for question_id, response, version in Answer.objects.filter(attempt=attempt).values_list(
            "question_id", "response", "version"
        )
    }


def _inputs(pk: int, question: QuestionContent, order: list[int], response: dict) -> str:
    name = f"q{pk}"
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        kind = "radio" if question.kind == Kind.SINGLE else "checkbox"
        chosen = chosen_options(question.kind, response)
        return "".join(
            f'<label class="choice"><input type="{kind}" name="{name}" value="{option}"'
            f"{_checked(option in chosen)}> {question.options[option]}</label>"
            for option in order
            if option in question.options
        )
    if question.kind == Kind.TRUE_FALSE:
        value = response.get("value")
        return (
            f'<label class="choice"><input type="radio" name="{name}" value="true"'
            f"{_checked(value is True)}> {_('True')}</label>"
            f'<label class="choice"><input type="radio" name="{name}" value="false"'
            f"{_checked(value is False)}> {_('False')}</label>"
        )
    if question.kind == Kind.SHORT:
        text = escape(response.get("text") or "")
        return (
            f'<label>{_("Answer")} <input type="text" name="{name}" value="{text}" '
            'maxlength="1000" autocomplete="off"></label>'
        )
    return _matching(name, question, order, response)


def _matching(name: str, question: QuestionContent, order: list[int], response: dict) -> str:
    answers = {pk: escape(answer) for pk, _prompt, answer in question.pairs}
    shown = [pk for pk in order if pk in answers]
    matches = response.get("matches") or {}
    rows = []
    for pair, prompt, _answer in question.pairs:
        chosen = matches.get(str(pair))
        options = "".join(
            f'<option value="{pk}"{" selected" if pk == chosen else ""}>{answers[pk]}</option>'
            for pk in shown
        )
        rows.append(
            f'<label class="match">{prompt} <select name="{name}" data-pair="{pair}">'
            f'<option value="">—</option>{options}</select></label>'
        )
    return "".join(rows)


def _checked(on: bool) -> str:
    return " checked" if on else ""
