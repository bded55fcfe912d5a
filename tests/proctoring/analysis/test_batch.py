"""analyse_batch: every frame analysed, in order, a refused one in its place."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from proctoring.analysis import Baseline, Flag, FrameError, analyse_batch, analyse_frame
from tests.proctoring import frame

NAMES = ["one_face", "two_faces", "no_face_coffee", "face_small", "dark", "covered"]


def test_results_come_in_order_with_errors_in_place():
    frames = [frame(name) for name in NAMES] * 2
    frames.insert(4, b"not a frame")

    results = analyse_batch(frames, workers=2)

    assert isinstance(results[4], FrameError)
    del results[4], frames[4]
    assert [r.flags for r in results] == [analyse_frame(f).flags for f in frames]


def test_each_frame_has_its_own_baseline():
    baseline = Baseline.from_result(analyse_frame(frame("one_face")))
    small = frame("face_small")

    results = analyse_batch([small, small], baselines=[baseline, None])

    assert [r.flags for r in results] == [(Flag.FACE_SMALLER,), ()]


def test_a_long_lived_pool_can_be_given():
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = analyse_batch([frame("two_faces")] * 4, executor=pool)

    assert {r.flags for r in results} == {(Flag.MANY_FACES,)}


def test_baselines_must_match_the_frames():
    with pytest.raises(ValueError, match="one baseline"):
        analyse_batch([frame("one_face")], baselines=[])
