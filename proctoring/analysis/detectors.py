"""Face detectors: the interface the frame analysis calls, and the default on Haar cascades.

A detector gets a grayscale image (the frame decoded at half size: 160x120 for
the 320x240 frames the browser sends) and returns the faces it found as boxes
in that image's pixels. Any object with such a `detect` method can be passed
to `analyse_frame(..., detector=...)`: a DNN, a stub in tests.

Detectors are called from several threads at once by `analyse_batch`: an
implementation must be safe for that (the Haar one keeps one OpenCV
classifier per thread, as a `cv2.CascadeClassifier` is not).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol, runtime_checkable

import cv2
import numpy as np

CASCADES = Path(cv2.data.haarcascades)
# alt2 rather than "default": on our fixtures at half size it finds the small
# (distant) face at every scale step tried, and is as fast.
FRONTAL = CASCADES / "haarcascade_frontalface_alt2.xml"
PROFILE = CASCADES / "haarcascade_profileface.xml"


class Box(NamedTuple):
    """A face: left, top, width, height in pixels of the image it was found in."""

    x: int
    y: int
    w: int
    h: int

    @property
    def area(self) -> int:
        return self.w * self.h

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)

    def scaled(self, factor: float) -> Box:
        return Box(*(round(v * factor) for v in self))

    def overlap(self, other: Box) -> float:
        """Shared area over the smaller box's area: 1.0 when one box holds the other."""
        width = min(self.x + self.w, other.x + other.w) - max(self.x, other.x)
        height = min(self.y + self.h, other.y + other.h) - max(self.y, other.y)
        if width <= 0 or height <= 0:
            return 0.0
        return width * height / min(self.area, other.area)


@runtime_checkable
class FaceDetector(Protocol):
    """What `analyse_frame` needs from a face detector; must be safe to call from several threads."""

    def detect(self, gray: np.ndarray) -> list[Box]:
        """The faces in a 2-D uint8 grayscale image, as boxes in its pixels."""
        ...


@dataclass(frozen=True)
class CascadeParams:
    """`detectMultiScale` arguments, tuned for the 160x120 half-size frame.

    scale_factor 1.15: 1.1 finds the same faces on the fixtures for 1.4x the
    time, 1.2 starts to miss the distant face with some cascades.
    min_neighbors 4: no false face on the fixtures' cups, rockets and flags at 3
    either, 4 keeps a margin on real webcam backgrounds.
    min_size 24: a face at least 48 px wide in the 320x240 frame (15% of its
    width; a student at a laptop shows 80..140 px). 20, the cascades' own
    window, costs 1.4x for faces nobody sits that far away with.
    """

    scale_factor: float = 1.15
    min_neighbors: int = 4
    min_size: int = 24

    def kwargs(self) -> dict:
        return {
            "scaleFactor": self.scale_factor,
            "minNeighbors": self.min_neighbors,
            "minSize": (self.min_size, self.min_size),
        }


def load_cascade(path: Path) -> cv2.CascadeClassifier:
    cascade = cv2.CascadeClassifier(str(path))
    if cascade.empty():
        raise RuntimeError(f"cannot load the Haar cascade {path}")
    return cascade


class HaarFaceDetector:
    """Faces with OpenCV's Haar cascades from the opencv-python-headless wheel.

    The frontal cascade first; only when it finds nothing, the profile cascade
    on the image and on its mirror (the cascade knows faces turned one way
    only). A student turned aside is then still counted as present, and the
    usual frame — one frontal face — pays for one cascade, not three. The cost
    is that a second person seen only in profile next to a frontal face is
    missed. `profile=None` turns the fallback off, `mirrored=False` its second
    side.
    """

    def __init__(
        self,
        *,
        frontal: Path = FRONTAL,
        profile: Path | None = PROFILE,
        mirrored: bool = True,
        params: CascadeParams | None = None,
    ) -> None:
        self.frontal = frontal
        self.profile = profile
        self.mirrored = mirrored
        self.params = params or CascadeParams()
        self._kwargs = self.params.kwargs()
        # Fail now, in the caller's thread, on a wrong path rather than in a worker.
        load_cascade(frontal)
        if profile is not None:
            load_cascade(profile)
        self._local = threading.local()

    def _cascades(self) -> tuple[cv2.CascadeClassifier, cv2.CascadeClassifier | None]:
        # One classifier per thread: detectMultiScale keeps per-call state in it.
        found = getattr(self._local, "cascades", None)
        if found is None:
            profile = load_cascade(self.profile) if self.profile is not None else None
            found = self._local.cascades = (load_cascade(self.frontal), profile)
        return found

    def detect(self, gray: np.ndarray) -> list[Box]:
        frontal, profile = self._cascades()
        faces = _boxes(frontal.detectMultiScale(gray, **self._kwargs))
        if faces or profile is None:
            return faces
        faces = _boxes(profile.detectMultiScale(gray, **self._kwargs))
        if self.mirrored:
            width = gray.shape[1]
            mirrored = _boxes(profile.detectMultiScale(cv2.flip(gray, 1), **self._kwargs))
            faces = merge(faces, [Box(width - b.x - b.w, b.y, b.w, b.h) for b in mirrored])
        return faces


def _boxes(found) -> list[Box]:
    return [Box(*(int(v) for v in box)) for box in found]


def merge(first: list[Box], second: list[Box], *, same: float = 0.5) -> list[Box]:
    """Both lists, less the boxes of `second` that mostly overlap one already kept (the same face)."""
    kept = list(first)
    for box in second:
        if all(box.overlap(other) < same for other in kept):
            kept.append(box)
    return kept
