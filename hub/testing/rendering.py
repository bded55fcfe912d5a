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

from dataclasses import dataclass, field

from django.db.models import F, JSONField, Value
from django.utils.html import escape
from django.utils.translation import gettext as _

from hub.testing.models import Answer, Attempt, Kind, MatchPair, Option, Question, in_language
from hub.testing.selectors import chosen_options


@dataclass
class _Question:
    kind: str
    text: str
    options: dict[int, str] = field(default_factory=dict)  # pk -> label, in model order
    pairs: list[tuple[int, str, str]] = field(default_factory=list)  # pk, prompt, answer


def attempt_questions_html(attempt: Attempt) -> tuple[str, dict[str, int]]:
    """The attempt's questions in its frozen order with the saved answers as HTML, and the
    saved version of each question (for the page's script): three queries, no model rows."""
    questions = _questions(attempt.questions)
    answers = {
        question_id: (response or {}, version)
        for question_id, response, version in Answer.objects.filter(attempt=attempt).values_list(
            "question_id", "response", "version"
        )
    }
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


def _questions(ids: list[int]) -> dict[int, _Question]:
    """The questions' kinds and texts in the active language, with their options and pairs
    (these two in one query: a union sorted as the models order them, by order and pk)."""
    questions = {
        pk: _Question(kind, in_language(text))
        for pk, kind, text in Question.objects.filter(pk__in=ids).values_list("pk", "kind", "text")
    }
    # The same columns in both parts: an option's text or a pair's prompt as `label`, a
    # pair's answer as `match` (none for an option).
    columns = ("pair", "order", "pk", "question_id", "label", "match")
    options = (
        Option.objects.filter(question_id__in=ids)
        .annotate(pair=Value(False), label=F("text"), match=Value(None, JSONField()))
        .values_list(*columns)
        .order_by()
    )
    pairs = (
        MatchPair.objects.filter(question_id__in=ids)
        .annotate(pair=Value(True), label=F("prompt"), match=F("answer"))
        .values_list(*columns)
        .order_by()
    )
    rows = sorted(options.union(pairs, all=True), key=lambda row: row[:3])
    for pair, _order, pk, question_id, label, match in rows:
        if pair:
            questions[question_id].pairs.append((pk, in_language(label), in_language(match)))
        else:
            questions[question_id].options[pk] = in_language(label)
    return questions


def _inputs(pk: int, question: _Question, order: list[int], response: dict) -> str:
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


def _matching(name: str, question: _Question, order: list[int], response: dict) -> str:
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
