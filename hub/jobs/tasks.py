"""The one Celery task of background jobs: run a job by id."""

from __future__ import annotations

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from hub.audit.log import audit_context, batch
from hub.celery import app
from hub.jobs.actions import job_begin, job_fail, job_succeed
from hub.jobs.registry import Progress, get_kind

logger = logging.getLogger(__name__)


@app.task(name="jobs.run_job")
def run_job(job_id: int) -> None:
    """Run the job's kind, recording success or failure; never lose a job silently.

    acks_late + reject_on_worker_lost redeliver the message when the worker dies
    mid-run. Each delivery is counted on the row, and one beyond
    CELERY_TASK_MAX_DELIVERIES fails the job instead of killing another worker.
    """
    job = job_begin(job_id=job_id)
    if job is None:
        logger.info("job %s is gone or already finished; delivery ignored", job_id)
        return
    # What the job changes is audited as the owner's doing, as one batch.
    with translation.override(job.owner.language), audit_context(actor=job.owner), batch():
        cap = settings.CELERY_TASK_MAX_DELIVERIES
        if job.attempts > cap:
            job_fail(
                job=job,
                error=_(
                    "The job was stopped: its worker stopped unexpectedly on each of %(count)d "
                    "attempts (for example, it ran out of memory). It will not be retried."
                )
                % {"count": cap},
            )
            return
        kind = get_kind(job.kind)
        if kind is None:
            job_fail(job=job, error=_("This kind of job no longer exists."))
            return
        try:
            result = kind.func(job, Progress(job))
            job_succeed(job=job, result=result)
        except SoftTimeLimitExceeded:
            minutes = max(1, round(settings.CELERY_TASK_SOFT_TIME_LIMIT / 60))
            job_fail(
                job=job,
                error=_("The job took longer than %(minutes)d minutes and was stopped.")
                % {"minutes": minutes},
            )
        except Exception as exc:
            # Recorded on the row, not re-raised: the user sees the error and a
            # redelivery would only repeat it.
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            job_fail(job=job, error=f"{type(exc).__name__}: {exc}")
