"""Background jobs of the records import (SR-4, X-4): preview, apply, initial passwords.

Both kinds of list (students, groups: academic.records.imports.KINDS) go
through the same jobs; the preview's `kind` parameter says which (students
when absent).

Upload → `records.import_preview` reads and checks every row (progress per
row) and keeps the plan's summary as its result → the user confirms →
`records.import_apply` reads the same stored file again, checks it against
records as they are now and writes it in one transaction. Its result is
written in that same transaction, so a worker killed mid-import leaves
nothing, and a redelivered run that finds the result committed returns it
instead of importing twice.

Initial passwords. The project hashes passwords with Argon2 at about 0.12 s
each here: 10,000 new accounts would take 20 minutes, against an import that
must finish within a minute. A cheaper hash is not allowed, and a random
password hashed later is as safe as one hashed at once provided that nobody
can sign in with anything else meanwhile. So the import gives the new
accounts an unusable password (no sign-in possible) and hands the initial
passwords, encrypted with a key derived from SECRET_KEY, to a third job,
`records.import_passwords`, that hashes them with the configured hasher in
batches and then forgets them: its result replaces the encrypted list. The
passwords' list for the records office is kept likewise encrypted in the
apply job's result until it is downloaded, once. Every account must change
its password at the first sign-in.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from asgiref.sync import async_to_sync
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.storage import FileSystemStorage
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academic.records.imports import KINDS, STUDENTS, ImportKind, ImportPlan
from hub.accounts.imports import read_table
from hub.accounts.models import User
from hub.errors import DomainError
from hub.jobs.actions import job_report_progress, job_start
from hub.jobs.models import Job
from hub.jobs.registry import ProgressFn, job_kind
from hub.jobs.selectors import job_status_data
from realtime.events import EventType, asend_event
from realtime.groups import group_user

PREVIEW = "records.import_preview"
APPLY = "records.import_apply"
PASSWORDS = "records.import_passwords"
HASH_BATCH = 50


def uploads() -> FileSystemStorage:
    """Where uploaded lists wait for their import: under VAR_DIR, not MEDIA (served publicly)."""
    return FileSystemStorage(location=Path(settings.VAR_DIR) / "private" / "records-imports")


def stale_uploads_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete uploaded lists whose preview was never confirmed; returns how many.

    A confirmed import deletes its file itself; one left at the preview stays
    here until this nightly purge (students' personal data must not linger).
    """
    storage = uploads()
    if not Path(storage.location).exists():
        return 0
    cutoff = timezone.now() - older_than
    stale = [name for name in storage.listdir("")[1] if storage.get_modified_time(name) < cutoff]
    for name in stale:
        storage.delete(name)
    return len(stale)


def _cipher() -> Fernet:
    key = hashlib.sha256(b"academic.records.import:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: Any) -> str:
    """`value` as JSON, encrypted and authenticated with a key derived from SECRET_KEY."""
    return _cipher().encrypt(json.dumps(value).encode()).decode("ascii")


def unseal(token: str) -> Any:
    return json.loads(_cipher().decrypt(token.encode("ascii")))


def _read_upload(name: str, filename: str) -> list[list[str]]:
    with uploads().open(name, "rb") as upload:
        return read_table(filename, upload.read())


def _today(job: Job) -> date:
    # The day of the upload: a preview confirmed after midnight imports what it showed.
    return date.fromisoformat(job.params["today"])


def kind_of(job: Job) -> ImportKind:
    """The kind of list an import's job (preview or apply) checks or writes."""
    return KINDS[job.params.get("kind", STUDENTS)]


def _plan(preview: Job, progress: ProgressFn) -> ImportPlan:
    table = _read_upload(preview.params["file"], preview.params["filename"])
    return kind_of(preview).plan(
        table, options=preview.params, today=_today(preview), progress=progress
    )


@job_kind(
    PREVIEW,
    title=gettext_lazy("Records import: check"),
    result_template="records/import_job_result.html",
)
def import_preview(job: Job, progress: ProgressFn) -> dict[str, Any]:
    """Check every row of the uploaded list; the result is what the preview page shows."""
    progress(0, 1, _("Reading the file"))
    try:
        plan = _plan(job, progress)
    except DomainError as error:
        return {"problems": error.messages}
    return plan.summary()


@job_kind(
    APPLY, title=gettext_lazy("Records import"), result_template="records/import_job_result.html"
)
def import_apply(job: Job, progress: ProgressFn) -> dict[str, Any]:
    """Write the previewed list; the result is the report page's (see the module docstring)."""
    preview = Job.objects.get(pk=job.params["preview"])
    if job.result and job.result.get("applied"):
        uploads().delete(preview.params["file"])
        return job.result  # a redelivery after the import had committed
    progress(0, 1, _("Reading the file"))
    try:
        plan = _plan(preview, progress)
        # Unthrottled: the phase must show, and the transaction below hides its own reports.
        job_report_progress(job=job, done=0, total=len(plan.rows), message=_("Writing to records"))
        with _SideProgress(job) as side, transaction.atomic():
            report = kind_of(preview).write(
                by=job.owner, plan=plan, valid_only=job.params["valid_only"], progress=side
            )
            result = report.as_dict() | {"applied": True, "preview": preview.pk}
            side.close()  # the job's row is written below, in this transaction
            if report.passwords:
                result["download"] = seal(report.passwords)
                result["passwords_job"] = _hash_later(job, report.passwords).pk
            Job.objects.filter(pk=job.pk).update(result=result)
    except DomainError as error:
        return {"problems": error.messages}
    uploads().delete(preview.params["file"])
    return result


def _hash_later(job: Job, passwords: list[list]) -> Job:
    hashing = job_start(owner=job.owner, kind=PASSWORDS, params={"apply": job.pk})
    # Not in params: job_start writes them to the audit log.
    Job.objects.filter(pk=hashing.pk).update(
        result={"pending": seal([[row[0], row[-1]] for row in passwords])}
    )
    return hashing


@job_kind(PASSWORDS, title=gettext_lazy("Students import: initial passwords"))
def import_passwords(job: Job, progress: ProgressFn) -> dict[str, Any]:
    """Hash the initial passwords of imported accounts, in batches; then forget them.

    An account whose password is no longer unusable was done by an earlier run
    (or its owner changed it): it is skipped, so a rerun after a crash goes on.
    """
    pending = unseal(job.result["pending"]) if job.result and "pending" in job.result else []
    total, done = len(pending), 0
    for start in range(0, total, HASH_BATCH):
        batch = dict(pending[start : start + HASH_BATCH])
        users = [
            user
            for user in User.objects.filter(pk__in=batch).only("id", "password")
            if not user.has_usable_password()
        ]
        for user in users:
            user.password = make_password(batch[user.pk])
        with transaction.atomic():
            User.objects.bulk_update(users, ["password"])
        done += len(batch)
        progress(done, total, _("Setting initial passwords"))
    return {"accounts": total}


class _SideProgress:
    """Progress reported from inside the import's transaction, through a second connection.

    The transaction hides its own writes, the job's row included, until it
    commits; on PostgreSQL a second connection stores the progress at once and
    the owner's socket hears it. SQLite takes one writer at a time: there the
    bar stays on "Writing to records" until the commit.
    """

    def __init__(self, job: Job) -> None:
        self.job = job
        self.side = None
        self.percent = -1

    def __enter__(self) -> _SideProgress:
        if connection.vendor == "postgresql":
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None

    def __call__(self, done: int, total: int, message: str = "") -> None:
        percent = done * 100 // total if total else 0
        if self.side is None or percent == self.percent:
            return
        self.percent = percent
        job = self.job
        job.done, job.total, job.message = done, total, str(message)[:255]
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, message = %s WHERE id = %s",  # noqa: S608
                [job.done, job.total, job.message, job.pk],
            )
        async_to_sync(asend_event)(
            group_user(job.owner_id), EventType.JOB_PROGRESS, job_status_data(job)
        )


@transaction.atomic
def import_confirm(*, by: User, preview: Job, valid_only: bool) -> Job:
    """Start writing the list `preview` checked; a second confirmation gets the first's job.

    The preview's row is locked so a double click starts one import, not two.
    """
    preview = Job.objects.select_for_update().get(pk=preview.pk)
    started = (preview.result or {}).get("apply_job")
    if started and (job := Job.objects.filter(pk=started).first()):
        return job
    params = {"preview": preview.pk, "valid_only": valid_only, "kind": kind_of(preview).code}
    job = job_start(owner=by, kind=APPLY, params=params)
    Job.objects.filter(pk=preview.pk).update(result=preview.result | {"apply_job": job.pk})
    return job


@transaction.atomic
def passwords_take(*, job: Job) -> list[list] | None:
    """The initial passwords of an import's new accounts, once: then they are dropped.

    None when they were already taken (or the import created nobody).
    """
    job = Job.objects.select_for_update().get(pk=job.pk)
    result = dict(job.result or {})
    token = result.pop("download", None)
    if token is None:
        return None
    Job.objects.filter(pk=job.pk).update(result=result | {"downloaded": True})
    return unseal(token)
