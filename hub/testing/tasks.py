"""Periodic work of testing, run by Celery beat."""

from __future__ import annotations

from hub.audit.log import audit_context
from hub.celery import app


@app.task(name="testing.submit_overdue")
def submit_overdue() -> int:
    """Submit the attempts whose time is up and whose page nobody has opened since."""
    from hub.testing.actions import attempts_submit_overdue

    with audit_context():
        return attempts_submit_overdue()
