"""Arithmetic of plans, with no Django in it: semesters of a year, hours split by type.

A base line gives a discipline's hours by type for all its semesters together
and, per semester, only how many hours fall there. Working plans and reports
need the split per semester; `split_hours` shares a semester's hours among the
types in the proportions of the whole line, so the parts add up exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

HOUR_TYPES = ("lecture", "practice", "lab", "independent")


@dataclass(frozen=True)
class HourSplit:
    lecture: int = 0
    practice: int = 0
    lab: int = 0
    independent: int = 0

    @property
    def total(self) -> int:
        return self.lecture + self.practice + self.lab + self.independent

    def __add__(self, other: HourSplit) -> HourSplit:
        return HourSplit(*(getattr(self, t) + getattr(other, t) for t in HOUR_TYPES))

    def scaled(self, times: int) -> HourSplit:
        return HourSplit(*(getattr(self, t) * times for t in HOUR_TYPES))


def split_hours(line: HourSplit, semester_hours: int) -> HourSplit:
    """`semester_hours` shared among the types in the proportions of `line`.

    Classroom types are rounded down; what rounding leaves goes to independent
    work, so the parts always add up to `semester_hours`. A line without hours
    by type puts everything into independent work.
    """
    if line.total <= 0 or semester_hours <= 0:
        return HourSplit(independent=max(semester_hours, 0))
    if semester_hours == line.total:
        return line
    lecture = line.lecture * semester_hours // line.total
    practice = line.practice * semester_hours // line.total
    lab = line.lab * semester_hours // line.total
    return HourSplit(lecture, practice, lab, semester_hours - lecture - practice - lab)


def semester_of(*, intake_year: int, year_start: int, term_number: int) -> int:
    """The semester a cohort admitted in `intake_year` studies in a term.

    The academic year starting in `year_start` is the cohort's course
    `year_start - intake_year + 1`; its first term is the odd semester.
    """
    return 2 * (year_start - intake_year) + term_number


def expected_total_credits(*, credits_per_semester: int, semesters: int) -> int:
    return credits_per_semester * semesters
