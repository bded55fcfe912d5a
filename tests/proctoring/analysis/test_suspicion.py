"""The suspicion score: bounded, ordered by severity, counting episodes rather than frames."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from proctoring.analysis import Flag, FlagEvent, suspicion
from proctoring.analysis.suspicion import episodes


def _run(flag: str, start: float, count: int, every: float = 3.0) -> list[FlagEvent]:
    """`count` frames in a row flagged `flag`, one every `every` seconds from `start`."""
    return [FlagEvent(start + n * every, flag) for n in range(count)]


def test_nothing_flagged_scores_zero():
    assert suspicion([]) == 0.0


def test_flags_are_ordered_by_severity():
    scores = {flag: suspicion([FlagEvent(10.0, flag)]) for flag in Flag}

    assert scores[Flag.MANY_FACES] > scores[Flag.DARK] > scores[Flag.NO_FACE]
    assert scores[Flag.NO_FACE] > scores[Flag.OFF_CENTRE] > 0
    assert scores[Flag.OFF_CENTRE] == scores[Flag.FACE_SMALLER]


def test_a_run_of_frames_is_one_episode_worth_more_the_longer_it_lasts():
    blip = suspicion(_run(Flag.NO_FACE, 0, 1))
    minute = suspicion(_run(Flag.NO_FACE, 0, 20))
    scattered = suspicion([FlagEvent(n * 100.0, Flag.NO_FACE) for n in range(20)])

    assert blip < minute < scattered
    assert episodes(_run(Flag.NO_FACE, 0, 20)) == [("no_face", 57.0)]


def test_more_episodes_score_more_and_never_past_100():
    one = suspicion(_run(Flag.MANY_FACES, 0, 2))
    two = suspicion(_run(Flag.MANY_FACES, 0, 2) + _run(Flag.MANY_FACES, 300, 2))
    many = suspicion([e for n in range(50) for e in _run(Flag.MANY_FACES, n * 300, 30)])

    assert 0 < one < two < many <= 100.0
    assert many == pytest.approx(100.0)


def test_order_of_events_does_not_matter():
    events = _run(Flag.NO_FACE, 0, 5) + _run(Flag.OFF_CENTRE, 40, 3) + _run(Flag.NO_FACE, 200, 2)

    assert suspicion(events) == suspicion(list(reversed(events)))


def test_datetimes_and_plain_tuples_are_accepted():
    start = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    as_datetimes = [(start + timedelta(seconds=3 * n), "no_face") for n in range(5)]

    assert suspicion(as_datetimes) == suspicion(_run(Flag.NO_FACE, 0, 5))


def test_page_events_count_with_weights_of_the_caller():
    events = [FlagEvent(5.0, "tab_hidden")]

    assert suspicion(events) == 0.0
    assert suspicion(events, weights={"tab_hidden": 10.0}) > 0.0
