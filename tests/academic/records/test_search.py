"""Student search (SR-7): names in any script and order, every attribute, scope, the JSON picker."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from academic.records import actions
from academic.records.models import ExpulsionReason, OrderKind, Sex, Status, Student
from academic.records.permissions import visible_students
from academic.records.search import StudentFilters, search_students
from academic.structure.models import SoateLevel, SoateUnit
from tests.academic.records.conftest import admit, personal_file
from tests.conftest import CAST_NAMES, make_user

pytestmark = pytest.mark.django_db

RECORDS_READERS = {
    "admin",
    "vice_rector",
    "records_office",
    "cashier",
    "deanery_a",
    "deanery_b",
    "curator",
    "academic_affairs",
}


@pytest.fixture
def files(cast, university, enrolled):
    """cast.student (Асанов Бакыт / Asanov Bakyt, group A) with every attribute filled;
    other_student (Өмүрбекова Айгүл, group A); Бакытов Асан in group B."""
    region = SoateUnit.objects.create(
        code="T41800000000", level=SoateLevel.REGION, name_ky="Нарын облусу", name_ru="Нарынская"
    )
    village = SoateUnit.objects.create(
        code="T41800000001", level=SoateLevel.SETTLEMENT, parent=region, name_ky="Айыл",
        name_ru="Село",
    )  # fmt: skip
    student = enrolled.student
    student.pin, student.document_number = "22003200512345", "ID1234567"
    student.nationality, student.citizenship = "кыргыз", "Кыргызская Республика"
    student.birth_date, student.address_unit = date(2003, 5, 2), village
    student.save()
    cast.student.phone = "+996555123456"
    cast.student.save()
    user = make_user("bakytov", last_name="Бакытов", first_name="Асан", last_name_latin="Bakytov")
    other = personal_file(user, "24-0100")
    other.nationality, other.citizenship = "өзбек", "Республика Узбекистан"
    other.save()
    admit([other], university.group_b, number="2-A")
    return {"student": student, "other_student": enrolled.other_student, "bakytov": other}


def found(text="", user=None, **filters) -> list[str]:
    students = visible_students(user) if user else Student.objects.all()
    result = search_students(students, text=text, filters=StudentFilters(**filters))
    return [s.record_number for s in result]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("асанов бак", ["24-0001"]),
        ("бак асанов", ["24-0001"]),
        ("Асанов", ["24-0001"]),
        ("АСАНОВ", ["24-0001"]),
        ("санов", ["24-0001"]),
        ("Asanov", ["24-0001"]),
        ("asanov bakyt", ["24-0001"]),
        ("бакыт", ["24-0001", "24-0100"]),
        ("бакыт асанов", ["24-0001"]),
        ("асан", ["24-0001", "24-0100"]),
        ("өмүрбек", ["24-0002"]),
        ("Өмүрбекова айгүл", ["24-0002"]),
        ("24-0100", ["24-0100"]),
        ("22003200512345", ["24-0001"]),
        ("555123", ["24-0001"]),
        ("ID1234567", ["24-0001"]),
        ("id12345", ["24-0001"]),
        ("ГР-2", ["24-0100"]),
        ("гр-1-24 omurbekova", ["24-0002"]),
        ("530100", ["24-0100"]),
        ("нетакого", []),
    ],
)
def test_search_by_text(files, text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"sex": Sex.FEMALE}, ["24-0002"]),
        ({"birth_year": 2003}, ["24-0001"]),
        ({"nationality": "Өзбек"}, ["24-0100"]),
        ({"citizenship": "республика узбекистан"}, ["24-0100"]),
        ({"status": Status.STUDYING}, ["24-0001", "24-0100", "24-0002"]),
    ],
)
def test_search_by_attribute(files, filters, expected):
    assert found(**filters) == expected


def test_search_by_group_specialty_faculty_and_region(files, university):
    assert found(group=university.group_b.pk) == ["24-0100"]
    assert found(specialty=university.specialty_a.pk) == ["24-0001", "24-0002"]
    assert found(faculty=university.faculty_b.pk) == ["24-0100"]
    region = SoateUnit.objects.get(code="T41800000000")
    assert found(region=region.pk) == ["24-0001"]


def test_status_is_the_status_today(files):
    order = actions.order_create(
        by=None, kind=OrderKind.EXPULSION, number="7-E", date=date(2025, 1, 10),
        effective_date=date(2025, 1, 10),
    )  # fmt: skip
    actions.order_line_add(
        by=None, order=order, student=files["bakytov"], expulsion_reason=ExpulsionReason.OTHER
    )
    actions.order_sign(by=None, order=order, signer="Ректор")
    assert found(status=Status.EXPELLED) == ["24-0100"]
    assert found("асан", status=Status.STUDYING) == ["24-0001"]


def test_search_is_scoped(files, cast):
    assert found("асан", user=cast.deanery_b) == ["24-0100"]
    assert found("асан", user=cast.deanery_a) == ["24-0001"]
    assert found("асан", user=cast.teacher) == []


# --- Pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("member", CAST_NAMES)
@pytest.mark.parametrize("name", ["records:search", "records:search-json"])
def test_search_pages_for_every_member(client, cast, university, member, name):
    client.force_login(getattr(cast, member))
    response = client.get(reverse(name), {"q": "асан"})
    assert response.status_code == (200 if member in RECORDS_READERS else 404)


def test_search_page_links_to_the_personal_file(client, cast, files):
    client.force_login(cast.records_office)
    response = client.get(reverse("records:search"), {"q": "asanov"})
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("records:student", args=[files["student"].pk]) in html
    assert "ГР-1-24" in html


def test_search_page_without_criteria_lists_nobody(client, cast, files):
    client.force_login(cast.records_office)
    response = client.get(reverse("records:search"))
    assert response.context["page"] is None


def test_search_page_query_count_is_constant(
    client, cast, files, university, django_assert_num_queries
):
    client.force_login(cast.records_office)
    url = reverse("records:search")
    client.get(url, {"q": "а"})  # warm the session and the user's rights

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "а"})
    more = [personal_file(make_user(f"x{n}", last_name="Алиев"), f"25-{n:04d}") for n in range(8)]
    admit(more, university.group_b, number="4-A")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"q": "а"})
    assert response.context["page"].paginator.count == 11
    assert len(many) == len(few)


def test_json_endpoint(client, cast, files):
    client.force_login(cast.records_office)
    response = client.get(reverse("records:search-json"), {"q": "бак асан"})
    results = response.json()["results"]
    assert [r["record_number"] for r in results] == ["24-0001", "24-0100"]
    first = results[1]
    assert first["name"] == "Бакытов Асан"
    assert first["group"] == "ГР-2-24"
    assert first["status"] == Status.STUDYING
    assert first["url"] == reverse("records:student", args=[files["bakytov"].pk])


def test_json_endpoint_gives_at_most_twenty(client, cast, files, university):
    more = [personal_file(make_user(f"y{n}", last_name="Алиев"), f"26-{n:04d}") for n in range(25)]
    admit(more, university.group_b, number="4-A")
    client.force_login(cast.records_office)
    response = client.get(reverse("records:search-json"), {"q": "алиев"})
    assert len(response.json()["results"]) == 20


def test_json_endpoint_empty_query_and_bad_status(client, cast, files):
    client.force_login(cast.records_office)
    url = reverse("records:search-json")
    assert client.get(url, {"q": ""}).json() == {"results": []}
    assert client.get(url, {"q": "асан", "status": "bogus"}).json() == {"results": []}
    assert len(client.get(url, {"q": "асан", "status": "studying"}).json()["results"]) == 2


def test_json_endpoint_is_scoped(client, cast, files):
    client.force_login(cast.deanery_b)
    response = client.get(reverse("records:search-json"), {"q": "асан"})
    assert [r["record_number"] for r in response.json()["results"]] == ["24-0100"]
