"""access_job: the owner and superusers; one Http404 for missing and foreign jobs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from hub.jobs.models import Job
from hub.jobs.permissions import access_job


@pytest.fixture
def job(cast):
    return Job.objects.create(owner=cast.student, kind="tests.count", params={"steps": 1})


def test_the_owner_gets_the_job(cast, job):
    assert access_job(cast.student, job.pk) == job
    assert access_job(cast.student, job.pk, write=True) == job


def test_a_superuser_gets_any_job(cast, job):
    assert access_job(cast.admin, job.pk) == job


@pytest.mark.parametrize("member", ["other_student", "teacher", "curator", "deanery_a", "parent"])
def test_anyone_else_gets_not_found(cast, job, member):
    with pytest.raises(Http404):
        access_job(getattr(cast, member), job.pk)


def test_anonymous_gets_not_found(job):
    with pytest.raises(Http404):
        access_job(AnonymousUser(), job.pk)


def test_a_missing_job_raises_the_same_error(cast):
    with pytest.raises(Http404) as missing:
        access_job(cast.student, 987654)
    job = Job.objects.create(owner=cast.teacher, kind="tests.count", params={"steps": 1})
    with pytest.raises(Http404) as foreign:
        access_job(cast.student, job.pk)

    assert str(missing.value) == str(foreign.value)
