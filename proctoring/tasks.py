"""Background work of proctoring: frame analysis (its own queue in production) and retention."""

from __future__ import annotations

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
def analyse(frame_id: int) -> None:
    """Analyse the uploaded frame `frame_id` with the other frames waiting, in one batch
    (proctoring.actions.frames_analyse); nothing to do if another task's batch took it.

    A batch that failed on the database or the disk is rolled back whole: retried, this
    task takes its frame again, and the oldest frames waiting with it.
    """
    from proctoring.actions import frames_analyse

    frames_analyse(frame_id=frame_id)


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
