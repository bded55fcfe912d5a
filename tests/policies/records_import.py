"""Access to the records import (students and groups lists alike): the keepers of student records (the records office
and the administrator); the job pages are the owner's (the records office's here, and the
administrator, who reads every job)."""

from __future__ import annotations

from academic.records import jobs
from hub.jobs.models import Job, JobStatus
from tests.policy import Policy

RECORDS_WRITERS = frozenset({"admin", "records_office"})

POLICY: dict[str, Policy] = {
    "records:import": Policy(RECORDS_WRITERS),
    "records:import-preview": Policy(RECORDS_WRITERS, kwargs="records_import_preview"),
    # Confirming a preview with an invalid row re-renders it (200) and starts nothing.
    "records:import-confirm": Policy(
        RECORDS_WRITERS, method="post", kwargs="records_import_preview"
    ),
    "records:import-report": Policy(RECORDS_WRITERS, kwargs="records_import_apply"),
    "records:import-passwords": Policy(
        RECORDS_WRITERS, method="post", kwargs="records_import_apply"
    ),
}


def objects(cast, university) -> dict[str, dict]:
    # Finished jobs: their pages read the jobs' results, not the uploaded file.
    preview = Job.objects.create(
        owner=cast.records_office,
        kind=jobs.PREVIEW,
        params={"file": "policy.xlsx", "filename": "policy.xlsx", "create_groups": False,
                "today": "2026-11-27"},
        status=JobStatus.SUCCEEDED,
        result={"counts": {"new": 1, "updated": 0, "unchanged": 0, "invalid": 1},
                "invalid": [], "updated": [], "new_groups": [], "total": 2},
    )  # fmt: skip
    apply = Job.objects.create(
        owner=cast.records_office,
        kind=jobs.APPLY,
        params={"preview": preview.pk, "valid_only": True},
        status=JobStatus.SUCCEEDED,
        result={"applied": True, "created": 1, "updated": 0, "unchanged": 0, "skipped": [],
                "groups_created": [], "batch_id": "", "download": jobs.seal([[1, "a", "A", "1",
                "ГР-1-24", "secret"]])},
    )  # fmt: skip
    return {
        "records_import_preview": {"job_id": preview.pk},
        "records_import_apply": {"job_id": apply.pk},
    }
