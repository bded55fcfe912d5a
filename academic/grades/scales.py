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
            raise ScaleError("; ".join(problems))

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


def scale_problems(bands: Iterable[Band], maximum: int = 100) -> list[str]:
    """Why `bands` do not make a scale over 0..maximum; empty when they do."""
    ordered = sorted(bands, key=lambda b: b.low)
    problems = []
    if not ordered:
        return ["a scale needs at least one band"]
    expected = 0
    for band in ordered:
        if band.low > band.high:
            problems.append(f"the band {band.letter} starts above its end")
        if band.low != expected:
            what = "gap" if band.low > expected else "overlap"
            problems.append(f"a {what} before {band.letter} at {expected}")
        expected = band.high + 1
        if band.mark not in MARKS:
            problems.append(f"the band {band.letter} has mark {band.mark}, not one of 2–5")
        if not Decimal(0) <= Decimal(band.gpa) <= Decimal(4):
            problems.append(f"the band {band.letter} has GPA {band.gpa}, not within 0–4")
    if expected != maximum + 1:
        problems.append(f"the bands end at {expected - 1}, not at {maximum}")
    marks = [b.mark for b in ordered]
    if marks != sorted(marks):
        problems.append("a higher score must never give a lower mark")
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
