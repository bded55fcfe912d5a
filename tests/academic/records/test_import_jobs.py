"""The import's jobs on a real `celery worker` process, killed in the middle of the write.

The worker runs on this test run's database and the configured broker (as
tests/e2e/test_job_progress.py starts it). It is killed with SIGKILL while the
import's transaction is open: nothing may be left, and running the job again
must import the list exactly once.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.files.base import ContentFile
from django.db import connection

from academic.records import jobs
from academic.records.models import Student, StudentState
from hub.accounts.models import User
from hub.audit.models import AuditEntry
from hub.celery import app
from hub.jobs.models import Job, JobStatus
from hub.jobs.tasks import run_job
from tests.bench.records_import_sample import student_rows, xlsx_bytes
from tests.servers import database_url_of_this_run

pytestmark = pytest.mark.django_db(transaction=True)

CELERY = Path(sys.executable).with_name("celery")
ROWS = 3000  # enough for the write to last a good second on either database
WRITING = {"Writing to records", "Creating accounts", "Opening personal files"}


@pytest.fixture
def worker():
    """`celery worker` in its own process on this run's database; killed or stopped after."""
    app.control.purge()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_this_run(),
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = Path(settings.VAR_DIR).resolve() / f"records-import-celery-{os.getpid()}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(CELERY), "-A", "hub", "worker", "--pool=solo", "--concurrency=1", "-l", "warning"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        app.control.purge()  # the passwords job of a rerun, left for no worker


def preview_of(cast, rows) -> Job:
    name = jobs.uploads().save("killed.xlsx", ContentFile(xlsx_bytes(rows)))
    preview = Job.objects.create(
        owner=cast.records_office,
        kind=jobs.PREVIEW,
        params={"file": name, "filename": "list.xlsx", "create_groups": False,
                "today": "2026-11-27"},
    )  # fmt: skip
    run_job(preview.pk)
    preview.refresh_from_db()
    assert preview.result["counts"]["new"] == len(rows), preview.result
    return preview


def wait_for(condition, what: str, *, timeout: float = 120, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the worker exited with {process.returncode} before {what}")
        if value := condition():
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def sqlite_writer_active() -> bool:
    """Does another connection hold SQLite's write lock (an open write transaction)?"""
    probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.rollback()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def in_the_write_transaction(job: Job) -> bool:
    job.refresh_from_db()
    if job.message not in WRITING:
        return False
    if connection.vendor == "sqlite":
        return sqlite_writer_active()
    # PostgreSQL: only the transaction's own progress (through a second connection) names these.
    return job.message != "Writing to records" and 0 < job.done < job.total


def test_a_worker_killed_mid_import_leaves_nothing_and_a_rerun_imports_once(
    cast, university, worker
):
    rows = student_rows(ROWS, groups=["ГР-1-24", "ГР-2-24"], prefix="K")
    preview = preview_of(cast, rows)
    users = User.objects.count()

    job = jobs.import_confirm(by=cast.records_office, preview=preview, valid_only=False)
    entries = AuditEntry.objects.count()  # with the job's start
    wait_for(lambda: in_the_write_transaction(job), "the write transaction", process=worker)
    worker.kill()
    worker.wait(timeout=15)

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert job.result is None
    assert not Student.objects.exists()
    assert not StudentState.objects.exists()
    assert User.objects.count() == users
    assert not AuditEntry.objects.filter(action="student_create").exists()
    assert AuditEntry.objects.count() == entries

    run_job(job.pk)  # the broker's redelivery, run here: the worker is gone
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.attempts, job.result["created"]) == (2, ROWS)
    assert Student.objects.filter(record_number__startswith="K-").count() == ROWS
    assert User.objects.count() == users + ROWS
    assert AuditEntry.objects.filter(action="student_create").count() == ROWS

    run_job(job.pk)  # one delivery too many: the finished job is left alone
    assert Student.objects.count() == ROWS
    assert User.objects.count() == users + ROWS


def test_preview_and_import_run_on_the_worker(cast, university, worker):
    rows = student_rows(20, groups=["ГР-1-24"], prefix="W")
    name = jobs.uploads().save("worker.csv", ContentFile(xlsx_bytes(rows)))
    from hub.jobs.actions import job_start

    preview = job_start(
        owner=cast.records_office,
        kind=jobs.PREVIEW,
        params={"file": name, "filename": "list.xlsx", "today": "2026-11-27"},
    )
    wait_for(lambda: Job.objects.get(pk=preview.pk).is_finished, "the preview", process=worker)
    preview.refresh_from_db()
    assert preview.result["counts"]["new"] == 20

    job = jobs.import_confirm(by=cast.records_office, preview=preview, valid_only=False)
    wait_for(lambda: Job.objects.get(pk=job.pk).is_finished, "the import", process=worker)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["created"] == 20
    assert (job.done, job.total) == (job.total, job.total)
    hashing = Job.objects.get(pk=job.result["passwords_job"])
    wait_for(lambda: Job.objects.get(pk=hashing.pk).is_finished, "the passwords", process=worker)
    (login, password) = next(
        (row[1], row[5]) for row in jobs.passwords_take(job=job) if row[3] == rows[0][3]
    )
    user = User.objects.get(username=login)
    # The worker hashes with the project's hasher (the tests' own is MD5, for speed).
    assert Argon2PasswordHasher().verify(password, user.password)
    assert user.must_change_password
