"""Who may see a background job: its owner, and superusers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext as _

from hub.jobs.models import Job
from hub.jobs.registry import JobKind, get_kind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hub.accounts.models import User


def access_job(user: User | AnonymousUser, job_id: int, *, write: bool = False) -> Job:
    """The job `job_id` if `user` owns it or is a superuser; Http404 otherwise.

    Missing and foreign jobs raise the same error, so ids cannot be probed.
    Reading and writing need the same right today; `write` is kept for the
    common signature of access checks.
    """
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if (
        job is None
        or not user.is_authenticated
        or not (user.is_superuser or job.owner_id == user.pk)
    ):
        raise Http404(_("No such job."))
    return job


def may_start(user: User | AnonymousUser, job_kind: JobKind) -> bool:
    """May `user` start `job_kind` from the job list? Only kinds with a start form."""
    return job_kind.form is not None and user.is_authenticated and job_kind.can_start(user)


def access_job_kind(user: User | AnonymousUser, kind: str) -> JobKind:
    """The job kind `kind` if `user` may start it from the job list; Http404 otherwise.

    Unknown kinds and kinds the user may not start raise the same error.
    """
    job_kind = get_kind(kind)
    if job_kind is None or not may_start(user, job_kind):
        raise Http404(_("No such job."))
    return job_kind
