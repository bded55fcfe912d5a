"""Periodic work of student records, run by Celery beat (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from academic.records.jobs import stale_uploads_purge
from hub.celery import app


@app.task(name="records.purge_stale_uploads")
def purge_stale_uploads() -> int:
    """Delete uploaded lists left at the preview for more than a day; returns how many."""
    return stale_uploads_purge()
