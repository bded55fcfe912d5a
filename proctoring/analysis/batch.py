"""Many frames at once on all cores, for the frame-analysis worker.

Threads rather than processes: decoding, detectMultiScale and encoding all
release the GIL, and the Python between them is a small share of a frame's
time (measured by tests/bench/proctoring_frames.py), so threads keep the
cores busy without pickling frames and results across processes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor

from proctoring.analysis.detectors import FaceDetector
from proctoring.analysis.frames import (
    DEFAULT_THRESHOLDS,
    Baseline,
    FrameError,
    FrameResult,
    Thresholds,
    analyse_frame,
    default_detector,
)


def default_workers() -> int:
    """One thread per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def analyse_batch(
    frames: Sequence[bytes],
    *,
    baselines: Sequence[Baseline | None] | None = None,
    detector: FaceDetector | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    executor: Executor | None = None,
    workers: int | None = None,
) -> list[FrameResult | FrameError]:
    """`analyse_frame` over every frame, in order; a refused frame gives its FrameError in place.

    baselines: one per frame (frames of several attempts may share a batch).
    executor: a long-lived pool of the caller (a worker keeps one); without it
    a pool of `workers` threads (default: one per core) lives for this call.
    """
    if baselines is not None and len(baselines) != len(frames):
        raise ValueError("one baseline (or None) per frame")
    detector = detector or default_detector()

    def one(index: int) -> FrameResult | FrameError:
        try:
            return analyse_frame(
                frames[index],
                baseline=baselines[index] if baselines is not None else None,
                detector=detector,
                thresholds=thresholds,
            )
        except FrameError as error:
            return error

    if executor is not None:
        return list(executor.map(one, range(len(frames))))
    with ThreadPoolExecutor(max_workers=workers or default_workers()) as pool:
        return list(pool.map(one, range(len(frames))))
