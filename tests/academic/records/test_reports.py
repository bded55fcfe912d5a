"""Contingent reports (SR-6): counts by every dimension on a date, scope, the Ministry's form."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from academic.records import actions
from academic.records.models import (
    ExpulsionReason,
    Funding,
    OrderKind,
    Sex,
    Status,
)
from academic.records.permissions import office_scopes
from academic.records.reports import (
    DIMENSIONS,
    contingent,
    export_rows,
    ministry_export_rows,
    ministry_report,
    years_before,
)
from academic.structure.models import SoateLevel, SoateUnit
from hub.accounts.access import Scope
from tests.academic.records.conftest import ADMITTED_ON, admit, personal_file
from tests.conftest import CAST_NAMES, make_user

pytestmark = pytest.mark.django_db

INSTITUTION = [Scope.institution()]
TRANSFERRED_ON = date(2025, 2, 1)
BEFORE = date(2025, 1, 15)
AFTER = date(2025, 3, 1)
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


@pytest.fixture(autouse=True)
def english():
    """Labels in English, as the cast reads them."""
    with translation.override("en"):
        yield


def sign(kind, students, *, on, number, **line) -> None:
    """Sign an order of `kind` with one line per student, effective `on`."""
    order = actions.order_create(by=None, kind=kind, number=number, date=on, effective_date=on)
    for student in students:
        actions.order_line_add(by=None, order=order, student=student, **line)
    actions.order_sign(by=None, order=order, signer="Ректор")


@pytest.fixture
def region():
    top = SoateUnit.objects.create(
        code="T41700000000",
        level=SoateLevel.REGION,
        name_ky="Жаңы-Өзгөн үлкөн облусу",
        name_ru="Жаңы-Өзгөн үлкөн облусу",
    )
    district = SoateUnit.objects.create(
        code="T41701000000", level=SoateLevel.DISTRICT, parent=top, name_ky="Район", name_ru="Район"
    )
    village = SoateUnit.objects.create(
        code="T41701000001",
        level=SoateLevel.SETTLEMENT,
        parent=district,
        name_ky="Айыл",
        name_ru="Село",
    )
    return top, village  # fmt: skip


@pytest.fixture
def people(cast, university, enrolled, region):
    """Four students on AFTER: three in group A (faculty A), one moved to group B on 1.2.2025.

    student (m, 19, budget), other_student (f, 19, budget), contract (f, 25, contract,
    foreign, from the region's village), moved (m, 17, budget; A → B on TRANSFERRED_ON).
    """
    _top, village = region
    contract = personal_file(make_user("contract", last_name="Ли", first_name="Анна"), "24-0003")
    contract.sex, contract.birth_date = Sex.FEMALE, date(2000, 1, 1)
    contract.nationality, contract.citizenship = "кореец", "Республика Казахстан"
    contract.address_unit = village
    contract.save()
    moved = personal_file(make_user("moved", last_name="Осмонов", first_name="Алмаз"), "24-0004")
    moved.birth_date = date(2008, 1, 1)
    moved.nationality = "кыргыз"
    moved.save()
    sign(
        OrderKind.ADMISSION,
        [contract],
        on=ADMITTED_ON,
        number="1-K",
        group=university.group_a,
        funding=Funding.CONTRACT,
    )
    admit([moved], university.group_a, number="2-A")
    sign(OrderKind.TRANSFER, [moved], on=TRANSFERRED_ON, number="5-T", group=university.group_b)
    return {"contract": contract, "moved": moved, **vars(enrolled)}  # fmt: skip


def counts(rows: str, on: date = AFTER, **options) -> dict[str, int]:
    table = contingent(on=on, scopes=options.pop("scopes", INSTITUTION), rows=rows, **options)
    return {label: total for label, _counts, total in table.matrix()}


def test_by_faculty_follows_the_transfer_date(people):
    assert counts("faculty", BEFORE) == {"Faculty A": 4}
    assert counts("faculty", AFTER) == {"Faculty A": 3, "Faculty B": 1}


def test_before_the_admission_nobody_is_counted(people):
    assert counts("faculty", date(2024, 8, 31)) == {}


@pytest.mark.parametrize(
    "dimension, expected",
    [
        ("specialty", {"580100 Специальность 580100": 3, "530100 Специальность 530100": 1}),
        ("study_form", {"full-time": 4}),
        ("funding", {"state budget": 3, "contract": 1}),
        ("sex", {"female": 2, "male": 2}),
        ("age", {"under 18": 1, "18–20": 2, "24–29": 1}),
        ("nationality", {"кореец": 1, "кыргыз": 1, "not stated": 2}),
        ("region", {"Жаңы-Өзгөн үлкөн облусу": 1, "not stated": 3}),
        ("status", {"studying": 4}),
    ],
)
def test_counts_by_each_dimension(people, dimension, expected):
    assert counts(dimension) == expected


def test_every_dimension_is_tested():
    tested = {"faculty", "course", "specialty", "study_form", "funding", "sex", "age"}
    tested |= {"nationality", "region", "status"}
    assert set(DIMENSIONS) == tested


def test_course_is_the_groups_course_on_the_date(people, university):
    order = actions.order_create(
        by=None, kind=OrderKind.NEXT_COURSE, number="9-N", date=date(2025, 9, 1),
        effective_date=date(2025, 9, 1),
    )  # fmt: skip
    actions.order_line_add(by=None, order=order, group=university.group_a)
    actions.order_sign(by=None, order=order, signer="Ректор")
    assert counts("course", AFTER) == {"3": 4}
    assert counts("course", date(2025, 10, 1)) == {"4": 3, "3": 1}


def test_status_filter_and_all_statuses(people):
    sign(
        OrderKind.EXPULSION, [people["contract"]], on=date(2025, 2, 10), number="6-E",
        expulsion_reason=ExpulsionReason.NON_PAYMENT,
    )  # fmt: skip
    assert counts("funding") == {"state budget": 3}
    assert counts("status", status="") == {"studying": 3, "expelled": 1}
    assert counts("funding", status=Status.EXPELLED) == {"contract": 1}


def test_faculty_filter(people, university):
    assert counts("sex", faculty=university.faculty_b.pk) == {"male": 1}


def test_cross_table_has_totals(people):
    table = contingent(on=AFTER, scopes=INSTITUTION, rows="faculty", columns="funding")
    assert table.columns.labels == ["state budget", "contract"]
    assert [(counts, total) for _label, counts, total in table.matrix()] == [
        ([2, 1], 3),
        ([1, 0], 1),
    ]
    assert table.column_total_list() == [3, 1]
    assert table.total == 4
    headers, rows = export_rows(table)
    assert headers == ["Faculty or college", "state budget", "contract", "Total"]
    assert rows[-1] == ["Total", 3, 1, 4]


def test_deanery_b_sees_only_its_faculty(people, cast):
    scopes = office_scopes(cast.deanery_b)
    assert counts("faculty", scopes=scopes) == {"Faculty B": 1}
    assert counts("faculty", BEFORE, scopes=scopes) == {}
    assert counts("faculty", scopes=office_scopes(cast.deanery_a)) == {"Faculty A": 3}


def test_years_before_on_29_february():
    assert years_before(date(2024, 2, 29), 18) == date(2006, 2, 28)
    assert years_before(date(2025, 3, 1), 18) == date(2007, 3, 1)


@pytest.mark.parametrize("dimension", sorted(DIMENSIONS))
def test_query_count_does_not_grow_with_students(
    cast, university, enrolled, dimension, django_assert_max_num_queries
):
    def run():
        contingent(on=AFTER, scopes=INSTITUTION, rows=dimension, columns="funding")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        run()
    more = [
        personal_file(make_user(f"extra{n}", last_name="Extra"), f"25-{n:04d}") for n in range(12)
    ]
    admit(more, university.group_b, number="3-A")
    with CaptureQueriesContext(connection) as many:
        run()
    assert len(many) == len(few) <= 3


# --- The Ministry's form --------------------------------------------------------------


def test_ministry_report_numbers(people):
    sign(
        OrderKind.EXPULSION, [people["student"]], on=date(2025, 2, 10), number="6-E",
        expulsion_reason=ExpulsionReason.OWN_WISH,
    )  # fmt: skip
    report = ministry_report(start=date(2024, 9, 1), on=AFTER, scopes=INSTITUTION)
    lines = [
        (x.specialty[:6], x.course, x.total, x.budget, x.contract, x.women, x.foreign)
        for x in report.lines
    ]
    assert lines == [("530100", 3, 1, 1, 0, 0, 0), ("580100", 3, 2, 1, 1, 2, 1)]
    assert report.totals.total == 3
    movements = [
        (x.specialty[:6], x.admitted, x.reinstated, x.expelled, x.graduated)
        for x in report.movements
    ]
    # The transfer counts nowhere; admission and expulsion where they put the student.
    assert movements == [("530100", 0, 0, 0, 0), ("580100", 4, 0, 1, 0)]
    assert report.movement_totals.admitted == 4


def test_ministry_movement_period_excludes_orders_outside(people):
    report = ministry_report(start=date(2024, 9, 2), on=AFTER, scopes=INSTITUTION)
    assert report.movement_totals.admitted == 0


def test_ministry_report_is_scoped(people, cast):
    report = ministry_report(start=ADMITTED_ON, on=AFTER, scopes=office_scopes(cast.deanery_b))
    assert [x.specialty[:6] for x in report.lines] == ["530100"]
    assert report.movement_totals.admitted == 0


def test_ministry_export_rows_are_rectangular(people):
    report = ministry_report(start=ADMITTED_ON, on=AFTER, scopes=INSTITUTION)
    headers, rows = ministry_export_rows(report)
    assert {len(row) for row in rows} == {len(headers)}


# --- Pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("member", CAST_NAMES)
@pytest.mark.parametrize("name", ["records:contingent", "records:ministry-report"])
def test_report_pages_for_every_member(client, cast, university, member, name):
    client.force_login(getattr(cast, member))
    response = client.get(reverse(name))
    assert response.status_code == (200 if member in RECORDS_READERS else 404)


def test_report_pages_need_sign_in(client, db):
    response = client.get(reverse("records:contingent"))
    assert response.status_code == 302


def test_contingent_page_shows_table_and_chart(client, cast, people):
    client.force_login(cast.records_office)
    response = client.get(
        reverse("records:contingent"),
        {"on": "2025-03-01", "rows": "faculty", "columns": "sex", "status": "studying"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="contingent-data"' in html
    assert "chart.umd.min.js" in html
    assert response.context["table"].total == 4


def test_contingent_page_same_dimension_twice_is_an_error(client, cast, people):
    client.force_login(cast.records_office)
    response = client.get(reverse("records:contingent"), {"rows": "sex", "columns": "sex"})
    assert response.status_code == 200
    assert response.context["table"] is None
    assert response.context["form"].errors["columns"]


def test_deanery_b_page_shows_nothing_of_faculty_a(client, cast, people):
    client.force_login(cast.deanery_b)
    response = client.get(reverse("records:contingent"), {"on": "2025-01-15"})
    assert response.context["table"].total == 0
    assert "Faculty A" not in response.content.decode()


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
def test_contingent_export_keeps_kyrgyz_letters(client, cast, people, fmt):
    client.force_login(cast.records_office)
    response = client.get(
        reverse("records:contingent"), {"on": "2025-03-01", "rows": "region", "export": fmt}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    if fmt == "csv":
        assert "Жаңы-Өзгөн үлкөн облусу,1" in response.content.decode("utf-8-sig")
    elif fmt == "xlsx":
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        assert ["Жаңы-Өзгөн үлкөн облусу", 1] in [
            list(r) for r in sheet.iter_rows(values_only=True)
        ]
    else:
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_ministry_export(client, cast, people, fmt):
    client.force_login(cast.records_office)
    response = client.get(
        reverse("records:ministry-report"),
        {"start": "2024-09-01", "on": "2025-03-01", "export": fmt},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')


def test_ministry_page_period_must_be_ordered(client, cast, people):
    client.force_login(cast.records_office)
    response = client.get(
        reverse("records:ministry-report"), {"start": "2025-03-02", "on": "2025-03-01"}
    )
    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["form"].errors["start"]


def test_ministry_page_defaults_to_the_academic_year(client, cast, people):
    client.force_login(cast.records_office)
    response = client.get(reverse("records:ministry-report"))
    report = response.context["report"]
    assert report.start.month == 9 and report.start.day == 1
    assert report.start <= report.on


def test_ministry_query_count_does_not_grow_with_students(cast, university, enrolled):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run():
        ministry_report(start=ADMITTED_ON, on=AFTER, scopes=INSTITUTION)

    with CaptureQueriesContext(connection) as few:
        run()
    more = [personal_file(make_user(f"m{n}", last_name="Extra"), f"25-{n:04d}") for n in range(9)]
    admit(more, university.group_b, number="3-A")
    with CaptureQueriesContext(connection) as many:
        run()
    assert len(many) == len(few) == 3
