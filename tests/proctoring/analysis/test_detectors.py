"""The Haar detector: the cascades of the wheel, its fallback to profiles, its threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest

from proctoring.analysis import Box, HaarFaceDetector
from proctoring.analysis.detectors import merge
from tests.proctoring import frame

NAMES = ["one_face", "two_faces", "no_face_coffee", "off_centre", "face_small", "dark"]


def _gray(name: str) -> np.ndarray:
    data = np.frombuffer(frame(name), np.uint8)
    return cv2.imdecode(data, cv2.IMREAD_REDUCED_GRAYSCALE_2)


def test_it_finds_the_faces_of_the_fixtures():
    detector = HaarFaceDetector()

    assert len(detector.detect(_gray("one_face"))) == 1
    assert len(detector.detect(_gray("two_faces"))) == 2
    assert detector.detect(_gray("no_face_coffee")) == []


class Recording:
    """Stands in for a cv2.CascadeClassifier: answers from a list, records each image."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.images: list[np.ndarray] = []

    def detectMultiScale(self, gray, **kwargs):  # OpenCV's method name
        self.images.append(gray)
        return self.answers.pop(0)


def _with(detector: HaarFaceDetector, frontal, profile) -> HaarFaceDetector:
    detector._local.cascades = (frontal, profile)
    return detector


def test_profiles_are_looked_for_only_when_no_frontal_face_is_found():
    frontal, profile = Recording([(10, 10, 30, 30)]), Recording()
    detector = _with(HaarFaceDetector(), frontal, profile)

    assert detector.detect(_gray("one_face")) == [Box(10, 10, 30, 30)]
    assert profile.images == []


def test_a_face_turned_the_other_way_is_found_in_the_mirror():
    gray = _gray("no_face_coffee")
    frontal = Recording(())
    # Nothing turned one way; in the mirror, a face at x=20 of the 160-px image.
    profile = Recording((), [(20, 30, 40, 40)])
    detector = _with(HaarFaceDetector(), frontal, profile)

    assert detector.detect(gray) == [Box(100, 30, 40, 40)]
    assert np.array_equal(profile.images[1], cv2.flip(gray, 1))


def test_without_mirror_or_profile_fewer_cascades_run():
    gray = _gray("no_face_coffee")
    profile = Recording(())
    detector = _with(HaarFaceDetector(mirrored=False), Recording(()), profile)
    assert detector.detect(gray) == []
    assert len(profile.images) == 1

    bare = HaarFaceDetector(profile=None)
    assert bare.detect(gray) == []


def test_a_missing_cascade_fails_at_once(tmp_path: Path):
    with pytest.raises(RuntimeError, match="cannot load"):
        HaarFaceDetector(frontal=tmp_path / "nowhere.xml")


def test_one_detector_is_safe_from_several_threads():
    detector = HaarFaceDetector()
    grays = [_gray(name) for name in NAMES] * 4
    alone = [detector.detect(g) for g in grays]

    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(detector.detect, grays))

    assert together == alone


def test_merge_keeps_one_box_per_face():
    a, same_face, elsewhere = Box(0, 0, 40, 40), Box(5, 5, 30, 30), Box(100, 0, 40, 40)

    assert merge([a], [same_face, elsewhere]) == [a, elsewhere]
    assert a.overlap(same_face) == 1.0
    assert a.overlap(elsewhere) == 0.0
    assert a.scaled(2) == Box(0, 0, 80, 80)
    assert a.centre == (20.0, 20.0)
