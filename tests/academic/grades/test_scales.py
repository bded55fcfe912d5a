"""Scales are pure arithmetic (GB-1): tested directly, without a database."""

from decimal import Decimal

import pytest

from academic.grades.scales import (
    DEFAULT_BANDS,
    DEFAULT_SCALE,
    Band,
    Scale,
    ScaleError,
    gpa,
    scale_problems,
)


@pytest.mark.parametrize(
    ("score", "letter", "points", "mark"),
    [
        (100, "A", "4.00", 5),
        (95, "A", "4.00", 5),
        (87, "A-", "3.67", 5),
        (86.5, "A-", "3.67", 5),  # rounded half up, as on paper
        (86.4, "B+", "3.33", 4),
        (86, "B+", "3.33", 4),  # the edges of the issue: 86/87, 73/74, 60/61
        (74, "B", "3.00", 4),
        (73, "C+", "2.33", 3),
        (61, "C", "2.00", 3),
        (60, "F", "0.00", 2),
        (60.49, "F", "0.00", 2),
        (0, "F", "0.00", 2),
    ],
)
def test_the_default_chain(score, letter, points, mark):
    grade = DEFAULT_SCALE.grade(score)
    assert (grade.letter, grade.gpa, grade.mark) == (letter, Decimal(points), mark)
    assert grade.passed == (mark > 2)


def test_scores_outside_the_scale_are_refused():
    for score in (-1, 100.01, "101"):
        with pytest.raises(ScaleError):
            DEFAULT_SCALE.grade(score)


def test_a_pass_fail_credit_passes_from_the_lowest_passing_band():
    assert DEFAULT_SCALE.passing_score() == 61
    assert DEFAULT_SCALE.credit_passed(61)
    assert not DEFAULT_SCALE.credit_passed(60)


def test_gaps_overlaps_and_wrong_marks_are_named():
    bands = [
        Band(0, 59, "F", Decimal(0), 2),
        Band(61, 90, "B", Decimal(3), 4),
        Band(85, 99, "A", Decimal(4), 7),
    ]
    problems = " | ".join(map(str, scale_problems(bands)))
    assert "gap before B at 60" in problems
    assert "overlap before A at 91" in problems
    assert "mark 7" in problems
    assert "end at 99, not at 100" in problems
    with pytest.raises(ScaleError):
        Scale(tuple(bands))


def test_a_higher_score_never_gives_a_lower_mark():
    bands = (Band(0, 49, "X", Decimal(2), 3), Band(50, 100, "Y", Decimal(1), 2))
    assert "never give a lower mark" in " ".join(map(str, scale_problems(bands)))


def test_an_edited_scale_changes_the_chain():
    strict = Scale(
        (
            Band(0, 69, "F", Decimal(0), 2),
            Band(70, 89, "C", Decimal(2), 3),
            Band(90, 100, "A", Decimal(4), 5),
        )
    )
    assert strict.grade(69).mark == 2
    assert DEFAULT_SCALE.grade(69).mark == 3


def test_gpa_is_weighted_by_credits():
    assert gpa([(Decimal("4.00"), 6), (Decimal("3.00"), 3), (Decimal("2.00"), 3)]) == Decimal(
        "3.25"
    )
    assert gpa([]) is None


def test_the_default_bands_cover_every_score_once():
    assert scale_problems(DEFAULT_BANDS) == []
    assert {DEFAULT_SCALE.grade(s).mark for s in range(101)} == {2, 3, 4, 5}


def test_two_bands_may_not_share_a_letter():
    bands = (Band(0, 49, "F", Decimal(0), 2), Band(50, 100, "F", Decimal(4), 5))
    assert [p.kind for p in scale_problems(bands)] == ["letters"]
