"""One camera frame in, its flags, faces, measurements and thumbnail out.

The browser sends a 320x240 JPEG every few seconds. `analyse_frame` decodes it
at half size (libjpeg scales while decoding, so 160x120 costs less than the
full frame), which is at once the thumbnail kept for the proctor and the image
the face detector sees; it then measures the light, counts the faces and
compares the face with the attempt's baseline (its first good frame).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

import cv2
import numpy as np

from proctoring.analysis.detectors import Box, FaceDetector, HaarFaceDetector

FRAME_SIZE = (320, 240)
MAX_FRAME_BYTES = 256 * 1024
THUMBNAIL_QUALITY = 70
# The frame is decoded at 1/REDUCTION of its size: the detector's image and the thumbnail.
REDUCTION = 2


class Flag(StrEnum):
    """What a frame can be flagged for; the values are stored, do not rename them."""

    NO_FACE = "no_face"
    MANY_FACES = "many_faces"
    OFF_CENTRE = "off_centre"
    FACE_SMALLER = "face_smaller"
    DARK = "dark"


class FrameError(ValueError):
    """The upload is not a JPEG camera frame of the expected size: refused, not analysed."""


@dataclass(frozen=True)
class Thresholds:
    """When a frame is flagged. Grey levels are 0..255 on the frame's luminance.

    dark_luminance 40: below this mean the room is dark or the lens covered
    (an ordinary lit face frame is 100..170, a night scene with lights 60).
    min_contrast 10: below this standard deviation the picture is flat — a
    finger, tape or paper on the lens even in daylight — and flagged DARK too.
    blank_contrast 4: below this there is nothing a detector could find (a
    covered lens is about 1), so detection is skipped.
    off_centre 0.6: how far the face centre may be from the frame centre, as a
    fraction of the way to the nearest edge along either axis (0 centre, 1 the
    edge): beyond it the student has moved or turned out of the picture.
    smaller_than_baseline 0.5: a face whose area is below this share of the
    baseline face's area has moved back from the camera (leaving, or reading
    something away from the screen).
    """

    dark_luminance: float = 40.0
    min_contrast: float = 10.0
    blank_contrast: float = 4.0
    off_centre: float = 0.6
    smaller_than_baseline: float = 0.5


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class FrameResult:
    """The analysis of one frame.

    faces: boxes in the frame's pixels (320x240), largest first.
    luminance / contrast: mean and standard deviation of the grey levels.
    face_area_ratio: the largest face's area over the frame's (0 with no face).
    offset: the largest face's distance from the centre, 0..1 (see
    Thresholds.off_centre); None with no face.
    thumbnail: a JPEG of half the frame's size (160x120).
    """

    flags: tuple[Flag, ...]
    faces: tuple[Box, ...]
    width: int
    height: int
    luminance: float
    contrast: float
    face_area_ratio: float
    offset: float | None
    thumbnail: bytes = field(repr=False)

    @property
    def is_good(self) -> bool:
        """No flag and exactly one face: fit to be the attempt's baseline."""
        return not self.flags and len(self.faces) == 1

    def summary(self) -> dict:
        """Everything but the thumbnail, as JSON-ready values (flags by their stored names)."""
        return {
            "flags": [str(flag) for flag in self.flags],
            "faces": [list(box) for box in self.faces],
            "width": self.width,
            "height": self.height,
            "luminance": round(self.luminance, 1),
            "contrast": round(self.contrast, 1),
            "face_area_ratio": round(self.face_area_ratio, 4),
            "offset": None if self.offset is None else round(self.offset, 3),
        }


@dataclass(frozen=True)
class Baseline:
    """The student's face at the start of the attempt, from its first good frame."""

    face_area_ratio: float
    offset: float

    @classmethod
    def from_result(cls, result: FrameResult) -> Baseline | None:
        """The baseline a good frame gives, or None for a frame that is not good."""
        if not result.is_good or result.offset is None:
            return None
        return cls(face_area_ratio=result.face_area_ratio, offset=result.offset)


@cache
def default_detector() -> HaarFaceDetector:
    """The shared Haar detector (its classifiers are per thread, so sharing it is safe)."""
    return HaarFaceDetector()


def analyse_frame(
    jpeg: bytes,
    *,
    baseline: Baseline | None = None,
    detector: FaceDetector | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    size: tuple[int, int] = FRAME_SIZE,
) -> FrameResult:
    """Decode, measure and flag one frame; raises FrameError for anything but a `size` JPEG."""
    small = decode(jpeg, size=size)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    mean, std = (float(v[0, 0]) for v in cv2.meanStdDev(gray))
    dark = mean < thresholds.dark_luminance or std < thresholds.min_contrast
    faces = _faces(gray, dark=dark, std=std, detector=detector, thresholds=thresholds)
    width, height = size
    area_ratio = faces[0].area / (width * height) if faces else 0.0
    offset = _offset(faces[0], width, height) if faces else None
    flags = _flags(
        faces=faces,
        dark=dark,
        area_ratio=area_ratio,
        offset=offset,
        baseline=baseline,
        thresholds=thresholds,
    )
    return FrameResult(
        flags=flags,
        faces=tuple(faces),
        width=width,
        height=height,
        luminance=mean,
        contrast=std,
        face_area_ratio=area_ratio,
        offset=offset,
        thumbnail=_thumbnail(small),
    )


def decode(jpeg: bytes, *, size: tuple[int, int] = FRAME_SIZE) -> np.ndarray:
    """The frame as a BGR image of half its size; FrameError unless a JPEG of exactly `size`."""
    if not isinstance(jpeg, bytes | bytearray | memoryview):
        raise FrameError("a frame must be bytes")
    if len(jpeg) > MAX_FRAME_BYTES:
        raise FrameError(f"frame of {len(jpeg)} bytes, more than {MAX_FRAME_BYTES}")
    # The size from the header, before decoding: a small file can declare a
    # huge picture, and decoding it would take the memory of the worker.
    declared = jpeg_size(bytes(jpeg))
    if declared != size:
        raise FrameError(f"frame of {declared[0]}x{declared[1]}, expected {size[0]}x{size[1]}")
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_REDUCED_COLOR_2)
    expected = (math.ceil(size[1] / REDUCTION), math.ceil(size[0] / REDUCTION), 3)
    if image is None or image.shape != expected:
        raise FrameError("the JPEG cannot be decoded")
    return image


# Start-of-frame markers, the ones carrying the picture's size (not DHT C4, JPG C8, DAC CC).
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) read from a JPEG's start-of-frame header; FrameError if there is none."""
    if not data.startswith(b"\xff\xd8"):
        raise FrameError("not a JPEG")
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            break
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if marker in _SOF and at + 9 <= len(data):
            height = int.from_bytes(data[at + 5 : at + 7], "big")
            width = int.from_bytes(data[at + 7 : at + 9], "big")
            return width, height
        if marker == 0xDA or length < 2:  # start of scan: no size header before it
            break
        at += 2 + length
    raise FrameError("not a JPEG: no size header")


def _faces(
    gray: np.ndarray,
    *,
    dark: bool,
    std: float,
    detector: FaceDetector | None,
    thresholds: Thresholds,
) -> list[Box]:
    """Faces in frame pixels, largest first; none looked for in a blank picture."""
    if std < thresholds.blank_contrast:
        return []
    if dark:
        # Stretch a dim picture's few grey levels so a face in a dark room is still counted.
        gray = cv2.equalizeHist(gray)
    found = (detector or default_detector()).detect(gray)
    return sorted((box.scaled(REDUCTION) for box in found), key=lambda b: -b.area)


def _offset(face: Box, width: int, height: int) -> float:
    x, y = face.centre
    return max(abs(x - width / 2) / (width / 2), abs(y - height / 2) / (height / 2))


def _flags(
    *,
    faces: list[Box],
    dark: bool,
    area_ratio: float,
    offset: float | None,
    baseline: Baseline | None,
    thresholds: Thresholds,
) -> tuple[Flag, ...]:
    flags = set()
    if dark:
        flags.add(Flag.DARK)
    if not faces and not dark:
        # In the dark the missing face is the darkness's doing: one flag for one cause.
        flags.add(Flag.NO_FACE)
    if len(faces) > 1:
        flags.add(Flag.MANY_FACES)
    if len(faces) == 1:
        # With several faces position and size say nothing about the student's.
        if offset is not None and offset > thresholds.off_centre:
            flags.add(Flag.OFF_CENTRE)
        if (
            baseline is not None
            and area_ratio < thresholds.smaller_than_baseline * baseline.face_area_ratio
        ):
            flags.add(Flag.FACE_SMALLER)
    return tuple(flag for flag in Flag if flag in flags)


def _thumbnail(small: np.ndarray) -> bytes:
    ok, encoded = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, THUMBNAIL_QUALITY])
    if not ok:  # pragma: no cover - encoding a decoded uint8 image does not fail
        raise RuntimeError("cannot encode the thumbnail")
    return encoded.tobytes()
