"""analyse_frame on real photographs (scikit-image's astronaut): each flag on its fixture."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from proctoring.analysis import (
    Baseline,
    Box,
    FaceDetector,
    Flag,
    FrameError,
    HaarFaceDetector,
    Thresholds,
    analyse_frame,
)
from proctoring.analysis.frames import jpeg_size
from tests.proctoring import frame


@pytest.fixture(scope="module")
def baseline() -> Baseline:
    found = Baseline.from_result(analyse_frame(frame("one_face")))
    assert found is not None
    return found


def test_a_centred_face_raises_no_flag(baseline):
    result = analyse_frame(frame("one_face"), baseline=baseline)

    assert result.flags == ()
    assert result.is_good
    (face,) = result.faces
    assert 80 <= face.w <= 120  # the astronaut's face, about 100 px of the 320
    assert result.offset < 0.2
    assert result.face_area_ratio == pytest.approx(baseline.face_area_ratio)
    assert result.luminance > 100 and result.contrast > 40


@pytest.mark.parametrize(
    ("name", "flags", "faces"),
    [
        ("two_faces", (Flag.MANY_FACES,), 2),
        ("no_face_coffee", (Flag.NO_FACE,), 0),
        ("no_face_rocket", (Flag.NO_FACE,), 0),
        ("off_centre", (Flag.OFF_CENTRE,), 1),
        ("face_small", (Flag.FACE_SMALLER,), 1),
        ("covered", (Flag.DARK,), 0),
    ],
)
def test_each_fixture_gets_its_flag_and_no_other(baseline, name, flags, faces):
    result = analyse_frame(frame(name), baseline=baseline)

    assert result.flags == flags
    assert len(result.faces) == faces
    assert not result.is_good


def test_a_dark_room_is_flagged_dark_and_the_face_still_counted(baseline):
    result = analyse_frame(frame("dark"), baseline=baseline)

    # One flag for one cause: no NO_FACE on top of DARK, and the face is found
    # in the stretched picture, so a second person in the dark would be too.
    assert result.flags == (Flag.DARK,)
    assert len(result.faces) == 1
    assert result.luminance < 40


def test_a_covered_lens_is_not_searched_for_faces():
    class Refusing:
        def detect(self, gray):
            raise AssertionError("a blank picture went to the detector")

    result = analyse_frame(frame("covered"), detector=Refusing())

    assert result.flags == (Flag.DARK,)
    assert result.contrast < 4


def test_a_smaller_face_needs_a_baseline():
    assert Flag.FACE_SMALLER not in analyse_frame(frame("face_small")).flags


def test_off_centre_and_many_faces_leave_the_other_flags_out(baseline):
    # Two faces, each off the middle: MANY_FACES says it all, no OFF_CENTRE/FACE_SMALLER.
    result = analyse_frame(frame("two_faces"), baseline=baseline)

    assert result.offset is not None and result.offset >= 0.4
    assert result.flags == (Flag.MANY_FACES,)


def test_thresholds_move_the_limits(baseline):
    lenient = Thresholds(off_centre=0.9, smaller_than_baseline=0.2)

    assert analyse_frame(frame("off_centre"), thresholds=lenient).flags == ()
    assert analyse_frame(frame("face_small"), baseline=baseline, thresholds=lenient).flags == ()


@pytest.mark.parametrize("name", ["two_faces", "no_face_coffee", "dark", "covered", "off_centre"])
def test_only_a_good_frame_gives_a_baseline(name):
    assert Baseline.from_result(analyse_frame(frame(name))) is None


def test_the_summary_is_json_ready():
    summary = analyse_frame(frame("two_faces")).summary()

    assert json.loads(json.dumps(summary)) == summary
    assert summary["flags"] == ["many_faces"]
    assert len(summary["faces"]) == 2 and "thumbnail" not in summary


def test_the_thumbnail_is_a_small_jpeg_of_half_the_frame():
    thumbnail = analyse_frame(frame("one_face")).thumbnail

    assert thumbnail.startswith(b"\xff\xd8")
    assert len(thumbnail) < 10_000
    image = cv2.imdecode(np.frombuffer(thumbnail, np.uint8), cv2.IMREAD_COLOR)
    assert image.shape == (120, 160, 3)


def _encoded(image: np.ndarray, ext: str = ".jpg") -> bytes:
    ok, data = cv2.imencode(ext, image)
    assert ok
    return data.tobytes()


def _decoded(name: str) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(frame(name), np.uint8), cv2.IMREAD_COLOR)


def _declaring(width: int, height: int) -> bytes:
    """The one_face JPEG with its size header rewritten: a small file claiming a huge picture."""
    data = bytearray(frame("one_face"))
    at = data.index(b"\xff\xc0")
    data[at + 5 : at + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a JPEG"),
        (b"hello, I am not a picture", "not a JPEG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "no size header"),
        (_encoded(_decoded("one_face"), ".png"), "not a JPEG"),
        (_encoded(cv2.resize(_decoded("one_face"), (640, 480))), "640x480, expected 320x240"),
        (_encoded(cv2.resize(_decoded("one_face"), (240, 320))), "240x320, expected 320x240"),
        (_declaring(30000, 30000), "30000x30000"),
        (frame("one_face")[:400], "cannot be decoded"),
        (b"\xff\xd8" + bytes(300 * 1024), "more than"),
        ("a string", "must be bytes"),
    ],
    ids=[
        "empty",
        "text",
        "header only",
        "png",
        "too big",
        "portrait",
        "huge header",
        "truncated",
        "too many bytes",
        "str",
    ],
)
def test_anything_but_a_320x240_jpeg_is_refused(data, message):
    with pytest.raises(FrameError, match=message):
        analyse_frame(data)


def test_the_size_is_read_from_the_header():
    assert jpeg_size(frame("one_face")) == (320, 240)


def test_another_frame_size_can_be_expected():
    data = _encoded(cv2.resize(_decoded("one_face"), (640, 480)))

    result = analyse_frame(data, size=(640, 480))

    assert (result.width, result.height) == (640, 480)
    assert len(result.faces) == 1


class Stub:
    """A detector that returns what it is told and keeps what it was given."""

    def __init__(self, boxes: list[Box]) -> None:
        self.boxes = boxes
        self.seen: list[np.ndarray] = []

    def detect(self, gray: np.ndarray) -> list[Box]:
        self.seen.append(gray)
        return self.boxes


def test_a_detector_given_is_the_one_used():
    stub = Stub([Box(10, 10, 20, 20), Box(90, 40, 40, 40)])

    result = analyse_frame(frame("one_face"), detector=stub)

    (gray,) = stub.seen
    assert gray.shape == (120, 160) and gray.dtype == np.uint8
    assert result.flags == (Flag.MANY_FACES,)
    # Boxes come back in the frame's pixels (twice the detector's), largest first.
    assert result.faces == (Box(180, 80, 80, 80), Box(20, 20, 40, 40))


def test_a_detector_that_finds_nobody_gives_no_face():
    assert analyse_frame(frame("one_face"), detector=Stub([])).flags == (Flag.NO_FACE,)


def test_the_haar_detector_and_a_stub_fit_the_interface():
    assert isinstance(HaarFaceDetector(), FaceDetector)
    assert isinstance(Stub([]), FaceDetector)
