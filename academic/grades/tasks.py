"""Periodic work of grades, run by Celery beat (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from django.utils import timezone

from hub.audit.log import audit_context
from hub.celery import app


@app.task(name="grades.nightly_sheets")
def nightly_sheets() -> dict[str, int]:
    """Generate the missing courses and sheets of the running terms, then sync every open sheet.

    Orders effective today (signed earlier) move students between sheets here.
    Returns what was made and how many sheets were synchronised.
    """
    from academic.grades.actions.sheets import courses_generate, sheets_sync_all
    from academic.grades.selectors.sheets import current_terms

    today = timezone.localdate()
    made = {"groups": 0, "courses": 0, "sheets": 0}
    with audit_context():
        for term in current_terms(today):
            result = courses_generate(by=None, term=term, on=today)
            made["courses"] += result.courses
            made["sheets"] += result.sheets
            made["groups"] = max(made["groups"], result.groups)
        made["synced"] = sheets_sync_all(on=today)
    return made
