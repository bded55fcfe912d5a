"""Background work of proctoring: frame analysis (its own queue in production) and retention."""

from __future__ import annotations

import logging

from celery.signals import worker_ready
from django.db import DatabaseError

from hub.audit.log import audit_context
from hub.celery import app


@app.task(
    name="proctoring.analyse",
    ignore_result=True,
    autoretry_for=(DatabaseError, OSError),
    max_retries=3,
    default_retry_delay=1,
)
def analyse(frame_id: int | None = None) -> None:
    """Analyse the frames waiting, in batches (proctoring.actions.frames_analyse_waiting).
    One task is queued for the frames stored while none is pending; a task given a
    `frame_id` (queued by an earlier version, one per frame) ends if its frame is done.

    A batch that failed on the database or the disk is rolled back whole: retried, this
    task takes the oldest frames waiting again.
    """
    from proctoring.actions import frames_analyse_waiting

    frames_analyse_waiting(frame_id=frame_id)


@worker_ready.connect
def analyse_frames_left_waiting(**_kwargs) -> None:
    """A worker that starts queues the analysis of frames left waiting (stored while no
    worker ran, or whose task was lost); their own tasks, if still queued, find them done."""
    from proctoring.actions import analysis_queue_if_waiting

    try:
        analysis_queue_if_waiting()
    except Exception:
        logging.getLogger(__name__).exception("frames left waiting were not queued")


@app.task(name="proctoring.purge_frames")
def purge_frames() -> int:
    """Delete frames, thumbnails and page events older than PROCTORING_RETENTION_DAYS."""
    from proctoring.actions import frames_purge

    with audit_context():
        return frames_purge()


@app.task(name="proctoring.flag_silent_cameras", ignore_result=True)
def flag_silent_cameras() -> int:
    """Flag the attempts whose required camera has sent no frame for too long
    (proctoring.actions.camera_silences_flag); the beat runs it every few seconds."""
    from proctoring.actions import camera_silences_flag

    return len(camera_silences_flag())
