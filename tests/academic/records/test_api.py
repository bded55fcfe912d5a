"""The records API keeps the pages' scopes: deanery B reads nothing of faculty A."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_is_scoped_to_the_callers_faculty(cast, enrolled):
    url = reverse("v1:records-students")

    mine = api_as(cast.deanery_a).get(url).json()
    theirs = api_as(cast.deanery_b).get(url).json()

    assert {row["record_number"] for row in mine["results"]} == {"24-0001", "24-0002"}
    assert theirs["count"] == 0


def test_a_file_of_another_faculty_is_not_found(cast, enrolled):
    url = reverse("v1:records-student", kwargs={"student_id": enrolled.student.pk})

    assert api_as(cast.deanery_b).get(url).status_code == 404
    assert api_as(cast.other_student).get(url).status_code == 404
    own = api_as(cast.student).get(url)
    assert own.status_code == 200
    assert own.json()["group"] == "ГР-1-24"


def test_the_search_finds_lower_case_cyrillic(cast, enrolled):
    found = api_as(cast.records_office).get(reverse("v1:records-students"), {"q": "өмүрбек"})
    assert [row["record_number"] for row in found.json()["results"]] == ["24-0002"]
