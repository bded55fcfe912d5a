"""run_job on a real Celery worker: progress, events, failures and the redelivery cap."""

from __future__ import annotations

import pytest
from django.conf import settings

from hub.jobs.actions import job_start
from hub.jobs.models import Job, JobStatus
from hub.jobs.tasks import run_job
from tests.jobs.conftest import wait_until_finished

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_started_job_runs_on_the_worker_to_its_total(cast, celery_worker, listen):
    listener = listen(cast.teacher)

    job = job_start(owner=cast.teacher, kind="tests.count", params={"steps": 2000})
    job = wait_until_finished(job)

    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.percent) == (2000, 2000, 100)
    assert job.result == {"counted": 2000}
    assert job.attempts == 1
    assert job.started_at <= job.finished_at

    events = listener.events()
    types = [event["type"] for event in events]
    assert types[-1] == "job.finished"
    assert set(types[:-1]) == {"job.progress"}
    progress = [event["data"] for event in events[:-1]]
    assert [p["status"] for p in progress[:2]] == ["queued", "running"]
    assert progress[-1]["done"] == progress[-1]["total"] == 2000
    # Throttled: at most one report per whole percent, not one per step.
    assert len(progress) <= 2 + 101
    finished = events[-1]["data"]
    assert finished["id"] == job.pk
    assert finished["status"] == "succeeded"
    assert finished["percent"] == 100
    assert finished["url"] == f"/jobs/{job.pk}/"


def test_events_go_only_to_the_owner(cast, celery_worker, listen):
    stranger = listen(cast.other_teacher)

    job = job_start(owner=cast.teacher, kind="tests.count", params={"steps": 3})
    wait_until_finished(job)

    assert stranger.events(quiet=0.5) == []


def test_a_failing_kind_ends_failed_with_its_error(cast, celery_worker, listen):
    listener = listen(cast.student)

    job = wait_until_finished(job_start(owner=cast.student, kind="tests.fail", params={}))

    assert job.status == JobStatus.FAILED
    assert job.error == "RuntimeError: the disk is full"
    assert (job.done, job.total, job.message) == (2, 4, "half way")
    assert job.result is None
    finished = listener.events()[-1]
    assert finished["type"] == "job.finished"
    assert finished["data"]["status"] == "failed"
    assert finished["data"]["error"] == "RuntimeError: the disk is full"


def test_the_soft_time_limit_fails_the_job_with_a_message(cast, celery_worker):
    job = wait_until_finished(job_start(owner=cast.student, kind="tests.too_slow", params={}))

    assert job.status == JobStatus.FAILED
    minutes = settings.CELERY_TASK_SOFT_TIME_LIMIT // 60
    assert job.error == f"The job took longer than {minutes} minutes and was stopped."


def test_a_job_delivered_more_than_the_cap_fails_without_running(cast, celery_worker, listen):
    cap = settings.CELERY_TASK_MAX_DELIVERIES
    # As if the worker had died `cap` times while running it.
    job = Job.objects.create(
        owner=cast.teacher, kind="tests.count", params={"steps": 5}, attempts=cap
    )
    listener = listen(cast.teacher)

    run_job.delay(job.pk)
    job = wait_until_finished(job)

    assert job.status == JobStatus.FAILED
    assert job.attempts == cap + 1
    assert job.error.startswith("The job was stopped: its worker stopped unexpectedly")
    assert f"{cap} attempts" in job.error
    assert (job.done, job.total, job.result) == (0, 0, None)  # the body never ran
    assert listener.events()[-1]["data"]["status"] == "failed"


def test_a_job_below_the_cap_is_run_again(cast, celery_worker):
    cap = settings.CELERY_TASK_MAX_DELIVERIES
    job = Job.objects.create(
        owner=cast.teacher, kind="tests.count", params={"steps": 5}, attempts=cap - 1
    )

    run_job.delay(job.pk)
    job = wait_until_finished(job)

    assert job.status == JobStatus.SUCCEEDED
    assert job.attempts == cap


def test_a_redelivered_finished_job_is_left_alone(cast):
    job = Job.objects.create(
        owner=cast.teacher,
        kind="tests.count",
        params={"steps": 5},
        status=JobStatus.SUCCEEDED,
        attempts=1,
        result={"counted": 5},
    )

    run_job(job.pk)  # the task body itself, as a redelivery would run it

    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (JobStatus.SUCCEEDED, 1, {"counted": 5})


def test_a_delivery_for_a_deleted_job_does_nothing(cast):
    run_job(987654321)

    assert not Job.objects.exists()


def test_what_a_job_changes_is_audited_as_its_owner(cast, celery_worker):
    from hub.audit.models import AuditEntry

    job = job_start(owner=cast.teacher, kind="tests.change_language", params={"language": "ky"})
    job = wait_until_finished(job)

    assert job.status == JobStatus.SUCCEEDED
    entry = AuditEntry.objects.get(action="user_language_set", object_id=str(cast.teacher.pk))
    assert entry.actor_id == cast.teacher.pk
    assert entry.batch_id is not None
