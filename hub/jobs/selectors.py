"""Reads of background jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse

from hub.jobs.models import Job
from hub.jobs.permissions import may_start
from hub.jobs.registry import JobKind, all_kinds

if TYPE_CHECKING:
    from hub.accounts.models import User


def jobs_of_owner(*, owner: User) -> QuerySet[Job]:
    """The owner's jobs, newest first; one query per page, no related rows needed."""
    return (
        Job.objects.filter(owner=owner)
        .only("id", "kind", "status", "done", "total", "message", "created_at", "finished_at")
        .order_by("-created_at", "-id")
    )


def job_kinds_startable_by(*, user: User) -> list[JobKind]:
    """The registered kinds `user` may start from the job list (with a form to fill)."""
    return [kind for kind in all_kinds() if may_start(user, kind)]


def job_status_data(job: Job) -> dict[str, Any]:
    """The job as its live events and jobs/<id>/status.json describe it (no queries)."""
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "finished": job.is_finished,
        "error": job.error,
        "url": reverse("jobs:detail", args=[job.pk]),
    }
