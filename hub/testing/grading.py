"""Automatic grading of one answer (TS-6): the fraction of the question's mark it earns.

Responses are what the attempt page sends, checked by `normalise_response`:
single `{"option": id}`, multiple `{"options": [ids]}`, true/false
`{"value": bool}`, short answer `{"text": str}`, matching
`{"matches": {"<pair id>": <pair id whose answer was chosen>}}`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from hub.errors import DomainError
from hub.testing.models import Kind, PartialCredit, Question

ZERO, ONE = Decimal(0), Decimal(1)


def _ids(values) -> list[int]:
    try:
        return [int(v) for v in values]
    except (TypeError, ValueError):
        raise DomainError(_("This answer is not understood.")) from None


def normalise_response(kind: str, response) -> dict:
    """The response reduced to its documented shape; DomainError when it is not one."""
    if not isinstance(response, dict):
        raise DomainError(_("This answer is not understood."))
    if kind == Kind.SINGLE:
        option = response.get("option")
        return {"option": None if option in (None, "") else _ids([option])[0]}
    if kind == Kind.MULTIPLE:
        return {"options": sorted(set(_ids(response.get("options") or [])))}
    if kind == Kind.TRUE_FALSE:
        value = response.get("value")
        if value not in (True, False, None):
            raise DomainError(_("This answer is not understood."))
        return {"value": value}
    if kind == Kind.SHORT:
        text = response.get("text") or ""
        if not isinstance(text, str) or len(text) > 1000:
            raise DomainError(_("This answer is not understood."))
        return {"text": text}
    matches = response.get("matches") or {}
    if not isinstance(matches, dict):
        raise DomainError(_("This answer is not understood."))
    keys = _ids(matches.keys())
    values = _ids(v for v in matches.values() if v not in (None, ""))
    chosen = {k: v for k, v in zip(keys, values, strict=False) if v is not None}
    return {"matches": {str(k): v for k, v in chosen.items()}}


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, ZERO), ONE)


def _multiple(question: Question, chosen: set[int]) -> Decimal:
    options = list(question.options.all())
    right = {o.pk for o in options if o.fraction > 0}
    if question.partial_credit == PartialCredit.ALL_OR_NOTHING:
        return ONE if chosen == right else ZERO
    earned = ZERO
    for option in options:
        if option.pk not in chosen:
            continue
        # An option with a fraction of its own earns or costs it; a plain wrong one costs
        # the question's penalty.
        earned += option.fraction if option.fraction else -question.penalty
    return _clamp(earned)


def _same_text(given: str, accepted: str, case_sensitive: bool) -> bool:
    given, accepted = " ".join(given.split()), " ".join(accepted.split())
    return given == accepted if case_sensitive else given.casefold() == accepted.casefold()


def grade(question: Question, response: dict | None) -> Decimal:
    """The fraction (0..1) of the mark earned; reads options, short answers and pairs
    (prefetched by the caller)."""
    if not response:
        return ZERO
    kind = question.kind
    if kind == Kind.SINGLE:
        option = next((o for o in question.options.all() if o.pk == response.get("option")), None)
        return _clamp(option.fraction) if option else ZERO
    if kind == Kind.MULTIPLE:
        return _multiple(question, set(response.get("options") or []))
    if kind == Kind.TRUE_FALSE:
        value = response.get("value")
        return ONE if value is not None and value == question.truth else ZERO
    if kind == Kind.SHORT:
        text = response.get("text") or ""
        fractions = [
            a.fraction
            for a in question.short_answers.all()
            if text.strip() and _same_text(text, a.text, question.case_sensitive)
        ]
        return _clamp(max(fractions, default=ZERO))
    pairs = {p.pk: p for p in question.pairs.all()}
    if not pairs:
        return ZERO
    matches = response.get("matches") or {}
    right = sum(
        1
        for pk, pair in pairs.items()
        if matches.get(str(pk)) in pairs and pairs[matches[str(pk)]].answer == pair.answer
    )
    return _clamp(Decimal(right) / Decimal(len(pairs)))
