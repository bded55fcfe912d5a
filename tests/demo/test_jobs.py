"""The demo.seed job kind on a real worker: a larger university in the background."""

from __future__ import annotations

import pytest

from hub.accounts.models import User
from hub.jobs.actions import job_start
from hub.jobs.models import JobStatus
from tests.jobs.conftest import wait_until_finished

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_seeds_the_demo_university_in_the_background(
    client,
    cast,
    celery_worker,
    listen,
):
    listener = listen(cast.admin)

    job = job_start(owner=cast.admin, kind="demo.seed", params={"students": 1500})
    job = wait_until_finished(job)

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert User.objects.filter(username__startswith="student0").count() == 1500
    assert job.done == job.total > 1500
    assert job.result["password"] == "demo-2026"
    assert {"role": "Student", "username": "student00001"} in job.result["logins"]
    types = [event["type"] for event in listener.events()]
    assert types.count("job.finished") == 1
    assert types.count("job.progress") >= 3

    client.force_login(cast.admin)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "student00001" in page
    assert "demo-2026" in page
