"""Periodic work of learning, run by Celery beat."""

from __future__ import annotations

from hub.audit.log import audit_context
from hub.celery import app


@app.task(name="learning.sync_ecourses")
def sync_ecourses() -> dict[str, int]:
    """Make the e-courses of streams whose courses were made in bulk (no signal); returns counts."""
    from hub.learning.actions import ecourses_sync

    with audit_context():
        result = ecourses_sync()
    return {"created": result.created, "handed_over": result.handed_over}
