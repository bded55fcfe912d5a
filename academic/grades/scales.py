"""Grading scales (GB-1): a 100-point score → letter → GPA points → 5-point mark.

Pure computation, no Django: the journal, exam sheets, the record book and the
transcript all call it, and the administrator's bands (stored as data) are
turned into a `Scale` to do so. A scale covers every whole score from 0 to its
maximum exactly once; a fractional score is rounded half up first, as paper
sheets do (86.5 counts as 87).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MARKS = (2, 3, 4, 5)


class ScaleError(ValueError):
    """The bands do not make a scale; the message says why."""


@dataclass(frozen=True)
class Band:
    """Scores low..high (inclusive) give this letter, GPA points and 5-point mark."""

    low: int
    high: int
    letter: str
    gpa: Decimal
    mark: int

    @property
    def passed(self) -> bool:
        return self.mark > 2


@dataclass(frozen=True)
class Grade:
    score: Decimal
    rounded: int
    letter: str
    gpa: Decimal
    mark: int
    passed: bool


@dataclass(frozen=True)
class Scale:
    bands: tuple[Band, ...]
    maximum: int = 100

    def __post_init__(self) -> None:
        problems = scale_problems(self.bands, self.maximum)
        if problems:
            raise ScaleError("; ".join(map(str, problems)))

    def grade(self, score: Decimal | int | float | str) -> Grade:
        """The grade of `score` (0..maximum); ScaleError outside that range."""
        value = Decimal(str(score))
        if value < 0 or value > self.maximum:
            raise ScaleError(f"a score lies between 0 and {self.maximum}, not {value}")
        rounded = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        band = next(b for b in self.bands if b.low <= rounded <= b.high)
        return Grade(value, rounded, band.letter, band.gpa, band.mark, band.passed)

    def passing_score(self) -> int:
        """The lowest whole score that passes (a pass/fail credit uses it)."""
        return min(b.low for b in self.bands if b.passed)

    def credit_passed(self, score: Decimal | int | float | str) -> bool:
        """Pass/fail credit: passed from the passing score of the scale."""
        return self.grade(score).passed


@dataclass(frozen=True)
class Problem:
    """Why bands do not make a scale: a `kind` and its values, worded by `str()` in English.

    Pages word the same problems in the user's language from `kind` and
    `values` (academic.grades.actions.settings), so the rules live here once.
    """

    kind: str
    values: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return ENGLISH[self.kind].format(**dict(self.values))


ENGLISH = {
    "empty": "a scale needs at least one band",
    "reversed": "the band {letter} starts above its end",
    "gap": "a gap before {letter} at {at}",
    "overlap": "an overlap before {letter} at {at}",
    "mark": "the band {letter} has mark {mark}, not one of 2–5",
    "gpa": "the band {letter} has GPA {gpa}, not within 0–4",
    "end": "the bands end at {end}, not at {maximum}",
    "falling": "a higher score must never give a lower mark",
    "letters": "every band needs its own letter",
}


def scale_problems(bands: Iterable[Band], maximum: int = 100) -> list[Problem]:
    """Why `bands` do not make a scale over 0..maximum; empty when they do."""
    ordered = sorted(bands, key=lambda b: b.low)
    if not ordered:
        return [Problem("empty")]
    problems = []
    expected = 0
    for band in ordered:
        named = (("letter", band.letter), ("low", band.low), ("high", band.high))
        if band.low > band.high:
            problems.append(Problem("reversed", named))
        if band.low != expected:
            kind = "gap" if band.low > expected else "overlap"
            problems.append(Problem(kind, (*named, ("at", expected), ("before", band.low - 1))))
        expected = band.high + 1
        if band.mark not in MARKS:
            problems.append(Problem("mark", (*named, ("mark", band.mark))))
        if not Decimal(0) <= Decimal(band.gpa) <= Decimal(4):
            problems.append(Problem("gpa", (*named, ("gpa", band.gpa))))
    if expected != maximum + 1:
        problems.append(Problem("end", (("end", expected - 1), ("maximum", maximum))))
    marks = [b.mark for b in ordered]
    if marks != sorted(marks):
        problems.append(Problem("falling"))
    letters = [b.letter for b in ordered]
    if len(set(letters)) != len(letters):
        problems.append(Problem("letters"))
    return problems


def gpa(grades: Iterable[tuple[Decimal, Decimal | int]]) -> Decimal | None:
    """The credit-weighted mean of (GPA points, credits) pairs, to 2 places; None without credits."""
    total = Decimal(0)
    weight = Decimal(0)
    for points, credits in grades:
        total += Decimal(points) * Decimal(credits)
        weight += Decimal(credits)
    if weight == 0:
        return None
    return (total / weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _d(text: str) -> Decimal:
    return Decimal(text)


# The default of a Kyrgyz university (administrators edit it as data):
# 87–100 excellent (5), 74–86 good (4), 61–73 satisfactory (3), below 61 fail (2).
DEFAULT_BANDS = (
    Band(95, 100, "A", _d("4.00"), 5),
    Band(87, 94, "A-", _d("3.67"), 5),
    Band(81, 86, "B+", _d("3.33"), 4),
    Band(74, 80, "B", _d("3.00"), 4),
    Band(68, 73, "C+", _d("2.33"), 3),
    Band(61, 67, "C", _d("2.00"), 3),
    Band(0, 60, "F", _d("0.00"), 2),
)
DEFAULT_SCALE = Scale(DEFAULT_BANDS)
