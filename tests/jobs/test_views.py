"""jobs/, jobs/<id>/, jobs/<id>/status.json and jobs/start/<kind>/: who sees what."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from hub.jobs.models import Job, JobStatus


@pytest.fixture
def job(cast):
    return Job.objects.create(
        owner=cast.teacher,
        kind="tests.count",
        params={"steps": 40},
        status=JobStatus.RUNNING,
        done=10,
        total=40,
        message="counting",
    )


def detail_url(job) -> str:
    return f"/jobs/{job.pk}/"


def test_the_owner_sees_the_progress_bar(client, cast, job):
    client.force_login(cast.teacher)

    response = client.get(detail_url(job))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<progress data-job-bar max="100" value="25">' in html
    assert "25%" in html
    assert "counting" in html
    assert f'data-job-status-url="/jobs/{job.pk}/status.json"' in html
    assert "jobs/progress.js" in html


def test_a_finished_job_shows_its_result_and_no_script(client, cast, job):
    job.status, job.done, job.result = JobStatus.SUCCEEDED, 40, {"counted": 40}
    job.save()
    client.force_login(cast.teacher)

    html = client.get(detail_url(job)).content.decode()

    assert "<dt>counted</dt><dd>40</dd>" in html
    assert "jobs/progress.js" not in html


def test_a_failed_job_shows_its_error(client, cast, job):
    job.status, job.error = JobStatus.FAILED, "RuntimeError: the disk is full"
    job.save()
    client.force_login(cast.teacher)

    html = client.get(detail_url(job)).content.decode()

    assert "RuntimeError: the disk is full" in html


@pytest.mark.parametrize(
    "member",
    ["student", "other_student", "other_teacher", "curator", "deanery_a", "deanery_b", "parent"],
)
def test_other_cast_members_get_404(client, cast, job, member):
    client.force_login(getattr(cast, member))

    assert client.get(detail_url(job)).status_code == 404
    assert client.get(f"{detail_url(job)}status.json").status_code == 404


def test_a_superuser_may_look_at_any_job(client, cast, job):
    client.force_login(cast.admin)

    assert client.get(detail_url(job)).status_code == 200


def test_a_missing_job_is_the_same_404(client, cast):
    client.force_login(cast.teacher)

    assert client.get("/jobs/987654/").status_code == 404


@pytest.mark.parametrize("path", ["/jobs/", "/jobs/{id}/", "/jobs/{id}/status.json"])
def test_anonymous_is_redirected_to_login(client, job, path):
    response = client.get(path.format(id=job.pk))

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


def test_status_json_says_how_far_the_job_got(client, cast, job):
    client.force_login(cast.teacher)

    data = client.get(f"{detail_url(job)}status.json").json()

    assert data["id"] == job.pk
    assert (data["status"], data["done"], data["total"], data["percent"]) == ("running", 10, 40, 25)
    assert data["message"] == "counting"
    assert data["finished"] is False
    assert data["status_label"] == "Running"


def test_the_list_shows_only_my_jobs_newest_first(client, cast, job):
    Job.objects.create(owner=cast.teacher, kind="tests.fail", status=JobStatus.FAILED)
    Job.objects.create(owner=cast.other_teacher, kind="tests.count", params={"steps": 1})
    client.force_login(cast.teacher)

    response = client.get("/jobs/")

    jobs = list(response.context["page"].object_list)
    assert [j.owner_id for j in jobs] == [cast.teacher.pk, cast.teacher.pk]
    assert jobs[0].kind == "tests.fail"


def test_the_list_is_paginated(client, cast):
    Job.objects.bulk_create(
        Job(owner=cast.teacher, kind="tests.count", params={"steps": 1}) for _ in range(25)
    )
    client.force_login(cast.teacher)

    first = client.get("/jobs/")
    second = client.get("/jobs/?page=2")

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 5


def test_only_superusers_see_the_seed_button(client, cast):
    client.force_login(cast.admin)
    admin_page = client.get("/jobs/").content.decode()
    client.force_login(cast.deanery_a)
    staff_page = client.get("/jobs/").content.decode()

    assert "Seed demo university" in admin_page
    assert 'action="/jobs/start/demo.seed/"' in admin_page
    assert "csrfmiddlewaretoken" in admin_page
    assert "Seed demo university" not in staff_page


def test_others_cannot_start_the_seed(client, cast):
    client.force_login(cast.deanery_a)

    response = client.post("/jobs/start/demo.seed/", {"students": 10})

    assert response.status_code == 404
    assert not Job.objects.exists()


@pytest.mark.parametrize("students", ["0", "20001", "many", ""])
def test_the_seed_button_validates_the_number_of_students(client, cast, students):
    client.force_login(cast.admin)

    response = client.post("/jobs/start/demo.seed/", {"students": students})

    assert response.status_code == 200
    assert "Enter a number of students from 1 to 20000." in response.content.decode()
    assert not Job.objects.exists()


def test_the_seed_button_starts_a_job_and_opens_its_page(client, cast):
    client.force_login(cast.admin)

    response = client.post("/jobs/start/demo.seed/", {"students": "1200"})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == f"/jobs/{job.pk}/"
    assert (job.owner, job.kind, job.status) == (cast.admin, "demo.seed", JobStatus.QUEUED)
    assert job.params == {"students": 1200, "seed": 2026}


def test_starting_needs_post_with_a_csrf_token(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)

    assert client.get("/jobs/start/demo.seed/").status_code == 405
    assert client.post("/jobs/start/demo.seed/", {"students": "10"}).status_code == 403
    assert not Job.objects.exists()


def test_the_list_costs_the_same_queries_for_one_job_or_a_full_page(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.teacher)
    Job.objects.create(owner=cast.teacher, kind="tests.count", params={"steps": 1})
    with CaptureQueriesContext(connection) as one:
        client.get("/jobs/")
    Job.objects.bulk_create(
        Job(owner=cast.teacher, kind="tests.count", params={"steps": 1}) for _ in range(30)
    )
    with CaptureQueriesContext(connection) as many:
        client.get("/jobs/")

    assert len(many) == len(one)
