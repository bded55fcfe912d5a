import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.staff import actions
from academic.staff.forms import OrderLineForm
from academic.staff.models import (
    DocumentKind,
    Employee,
    Establishment,
    OrderKind,
    OrderStatus,
    Position,
    StaffOrder,
)
from hub.accounts.models import Cabinet
from tests.academic.staff.conftest import ON, card, hire
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 scan"


def names_of(response) -> list[str]:
    return [employee.personnel_number for employee in response.context["page"].object_list]


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def more_staff(university, titles, count: int) -> None:
    users = [
        make_user(f"t{i}", cabinet=Cabinet.TEACHER, last_name=f"Үсөнов{i}", first_name="Нурбек")
        for i in range(count)
    ]
    cards = Employee.objects.bulk_create(
        Employee(user=user, personnel_number=f"9{i:04d}", birth_date=date(1990, 1, 1), sex="m")
        for i, user in enumerate(users)
    )
    Position.objects.bulk_create(
        Position(
            employee=employee,
            title=titles["lecturer"],
            department=university.department_a,
            rate=Decimal("1.0"),
            valid_from=date(2020, 1, 1),
        )
        for employee in cards
    )


# --- The employee list ---------------------------------------------------------------------


def test_the_list_searches_cyrillic_and_latin_names_and_numbers(client, cast, staffed):
    client.force_login(cast.hr)
    url = reverse("staff:employees")

    assert names_of(client.get(url, {"q": "иванова"})) == ["10001"]
    assert names_of(client.get(url, {"q": "Zheenbekov"})) == ["10002"]
    assert names_of(client.get(url, {"q": "10002"})) == ["10002"]
    assert names_of(client.get(url, {"q": "Наталья Иванова"})) == ["10001"]
    assert names_of(client.get(url, {"q": "nobody"})) == []


def test_the_list_filters_by_department_degree_and_title_and_sorts(
    client, cast, university, staffed
):
    _teacher_card, other_card = staffed
    actions.employee_update(by=None, employee=other_card, degree="doctor", title="professor")
    client.force_login(cast.hr)
    url = reverse("staff:employees")

    assert names_of(client.get(url, {"department": university.department_b.pk})) == ["10002"]
    assert names_of(client.get(url, {"degree": "doctor"})) == ["10002"]
    assert names_of(client.get(url, {"title": "professor"})) == ["10002"]
    assert names_of(client.get(url, {"sort": "-number"})) == ["10002", "10001"]
    assert names_of(client.get(url, {"sort": "-age"})) == ["10002", "10001"]
    assert names_of(client.get(url, {"sort": "name"})) == ["10002", "10001"]


def test_a_department_lists_only_its_own_staff(client, staffed, department_reader):
    client.force_login(department_reader)

    assert names_of(client.get(reverse("staff:employees"))) == ["10001"]


def test_the_list_is_paginated(client, cast, university, titles):
    more_staff(university, titles, 55)
    client.force_login(cast.hr)

    first = client.get(reverse("staff:employees"))
    second = client.get(reverse("staff:employees"), {"page": 2})

    assert len(names_of(first)) == 50
    assert len(names_of(second)) == 5


@pytest.mark.parametrize("member", ["hr", "department"])
def test_the_list_takes_as_many_queries_for_40_employees_as_for_1(
    client, cast, university, titles, department_reader, member
):
    client.force_login(cast.hr if member == "hr" else department_reader)
    url = reverse("staff:employees")
    more_staff(university, titles, 1)
    client.get(url)

    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert len(names_of(response)) == 1
    more_staff_offset(university, titles)
    with CaptureQueriesContext(connection) as forty:
        response = client.get(url)

    assert len(names_of(response)) == 40
    assert len(forty) == len(one)


def more_staff_offset(university, titles) -> None:
    users = [make_user(f"u{i}", cabinet=Cabinet.TEACHER, last_name=f"Асанов{i}") for i in range(39)]
    cards = Employee.objects.bulk_create(
        Employee(user=user, personnel_number=f"8{i:04d}", birth_date=date(1985, 1, 1), sex="m")
        for i, user in enumerate(users)
    )
    Position.objects.bulk_create(
        Position(
            employee=employee,
            title=titles["docent"],
            department=university.department_a,
            rate=Decimal("0.5"),
            valid_from=date(2020, 1, 1),
        )
        for employee in cards
    )


def test_the_list_exports_with_kyrgyz_letters(client, cast, university, titles):
    more_staff(university, titles, 2)
    client.force_login(cast.hr)

    response = client.get(reverse("staff:employees"), {"export": "csv", "q": "Үсөнов1"})

    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[1][:2] == ["90001", "Үсөнов1 Нурбек"]
    assert "Окутуучу" in rows[1] or "Lecturer" in rows[1]


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_the_list_exports_to_excel_and_pdf(client, cast, staffed, fmt):
    client.force_login(cast.hr)

    response = client.get(reverse("staff:employees"), {"export": fmt})

    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]


# --- The card ---------------------------------------------------------------------------------


def test_the_card_shows_posts_education_and_documents(client, cast, university, staffed):
    teacher_card, _other = staffed
    actions.education_add(
        by=None, employee=teacher_card, institution="ОшМУ", specialty="Физика", year=2003
    )
    client.force_login(cast.teacher)

    response = client.get(reverse("staff:employee", args=[teacher_card.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "ОшМУ" in content
    assert university.department_a.name_ru in content or university.department_a.name_ky in content
    assert "Edit" not in content  # the employee reads their card, HR edits it


def test_the_card_takes_as_many_queries_with_many_rows(client, cast, university, titles, staffed):
    teacher_card, _other = staffed
    client.force_login(cast.hr)
    url = reverse("staff:employee", args=[teacher_card.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for year in range(2001, 2006):
        actions.education_add(
            by=None, employee=teacher_card, institution="КНУ", specialty="x", year=year
        )
        actions.document_upload(
            by=None,
            employee=teacher_card,
            kind=DocumentKind.OTHER,
            file=SimpleUploadedFile(f"{year}.pdf", PDF),
        )
    hire(
        cast,
        teacher_card,
        university.department_b,
        titles["lecturer"],
        rate="0.25",
        employment="internal",
        number="H-more",
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_hr_opens_a_card_and_errors_re_render(client, cast):
    client.force_login(cast.hr)
    url = reverse("staff:employee-create")
    data = {
        "user": cast.curator.pk,
        "personnel_number": "20001",
        "birth_date": "1979-03-08",
        "sex": "f",
        "citizenship": "Кыргыз Республикасы",
        "degree": "candidate",
        "title": "docent",
    }

    bad = client.post(url, {**data, "birth_date": "1850-01-01"})
    assert bad.status_code == 200
    assert "Enter a real date of birth." in bad.content.decode()
    response = client.post(url, data)

    employee = Employee.objects.get(user=cast.curator)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:employee", args=[employee.pk])
    assert employee.degree == "candidate"


def test_hr_edits_a_card(client, cast, teacher_card):
    client.force_login(cast.hr)
    url = reverse("staff:employee-edit", args=[teacher_card.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "personnel_number": "10001",
            "birth_date": "1980-05-17",
            "sex": "f",
            "citizenship": "Кыргыз Республикасы",
            "phone": "+996 700 111222",
            "degree": "phd",
            "title": "none",
        },
    )

    teacher_card.refresh_from_db()
    assert response.status_code == 302
    assert (teacher_card.phone, teacher_card.degree) == ("+996 700 111222", "phd")


def test_a_document_is_uploaded_and_downloaded_by_the_employee(client, cast, teacher_card):
    client.force_login(cast.hr)
    upload = reverse("staff:document-upload", args=[teacher_card.pk])

    refused = client.post(upload, {"kind": "cv", "file": SimpleUploadedFile("cv.exe", PDF)})
    assert "Upload a PDF, JPG or PNG file." in refused.content.decode()
    client.post(upload, {"kind": "cv", "file": SimpleUploadedFile("түйүндөмө.pdf", PDF)})

    document = teacher_card.documents.get()
    client.force_login(cast.teacher)
    response = client.get(reverse("staff:document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    client.force_login(cast.other_teacher)
    assert client.get(reverse("staff:document", args=[document.pk])).status_code == 404


def test_education_is_added_through_its_form(client, cast, teacher_card):
    client.force_login(cast.hr)
    url = reverse("staff:education-add", args=[teacher_card.pk])

    bad = client.post(url, {"institution": "КНУ", "specialty": "x", "year": 1970})
    client.post(url, {"institution": "КНУ", "specialty": "Тарых", "year": 2004})

    assert "The year of graduation must come after the year of birth." in bad.content.decode()
    assert [e.specialty for e in teacher_card.education.all()] == ["Тарых"]


# --- Orders -----------------------------------------------------------------------------------


def test_an_order_is_drafted_filled_confirmed_and_signed(client, cast, university, titles):
    employee = card(cast.curator, "20001")
    client.force_login(cast.hr)

    client.post(
        reverse("staff:order-create"),
        {
            "kind": OrderKind.HIRING,
            "number": "31-к",
            "date": "2026-08-25",
            "effective_date": "2026-09-01",
            "signer": cast.vice_rector.pk,
        },
    )
    order = StaffOrder.objects.get(number="31-к")
    line_url = reverse("staff:order-line-add", args=[order.pk])
    missing = client.post(line_url, {"employee": employee.pk, "title": titles["docent"].pk})
    client.post(
        line_url,
        {
            "employee": employee.pk,
            "title": titles["docent"].pk,
            "department": university.department_a.pk,
            "rate": "0.75",
            "employment": "main",
        },
    )
    sign_url = reverse("staff:order-sign", args=[order.pk])
    confirm = client.get(sign_url)
    assert not Position.objects.exists()
    signed = client.post(sign_url)

    assert "Give either the department or the office of the post." in missing.content.decode()
    assert confirm.status_code == 200
    assert "31-к" in confirm.content.decode()
    assert signed.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.SIGNED
    [post] = Position.objects.all()
    assert (post.rate, post.valid_from) == (Decimal("0.75"), date(2026, 9, 1))
    detail = client.get(reverse("staff:order", args=[order.pk])).content.decode()
    assert reverse("staff:order-edit", args=[order.pk]) not in detail


def test_a_signed_order_refuses_edits_through_the_pages(client, cast, university, titles):
    employee = card(cast.curator, "20001")
    post = hire(cast, employee, university.department_a, titles["docent"], number="32-к")
    order = post.opened_by.order
    client.force_login(cast.hr)

    response = client.post(
        reverse("staff:order-edit", args=[order.pk]),
        {
            "number": "32а-к",
            "date": "2026-09-01",
            "effective_date": "2026-09-01",
            "signer": cast.vice_rector.pk,
        },
    )
    again = client.post(reverse("staff:order-sign", args=[order.pk]), follow=True)

    assert "A signed order cannot be changed" in response.content.decode()
    assert "A signed order cannot be changed" in again.content.decode()
    order.refresh_from_db()
    assert order.number == "32-к"


def test_a_draft_line_is_removed_through_the_page(client, cast, teacher_card):
    order = actions.staff_order_create(
        by=None,
        kind=OrderKind.AWARD,
        number="33-н",
        date=ON,
        effective_date=ON,
        signer=cast.vice_rector,
    )
    line = actions.staff_order_line_add(
        by=None, order=order, employee=teacher_card, award_kind="bonus", text="x"
    )
    client.force_login(cast.hr)

    response = client.post(reverse("staff:order-line-remove", args=[order.pk, line.pk]))

    assert response.status_code == 302
    assert not order.lines.exists()


def test_the_order_list_filters_and_counts_lines(client, cast, staffed):
    client.force_login(cast.academic_affairs)

    response = client.get(reverse("staff:orders"), {"kind": "hiring", "status": "signed"})

    orders = list(response.context["page"].object_list)
    assert len(orders) == 2
    assert {order.line_count for order in orders} == {1}
    awards = client.get(reverse("staff:orders"), {"kind": "award"})
    assert list(awards.context["page"].object_list) == []


# --- Establishment and reports ------------------------------------------------------------------


def test_hr_budgets_rates_and_readers_see_them(client, cast, university, titles):
    client.force_login(cast.hr)
    url = reverse("staff:establishment")

    client.post(
        url,
        {"department": university.department_a.pk, "title": titles["docent"].pk, "rates": "3.5"},
    )
    bad = client.post(url, {"department": university.department_a.pk, "rates": "-1"})
    client.force_login(cast.academic_affairs)
    read = client.get(url)
    posted = client.post(url, {"department": university.department_a.pk, "rates": "9"})

    assert Establishment.objects.get().rates == Decimal("3.5")
    assert bad.status_code == 200
    assert list(read.context["rows"]) == [Establishment.objects.get()]
    assert posted.status_code == 404


def test_the_reports_page_shows_figures_and_chart_data(client, cast, university, staffed):
    client.force_login(cast.hr)

    response = client.get(reverse("staff:reports"), {"on": "2026-09-01"})

    assert response.status_code == 200
    assert response.context["on"] == date(2026, 9, 1)
    assert 'id="staff-occupancy-data"' in response.content.decode()
    assert "chart.umd.min.js" in response.content.decode()
    chart = response.context["chart"]
    assert chart["series"][1]["data"] == [1.0, 1.0]


def test_report_tables_export_with_kyrgyz_letters(client, cast, staffed):
    client.force_login(cast.hr)
    url = reverse("staff:reports")

    ages = csv_rows(client.get(url, {"on": "2026-09-01", "export": "csv", "table": "age"}))
    departments = csv_rows(
        client.get(url, {"on": "2026-09-01", "export": "csv", "table": "departments"})
    )
    staff = csv_rows(client.get(url, {"on": "2026-09-01", "export": "csv", "table": "list"}))

    assert ages[1:] == [["< 30", "0"], ["30–39", "0"], ["40–49", "1"], ["50–59", "0"], ["60+", "1"]]
    assert departments[1][1:3] == ["1", "1.00"]
    assert [row[1] for row in staff[1:]] == ["Жээнбеков Нурлан", "Иванова Наталья"]
    pdf = client.get(url, {"on": "2026-09-01", "export": "pdf", "table": "degree"})
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("kind", OrderKind.values)
def test_the_line_form_asks_for_what_the_kind_needs(client, cast, staffed, kind):
    order = actions.staff_order_create(
        by=None, kind=kind, number="40", date=ON, effective_date=ON, signer=cast.vice_rector
    )
    client.force_login(cast.hr)

    response = client.get(reverse("staff:order-line-add", args=[order.pk]))

    fields = set(response.context["form"].fields)
    assert response.status_code == 200
    assert fields == set(OrderLineForm.KIND_FIELDS[kind])
    assert client.get(reverse("staff:order-edit", args=[order.pk])).status_code == 200


def test_a_transfer_line_is_added_through_the_form(client, cast, university, titles, staffed):
    teacher_card, _other = staffed
    post = teacher_card.positions.get()
    order = actions.staff_order_create(
        by=None,
        kind=OrderKind.TRANSFER,
        number="41-к",
        date=date(2027, 1, 10),
        effective_date=date(2027, 1, 10),
        signer=cast.vice_rector,
    )
    client.force_login(cast.hr)

    response = client.post(
        reverse("staff:order-line-add", args=[order.pk]),
        {
            "employee": teacher_card.pk,
            "position": post.pk,
            "title": titles["professor"].pk,
            "office": "Ректорат",
            "rate": "1.0",
            "employment": "main",
        },
    )

    assert response.status_code == 302
    line = order.lines.get()
    assert (line.position, line.office, line.rate) == (post, "Ректорат", Decimal("1.0"))


def award_orders(cast, employees, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        award = actions.staff_order_create(
            by=None,
            kind=OrderKind.AWARD,
            number=f"A-{i}",
            date=ON,
            effective_date=ON,
            signer=cast.vice_rector,
        )
        for employee in employees:
            actions.staff_order_line_add(
                by=None, order=award, employee=employee, award_kind="bonus", text="x"
            )


def test_the_order_list_takes_as_many_queries_for_20_orders_as_for_1(client, cast, staffed):
    client.force_login(cast.hr)
    url = reverse("staff:orders")
    award_orders(cast, staffed, 1)
    client.get(url, {"kind": "award"})
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"kind": "award"})
    award_orders(cast, staffed, 19, start=1)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url, {"kind": "award"})

    assert len(response.context["page"].object_list) == 20
    assert len(twenty) == len(one)


def test_the_reports_take_as_many_queries_for_40_employees_as_for_2(
    client, cast, university, titles, staffed
):
    client.force_login(cast.hr)
    url = reverse("staff:reports")
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    more_staff_offset(university, titles)
    with CaptureQueriesContext(connection) as forty:
        response = client.get(url)

    assert len(response.context["report"].employees) == 41
    assert len(forty) == len(two)


def test_a_department_reports_on_its_own_department_only(
    client, university, staffed, department_reader
):
    client.force_login(department_reader)

    response = client.get(reverse("staff:reports"), {"on": "2026-10-01"})

    rows = response.context["report"].departments
    assert [row.department for row in rows] == [university.department_a]
    assert reverse("staff:orders") not in response.content.decode()
