"""The demo university's background job: seed a larger university with a progress bar."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from hub.demo.forms import SeedDemoForm
from hub.demo.seed import seed_demo
from hub.jobs.models import Job
from hub.jobs.registry import ProgressFn, job_kind, superusers_only


@job_kind(
    "demo.seed",
    title=_("Seed demo university"),
    form=SeedDemoForm,
    can_start=superusers_only,
    result_template="demo/seed_result.html",
)
def seed_demo_job(job: Job, progress: ProgressFn) -> dict[str, Any]:
    summary = seed_demo(
        students=int(job.params["students"]),
        seed=int(job.params.get("seed") or 2026),
        progress=progress,
    )
    return summary.as_dict()
