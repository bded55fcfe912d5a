"""The job-kind registry and the throttled progress reporter."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.jobs.models import Job
from hub.jobs.registry import Progress, get_kind, job_kind, kind_choices


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def job(cast):
    return Job.objects.create(owner=cast.teacher, kind="tests.count", params={"steps": 1})


def job_updates(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "jobs_job" in q["sql"]]


def test_registered_kinds_are_the_model_choices():
    import tests.jobs.kinds  # noqa: F401

    assert get_kind("demo.seed") is not None
    assert ("tests.count", "Count to params['steps']") in kind_choices()


def test_a_second_kind_under_a_taken_name_is_refused():
    with pytest.raises(ImproperlyConfigured, match="registered twice"):

        @job_kind("demo.seed", title="Impostor")
        def impostor(job, progress):
            return {}


def test_twenty_thousand_steps_write_at_most_one_row_per_percent(job):
    progress = Progress(job, min_interval=0)

    with CaptureQueriesContext(connection) as queries:
        for step in range(1, 20_001):
            progress(step, 20_000, "counting")

    # The first report (0 %) and one for each whole percent from 1 to 100.
    assert len(job_updates(queries)) == progress.reports == 101
    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (20_000, 20_000, "counting")


def test_reports_are_at_most_four_per_second(job):
    clock = FrozenClock()
    progress = Progress(job, clock=clock)

    for step in range(1, 1001):
        progress(step, 1000)
        clock.now += 0.01  # 100 reports a second, a new percent every 10
    # 10 s of work: the first report, then one per 0.25 s, then the last.

    assert 40 <= progress.reports <= 42
    job.refresh_from_db()
    assert job.done == 1000


def test_a_new_message_is_reported_even_within_the_same_percent(job):
    clock = FrozenClock()
    progress = Progress(job, clock=clock)

    progress(1, 1000, "students")
    clock.now += 1
    progress(2, 1000, "parents")

    job.refresh_from_db()
    assert job.message == "parents"
    assert progress.reports == 2


def test_nothing_is_written_while_the_percent_stays_the_same(job):
    clock = FrozenClock()
    progress = Progress(job, clock=clock)

    for step in range(1, 10):
        progress(step, 1000)
        clock.now += 1

    assert progress.reports == 1
