"""Every write to a background job: start, begin a run, progress, success, failure.

Each action publishes to the owner's personal group (`user.<id>`) after commit:
`job.progress` while the job moves, `job.finished` once it succeeded or failed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hub.audit.log import audit_record, snapshot
from hub.errors import DomainError
from hub.jobs.models import Job, JobStatus
from hub.jobs.registry import get_kind
from hub.jobs.selectors import job_status_data
from realtime.events import EventType, send_event
from realtime.groups import group_user

if TYPE_CHECKING:
    from hub.accounts.models import User

MESSAGE_MAX_LENGTH = Job._meta.get_field("message").max_length


class JobError(DomainError):
    """A job cannot be started as asked; `messages` are translated, for the user."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages), messages=messages)


@transaction.atomic
def job_start(*, owner: User, kind: str, params: dict[str, Any] | None = None) -> Job:
    """Create a queued job of `kind` for `owner` and enqueue its run after commit.

    `params` are validated (and normalised) by the kind's form, if it has one;
    JobError carries the form's messages. The owner is notified with `job.progress`;
    the audit log records who started what.
    """
    from hub.jobs.tasks import run_job

    job_kind = get_kind(kind)
    if job_kind is None:
        raise JobError([_("Unknown job kind “%(kind)s”.") % {"kind": kind}])
    params = dict(params or {})
    if job_kind.form is not None:
        form = job_kind.form(data=params)
        if not form.is_valid():
            raise JobError([str(m) for errors in form.errors.values() for m in errors])
        params = form.cleaned_data
    job = Job.objects.create(owner=owner, kind=kind, params=params)
    # The actor comes from the audit context: the requesting user, or none
    # (the system) when a schedule starts the job for its owner.
    audit_record(action="job_start", obj=job, after=snapshot(job, ["kind", "owner", "params"]))
    # The worker must find the committed row: enqueue only after the commit.
    transaction.on_commit(lambda: run_job.delay(job.id))
    _publish_progress(job)
    return job


@transaction.atomic
def job_begin(*, job_id: int) -> Job | None:
    """Count one more delivery of the job and mark it running.

    Returns None (and changes nothing) when the job is gone or already finished,
    which happens when the broker redelivers a run that had completed. The
    owner is notified with `job.progress`.
    """
    job = Job.objects.select_for_update().select_related("owner").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return None
    job.attempts += 1
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["attempts", "status", "started_at"])
    _publish_progress(job)
    return job


def job_report_progress(*, job: Job, done: int, total: int, message: str = "") -> None:
    """Store how far the running job got and notify its owner with `job.progress`.

    Called through the throttled `Progress` reporter, not for every step.
    """
    job.done, job.total, job.message = done, total, message[:MESSAGE_MAX_LENGTH]
    Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total, message=job.message)
    _publish_progress(job)


@transaction.atomic
def job_succeed(*, job: Job, result: dict[str, Any] | None = None) -> Job:
    """Mark the job succeeded with its `result`; the owner gets `job.finished`."""
    job.status = JobStatus.SUCCEEDED
    job.result = result or {}
    job.error = ""
    if job.total:
        job.done = job.total
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "error", "done", "finished_at"])
    _publish_finished(job)
    return job


@transaction.atomic
def job_fail(*, job: Job, error: str) -> Job:
    """Mark the job failed with `error` (shown to its owner); the owner gets `job.finished`."""
    job.status = JobStatus.FAILED
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    _publish_finished(job)
    return job


def _publish_progress(job: Job) -> None:
    with translation.override(job.owner.language):
        data = job_status_data(job)
    send_event(group_user(job.owner_id), EventType.JOB_PROGRESS, data)


def _publish_finished(job: Job) -> None:
    with translation.override(job.owner.language):
        data = job_status_data(job)
    send_event(group_user(job.owner_id), EventType.JOB_FINISHED, data)
