"""The records office's pages: lists on a date, personal files, and the order flow."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from academic.records.models import Order, OrderKind, Status, Student
from academic.records.selectors import state_on
from tests.academic.records.conftest import admit, personal_file
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def make_students(count: int, group, start: int = 100) -> list[Student]:
    students = [
        personal_file(make_user(f"s{start + i}", last_name=f"Үсөнов{i}"), f"24-{start + i}")
        for i in range(count)
    ]
    admit(students, group, number=f"A-{start}")
    return students


def test_the_list_shows_the_offices_students_and_filters_them(client, cast, university, enrolled):
    make_students(2, university.group_b)
    client.force_login(cast.deanery_a)

    page = client.get(reverse("records:students")).content.decode()
    assert "24-0001" in page and "24-0002" in page
    assert "24-100" not in page  # faculty B is not deanery A's

    client.force_login(cast.records_office)
    found = client.get(reverse("records:students"), {"q": "асанов"}).content.decode()
    assert "24-0001" in found and "24-0002" not in found
    latin = client.get(reverse("records:students"), {"q": "Omurbek"}).content.decode()
    assert "24-0002" in latin and "24-0001" not in latin


def test_the_list_on_an_earlier_date_shows_who_was_there(client, cast, university, enrolled):
    client.force_login(cast.records_office)
    before = client.get(reverse("records:students"), {"on": "2024-08-31"}).content.decode()
    after = client.get(reverse("records:students"), {"on": "2024-09-01"}).content.decode()

    assert "24-0001" not in before
    assert "24-0001" in after


@pytest.mark.parametrize("member", ["records_office", "deanery_a"])
def test_the_list_costs_the_same_queries_for_2_and_40_students(
    client, cast, university, enrolled, django_assert_max_num_queries, member
):
    client.force_login(getattr(cast, member))
    url = reverse("records:students")
    client.get(url)  # warm up: sessions, rights, content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_students(38, university.group_a)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_the_list_exports_to_excel_with_kyrgyz_letters(client, cast, university, enrolled):
    make_students(1, university.group_a)
    client.force_login(cast.records_office)

    response = client.get(reverse("records:students"), {"export": "xlsx"})

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4
    assert any("Үсөнов0" in (row[1] or "") for row in rows)


def test_the_personal_file_shows_the_state_on_a_date(client, cast, university, enrolled):
    client.force_login(cast.records_office)
    url = reverse("records:student", kwargs={"student_id": enrolled.student.pk})

    page = client.get(url, {"on": "2024-08-01"}).content.decode()
    assert "not yet a student" in page
    page = client.get(url, {"on": "2024-10-01"}).content.decode()
    assert "ГР-1-24" in page


def test_the_personal_file_page_costs_constant_queries(
    client, cast, university, enrolled, django_assert_num_queries
):
    from academic.records import actions

    client.force_login(cast.records_office)
    url = reverse("records:student", kwargs={"student_id": enrolled.student.pk})
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(5):
        actions.student_contact_add(
            by=None, student=enrolled.student, relation="other", full_name=f"Туугандар {i}"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_opening_a_personal_file_shows_the_initial_password_once(client, cast, university):
    client.force_login(cast.records_office)
    response = client.post(
        reverse("records:student-create"),
        {
            "last_name": "Жумабаева",
            "first_name": "Айжаң",
            "username": "aizhan",
            "language": "ky",
            "record_number": "26-0009",
            "sex": "f",
            "birth_date": "2008-05-02",
            "citizenship": "Кыргыз Республикасы",
            "document_kind": "id_card",
        },
    )

    assert response.status_code == 200, response.content.decode()[:3000]
    student = Student.objects.get(record_number="26-0009")
    assert student.user.get_full_name() == "Жумабаева Айжаң"
    assert student.user.must_change_password
    assert response.context["password"]
    assert state_on(student) is None


def test_an_invalid_personal_file_re_renders_with_messages(client, cast, university):
    client.force_login(cast.records_office)
    response = client.post(
        reverse("records:student-create"),
        {"last_name": "Ж", "first_name": "А", "username": "x", "language": "ky", "pin": "12"},
    )
    assert response.status_code == 200
    assert "A PIN has 14 digits." in response.content.decode()
    assert not Student.objects.exists()


def test_the_order_flow_moves_two_students(client, cast, university, enrolled):
    client.force_login(cast.records_office)
    response = client.post(
        reverse("records:order-create"),
        {
            "kind": OrderKind.TRANSFER,
            "number": "45-С",
            "date": "2025-02-01",
            "effective_date": "2025-02-01",
            "reason": "Арызы боюнча",
            "signer": "Ректор",
        },
    )
    order = Order.objects.get(number="45-С")
    assert response.status_code == 302
    url = reverse("records:order", kwargs={"order_id": order.pk})
    client.post(url, {"student": "24-0001", "group": university.group_b.pk})
    client.post(url, {"student": "Өмүрбекова", "group": university.group_b.pk})
    bad = client.post(url, {"student": "nobody", "group": university.group_b.pk})
    assert "No student matches" in bad.content.decode()
    assert order.lines.count() == 2

    confirm = client.get(reverse("records:order-sign", kwargs={"order_id": order.pk}))
    assert "cannot be changed" in confirm.content.decode()
    client.post(reverse("records:order-sign", kwargs={"order_id": order.pk}), {"signer": "Ректор"})

    on = date(2025, 2, 1)
    assert state_on(enrolled.student, on).group == university.group_b
    assert state_on(enrolled.other_student, on).group == university.group_b
    assert state_on(enrolled.student, on).status == Status.STUDYING
    signed = client.get(url).content.decode()
    assert "Add to the order" not in signed


def test_the_group_roster_on_a_date(client, cast, university, enrolled):
    client.force_login(cast.curator)
    url = reverse("records:group-roster", kwargs={"group_id": university.group_a.pk})

    assert "24-0001" in client.get(url).content.decode()
    assert "24-0001" not in client.get(url, {"on": "2024-01-01"}).content.decode()


def test_the_group_page_costs_the_same_queries_for_2_and_40_students(
    client, cast, university, enrolled
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.records_office)
    url = reverse("records:group-roster", kwargs={"group_id": university.group_a.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_students(38, university.group_a, start=300)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["students"]) == 40
    assert len(few) == len(many)


def test_deanery_b_exports_nothing_of_faculty_a(client, cast, university, enrolled):
    client.force_login(cast.deanery_b)

    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("records:students"), {"export": fmt})
        assert response.status_code == 200
        if fmt == "csv":
            assert "24-0001" not in response.content.decode("utf-8")
    roster = client.get(
        reverse("records:group-roster", kwargs={"group_id": university.group_a.pk}),
        {"export": "csv"},
    )
    assert roster.status_code == 404
