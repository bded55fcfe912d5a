"""The registry of job kinds and the throttled progress reporter handed to them.

A kind is a function `(job, progress) -> dict` registered under a dotted name:

    @job_kind("demo.seed", title=_("Seed demo university"), form=SeedDemoForm)
    def seed_demo_job(job, progress):
        ...
        progress(done, total, _("Students"))
        return {"users": 600}

A kind runs outside any transaction so each progress report is committed and
visible at once; it should open its own short transactions (per batch), not
one around the whole run. Kinds live in an app's `jobs.py`, imported by JobsConfig.ready() in every
process (web and worker), so both sides know the same kinds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django import forms

    from hub.accounts.models import User
    from hub.jobs.models import Job

ProgressFn = Callable[..., None]
JobFn = Callable[["Job", ProgressFn], dict[str, Any] | None]


def superusers_only(user: User) -> bool:
    return user.is_superuser


@dataclass(frozen=True)
class JobKind:
    name: str
    title: str | Promise
    func: JobFn
    # The form that validates `params`, both for the start button and for job_start().
    form: type[forms.Form] | None = None
    # Who may start the kind from the job list page.
    can_start: Callable[[User], bool] = superusers_only
    # Template rendering `result` on the detail page; a generic list when None.
    result_template: str | None = None


_KINDS: dict[str, JobKind] = {}


def job_kind(
    name: str,
    *,
    title: str | Promise,
    form: type[forms.Form] | None = None,
    can_start: Callable[[User], bool] = superusers_only,
    result_template: str | None = None,
) -> Callable[[JobFn], JobFn]:
    """Register the decorated function as the job kind `name`."""

    def register(func: JobFn) -> JobFn:
        existing = _KINDS.get(name)
        same = existing and (existing.func.__module__, existing.func.__qualname__) == (
            func.__module__,
            func.__qualname__,
        )
        if existing and not same:
            raise ImproperlyConfigured(
                f"Job kind {name!r} is registered twice: {existing.func.__module__} and "
                f"{func.__module__}. Give one of them another name."
            )
        _KINDS[name] = JobKind(name, title, func, form, can_start, result_template)
        return func

    return register


def get_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


def all_kinds() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.name)


def kind_choices() -> list[tuple[str, Any]]:
    return [(kind.name, kind.title) for kind in all_kinds()]


class Progress:
    """The `progress(done, total, message="")` callable a job kind reports through.

    It saves and publishes only when the whole percent or the message changes and
    at most once per `min_interval` seconds (the first and the last report always
    go through), so a 20,000-step job writes about a hundred rows, not 20,000.
    """

    def __init__(
        self,
        job: Job,
        *,
        min_interval: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.job = job
        self.min_interval = min_interval
        self.clock = clock
        self.reports = 0
        self._saved: tuple[int, int, str] | None = None
        self._saved_percent = -1
        self._saved_at = 0.0

    def __call__(self, done: int, total: int, message: str | Promise = "") -> None:
        from hub.jobs.actions import job_report_progress

        done, total, message = max(0, int(done)), max(0, int(total)), str(message)
        percent = min(100, done * 100 // total) if total else 0
        now = self.clock()
        if self._saved is None:
            due = True
        elif (done, total, message) == self._saved:
            due = False
        elif total and done >= total:
            due = True
        else:
            changed = percent != self._saved_percent or message != self._saved[2]
            due = changed and now - self._saved_at >= self.min_interval
        if not due:
            return
        job_report_progress(job=self.job, done=done, total=total, message=message)
        self.reports += 1
        self._saved, self._saved_percent, self._saved_at = (done, total, message), percent, now
