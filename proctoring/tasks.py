"""Background work of proctoring: frame analysis (its own queue in production) and retention."""

from __future__ import annotations

from hub.audit.log import audit_context
from hub.celery import app


@app.task(name="proctoring.analyse", ignore_result=True)
def analyse(frame_id: int) -> None:
    """Analyse one uploaded frame (proctoring.actions.frame_analyse)."""
    from proctoring.actions import frame_analyse

    frame_analyse(frame_id=frame_id)


@app.task(name="proctoring.purge_frames")
def purge_frames() -> int:
    """Delete frames, thumbnails and page events older than PROCTORING_RETENTION_DAYS."""
    from proctoring.actions import frames_purge

    with audit_context():
        return frames_purge()
