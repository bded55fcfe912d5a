"""job_start: validation, the queued row, the enqueue after commit."""

from __future__ import annotations

import pytest

from hub.jobs.actions import JobError, job_start
from hub.jobs.models import Job, JobStatus


def test_an_unknown_kind_is_refused(cast):
    with pytest.raises(JobError, match="Unknown job kind"):
        job_start(owner=cast.admin, kind="nope.nothing", params={})

    assert not Job.objects.exists()


def test_params_are_validated_by_the_kinds_form(cast):
    with pytest.raises(JobError) as error:
        job_start(owner=cast.admin, kind="demo.seed", params={"students": 20_001})

    assert error.value.messages == ["Enter a number of students from 1 to 20000."]
    assert not Job.objects.exists()


def test_a_started_job_is_queued_and_enqueued_only_on_commit(
    cast, django_capture_on_commit_callbacks
):
    # Not executed here: tests/jobs/test_tasks.py runs the enqueue on a real worker.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(owner=cast.admin, kind="demo.seed", params={"students": "15"})

    assert job.status == JobStatus.QUEUED
    assert job.params == {"students": 15, "seed": 2026}
    assert job.attempts == 0
    assert [callback.__qualname__ for callback in callbacks] == [
        "job_start.<locals>.<lambda>",  # run_job.delay(job.id)
        "send_event.<locals>.<lambda>",  # job.progress to the owner
    ]
