"""Camera frame analysis: pure OpenCV and numpy, no Django (the worker and tests call it directly)."""

from proctoring.analysis.batch import analyse_batch
from proctoring.analysis.detectors import Box, CascadeParams, FaceDetector, HaarFaceDetector
from proctoring.analysis.frames import (
    Baseline,
    Flag,
    FrameError,
    FrameResult,
    Thresholds,
    analyse_frame,
)
from proctoring.analysis.suspicion import FlagEvent, suspicion

__all__ = [
    "Baseline",
    "Box",
    "CascadeParams",
    "FaceDetector",
    "Flag",
    "FlagEvent",
    "FrameError",
    "FrameResult",
    "HaarFaceDetector",
    "Thresholds",
    "analyse_batch",
    "analyse_frame",
    "suspicion",
]
