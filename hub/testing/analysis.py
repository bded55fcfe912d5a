"""Question analysis of a test (TS-7, TS-9): pure functions over plain data, and the selector
that gathers it.

Over the submitted, non-annulled attempts (an annulled result says nothing about the
questions; one in progress is not finished), per question:

- difficulty index: the mean fraction of the question's mark earned (1 = everyone right,
  0 = nobody), over the attempts that were given the question;
- discrimination index D (upper–lower 27 %): attempts ranked by total score; the mean
  fraction earned by the top 27 % minus that of the bottom 27 % (each group at least one
  attempt; none with fewer than two attempts, ties in score broken by attempt order);
- point-biserial correlation: the Pearson correlation of the fraction earned on the question
  with the attempt's total score (for right/wrong items exactly the point-biserial
  coefficient; for partial credit its natural extension); none when either does not vary;
- choice frequencies: how many chose each option (single and multiple choice), true and
  false, each distinct short answer, and each matching answer per prompt; the page lists
  the SHORT_ANSWERS_SHOWN most common short answers and counts the rest together as
  "other answers", so that the counts add up to the answers given;
- answered: how many of the attempts gave any answer to it.

The score distribution is a histogram of the attempts' scores in equal bins from 0 to the
test's maximum, the maximum itself in the last bin.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

UPPER_LOWER_SHARE = 0.27
# A short-answer question may get as many answers as attempts: the page lists the most
# common ones and counts the others together.
SHORT_ANSWERS_SHOWN = 10


@dataclass(frozen=True)
class AttemptData:
    """One attempt as analysed: its total score, the fraction earned per question it was
    given (question id → 0..1) and its responses (question id → response dict)."""

    score: float
    fractions: dict[int, float]
    responses: dict[int, dict] = field(default_factory=dict)


@dataclass
class QuestionStats:
    question_id: int
    given: int = 0
    answered: int = 0
    difficulty: float | None = None
    discrimination: float | None = None
    point_biserial: float | None = None
    # Choice key (option id, True/False, the short answer text, "prompt id:answer id") → count.
    choices: Counter = field(default_factory=Counter)

    @property
    def other_answers(self) -> int:
        """For a short-answer question: how many answers are not among the
        SHORT_ANSWERS_SHOWN most common ones listed (see `others_count`)."""
        return others_count(self.choices)


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int

    @property
    def label(self) -> str:
        return f"{_number(self.low)}–{_number(self.high)}"


def _number(value: float) -> str:
    return f"{value:g}"


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """The Pearson correlation of two equally long series; None when either does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def is_answered(response: dict | None) -> bool:
    """Did the response give anything (an option, a value, a text, a match)?"""
    if not response:
        return False
    return any(value not in (None, "", [], {}) for value in response.values())


def choice_keys(response: dict | None) -> list:
    """What a response chose, as keys for the frequencies."""
    if not is_answered(response):
        return []
    if response.get("option") is not None:
        return [response["option"]]
    if "options" in response:
        return list(response["options"])
    if response.get("value") is not None:
        return [bool(response["value"])]
    if "text" in response:
        return [" ".join(str(response["text"]).split()).casefold()]
    matches = response.get("matches") or {}
    return [f"{prompt}:{chosen}" for prompt, chosen in sorted(matches.items())]


def others_count(choices: Counter, shown: int = SHORT_ANSWERS_SHOWN) -> int:
    """How many chose something outside the `shown` most common choices: with the counts
    of those listed it adds up to all the choices made. Which of equally common choices
    are listed does not change it (the `shown` largest counts are the same)."""
    return sum(sorted(choices.values(), reverse=True)[shown:])


def upper_lower_groups(
    attempts: list[AttemptData],
) -> tuple[list[AttemptData], list[AttemptData]]:
    """The top and bottom 27 % of the attempts by score (at least one each; empty lists for
    fewer than two attempts). The sort is stable: equal scores keep their order."""
    if len(attempts) < 2:
        return [], []
    size = max(1, round(len(attempts) * UPPER_LOWER_SHARE))
    ranked = sorted(attempts, key=lambda a: a.score, reverse=True)
    return ranked[:size], ranked[-size:]


def question_stats(attempts: list[AttemptData], question_ids: list[int]) -> list[QuestionStats]:
    """The statistics of each question of `question_ids` (in that order) over `attempts`."""
    upper, lower = upper_lower_groups(attempts)
    stats = []
    for qid in question_ids:
        row = QuestionStats(question_id=qid)
        having = [a for a in attempts if qid in a.fractions]
        row.given = len(having)
        fractions = [a.fractions[qid] for a in having]
        row.difficulty = _mean(fractions)
        for attempt in having:
            response = attempt.responses.get(qid)
            if is_answered(response):
                row.answered += 1
                row.choices.update(choice_keys(response))
        top = _mean([a.fractions[qid] for a in upper if qid in a.fractions])
        bottom = _mean([a.fractions[qid] for a in lower if qid in a.fractions])
        if top is not None and bottom is not None:
            row.discrimination = top - bottom
        row.point_biserial = pearson(fractions, [a.score for a in having])
        stats.append(row)
    return stats


def histogram(scores: list[float], maximum: float, bins: int = 10) -> list[Bin]:
    """`bins` equal bins from 0 to `maximum`; a score at the maximum (or above, or below 0)
    falls in the last (first) bin."""
    maximum = float(maximum) or 1.0
    width = maximum / bins
    counts = [0] * bins
    for score in scores:
        index = int(float(score) // width) if width else 0
        counts[min(max(index, 0), bins - 1)] += 1
    return [Bin(low=i * width, high=(i + 1) * width, count=counts[i]) for i in range(bins)]


def summary(scores: list[float]) -> dict[str, float | None]:
    """Count, mean, median, minimum, maximum and standard deviation of the scores."""
    if not scores:
        return {"count": 0, "mean": None, "median": None, "min": None, "max": None, "sd": None}
    ordered = sorted(scores)
    n = len(ordered)
    middle = n // 2
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    mean = sum(ordered) / n
    sd = math.sqrt(sum((s - mean) ** 2 for s in ordered) / n)
    return {"count": n, "mean": mean, "median": median, "min": ordered[0], "max": ordered[-1],
            "sd": sd}  # fmt: skip


def to_float(value: Decimal | str | float | None) -> float:
    return float(value) if value not in (None, "") else 0.0
