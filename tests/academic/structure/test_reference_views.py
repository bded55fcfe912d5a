"""Pages of the structure's reference data: colleges, academic years and terms, rooms, subgroups."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.structure.models import AcademicYear, College, Room, RoomType, Subgroup, Term
from hub.audit.models import AuditEntry
from tests.conftest import CAST_NAMES
from tests.policy import STRUCTURE_READERS, STRUCTURE_WRITERS

pytestmark = pytest.mark.django_db

LISTS = ("structure:colleges", "structure:years", "structure:rooms")


def add_colleges(university, count: int, start: int = 0) -> None:
    College.objects.bulk_create(
        College(
            institution=university.institution,
            code=f"C{i:03d}",
            name_ky=f"Колледж {i} ү",
            name_ru=f"Колледж {i}",
        )
        for i in range(start, start + count)
    )


def add_years(count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        year = AcademicYear.objects.create(
            name=f"{2000 + i}–{2001 + i}",
            starts_on=date(2000 + i, 9, 1),
            ends_on=date(2001 + i, 6, 30),
        )
        Term.objects.create(
            academic_year=year,
            number=1,
            starts_on=date(2000 + i, 9, 1),
            ends_on=date(2001 + i, 1, 20),
        )


def add_rooms(count: int, start: int = 0, **fields) -> None:
    values = {"building": "Main", "capacity": 30, "type": RoomType.SEMINAR, **fields}
    Room.objects.bulk_create(
        Room(number=str(100 + i), **values) for i in range(start, start + count)
    )


ADDERS = {
    "structure:colleges": lambda university, count, start=0: add_colleges(university, count, start),
    "structure:years": lambda university, count, start=0: add_years(count, start),
    "structure:rooms": lambda university, count, start=0: add_rooms(count, start),
}


# --- Who reads and who writes ---------------------------------------------------------------


@pytest.mark.parametrize("member", CAST_NAMES)
@pytest.mark.parametrize("route", [*LISTS, "structure:soate"])
def test_structure_readers_read_the_reference_lists_and_others_get_404(
    client, cast, university, member, route
):
    client.force_login(getattr(cast, member))

    response = client.get(reverse(route))

    assert response.status_code == (200 if member in STRUCTURE_READERS else 404)


@pytest.mark.parametrize("member", CAST_NAMES)
def test_only_the_keepers_of_the_structure_see_the_write_links_and_forms(
    client, cast, university, member
):
    add_rooms(1)
    client.force_login(getattr(cast, member))

    form = client.get(reverse("structure:room-create"))
    listing = client.get(reverse("structure:rooms"))

    writer = member in STRUCTURE_WRITERS
    assert form.status_code == (200 if writer else 404)
    if listing.status_code == 200:
        assert (reverse("structure:room-create") in listing.content.decode()) == writer


def test_anonymous_visitors_are_sent_to_log_in(client, university):
    for route in LISTS:
        response = client.get(reverse(route))
        assert response.status_code == 302
        assert "login" in response["Location"]


# --- Lists: page size, queries, export --------------------------------------------------------


@pytest.mark.parametrize("route", LISTS)
def test_each_list_takes_as_many_queries_for_60_rows_as_for_1(client, cast, university, route):
    ADDERS[route](university, 1)
    client.force_login(cast.deanery_a)
    url = reverse(route)
    client.get(url)  # sessions, rights and the like settle on the first request

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    ADDERS[route](university, 59, 1)
    with CaptureQueriesContext(connection) as sixty:
        response = client.get(url, {"page": 2})

    assert len(response.context["page"].object_list) == 10
    assert len(sixty) == len(one)


@pytest.mark.parametrize("route", LISTS)
def test_each_list_exports_in_every_format(client, cast, university, route):
    ADDERS[route](university, 3)
    client.force_login(cast.vice_rector)

    for fmt in ("xlsx", "csv", "pdf"):
        response = client.get(reverse(route), {"export": fmt})
        assert response.status_code == 200
        assert f".{fmt}" in response["Content-Disposition"]


def test_the_college_export_keeps_kyrgyz_letters(client, cast, university):
    add_colleges(university, 2)
    client.force_login(cast.records_office)

    response = client.get(reverse("structure:colleges"), {"export": "csv"})

    text = response.content.decode("utf-8-sig")
    assert "C000" in text
    assert "Колледж" in text


def test_the_room_list_filters_by_building_type_and_capacity_and_exports_the_filter(
    client, cast, university
):
    add_rooms(2, building="Main", capacity=20)
    add_rooms(1, start=5, building="Main", capacity=120, type=RoomType.LECTURE_HALL)
    add_rooms(1, start=7, building="Lab block", capacity=15, type=RoomType.LAB)
    client.force_login(cast.records_office)
    url = reverse("structure:rooms")

    def numbers(**params) -> list[str]:
        return [room.number for room in client.get(url, params).context["page"].object_list]

    assert numbers(building="Lab block") == ["107"]
    assert numbers(type=RoomType.LECTURE_HALL) == ["105"]
    assert numbers(min_capacity=20) == ["100", "101", "105"]
    assert numbers(building="Main", min_capacity=100) == ["105"]
    exported = client.get(url, {"type": RoomType.LAB, "export": "csv"}).content.decode("utf-8-sig")
    assert "107" in exported
    assert "105" not in exported


# --- Colleges --------------------------------------------------------------------------------


def test_the_records_office_creates_and_edits_a_college(client, cast, university):
    client.force_login(cast.records_office)
    data = {"code": "TK", "name_ky": "Техникалык колледж", "name_ru": "Технический колледж"}

    created = client.post(reverse("structure:college-create"), data)
    college = College.objects.get(code="TK")
    edited = client.post(
        reverse("structure:college-edit", args=[college.pk]), {**data, "name_en": "Tech college"}
    )

    assert created.status_code == edited.status_code == 302
    assert created["Location"] == reverse("structure:colleges")
    college.refresh_from_db()
    assert college.name_en == "Tech college"
    assert AuditEntry.objects.filter(action__in=["college_create", "college_update"]).count() == 2


def test_a_college_form_with_errors_is_shown_again(client, cast, university):
    add_colleges(university, 1)
    client.force_login(cast.records_office)

    missing = client.post(reverse("structure:college-create"), {"code": "X"})
    taken = client.post(
        reverse("structure:college-create"), {"code": "C000", "name_ky": "a", "name_ru": "a"}
    )

    assert missing.status_code == taken.status_code == 200
    assert missing.context["form"].errors["name_ky"]
    assert taken.context["form"].errors
    assert College.objects.count() == 1


def test_editing_a_missing_college_is_404(client, cast, university):
    client.force_login(cast.records_office)

    assert client.get(reverse("structure:college-edit", args=[999])).status_code == 404


# --- Academic years and terms ------------------------------------------------------------------


def test_the_records_office_creates_a_year_and_its_terms(client, cast, university):
    client.force_login(cast.records_office)

    client.post(
        reverse("structure:year-create"),
        {"name": "2026–2027", "starts_on": "2026-09-01", "ends_on": "2027-06-30"},
    )
    year = AcademicYear.objects.get(name="2026–2027")
    response = client.post(
        reverse("structure:term-create", args=[year.pk]),
        {"number": 1, "starts_on": "2026-09-01", "ends_on": "2027-01-20"},
    )
    term = year.terms.get()
    client.post(
        reverse("structure:term-edit", args=[term.pk]),
        {"number": 1, "starts_on": "2026-09-01", "ends_on": "2027-01-25"},
    )
    client.post(
        reverse("structure:year-edit", args=[year.pk]),
        {"name": "2026–27", "starts_on": "2026-09-01", "ends_on": "2027-06-30"},
    )

    assert response.status_code == 302
    term.refresh_from_db()
    year.refresh_from_db()
    assert term.ends_on == date(2027, 1, 25)
    assert year.name == "2026–27"
    page = client.get(reverse("structure:years")).content.decode()
    assert "2027-01-25" in page


def test_a_term_outside_its_year_is_shown_again_with_the_message(client, cast, university):
    add_years(1)
    year = AcademicYear.objects.get()
    client.force_login(cast.records_office)

    response = client.post(
        reverse("structure:term-create", args=[year.pk]),
        {"number": 2, "starts_on": "2001-02-01", "ends_on": "2001-08-01"},
    )

    assert response.status_code == 200
    assert "inside its academic year" in response.content.decode()
    assert year.terms.count() == 1


def test_making_a_year_current_asks_first_then_keeps_one_current(client, cast, university):
    add_years(2)
    old, new = AcademicYear.objects.order_by("starts_on")
    AcademicYear.objects.filter(pk=old.pk).update(is_current=True)
    client.force_login(cast.records_office)
    url = reverse("structure:year-make-current", args=[new.pk])

    asked = client.get(url)
    done = client.post(url)
    again = client.post(url, follow=True)

    assert asked.status_code == 200
    assert new.name in asked.content.decode()
    assert done.status_code == 302
    assert list(AcademicYear.objects.filter(is_current=True)) == [new]
    assert "already the current" in again.content.decode()


def test_a_refused_member_cannot_make_a_year_current(client, cast, university):
    add_years(1)
    year = AcademicYear.objects.get()
    client.force_login(cast.deanery_a)

    response = client.post(reverse("structure:year-make-current", args=[year.pk]))

    assert response.status_code == 404
    assert not AcademicYear.objects.filter(is_current=True).exists()


# --- Rooms ----------------------------------------------------------------------------------


def test_the_records_office_creates_and_edits_a_room(client, cast, university):
    client.force_login(cast.records_office)
    data = {"building": "Main", "number": "210", "capacity": 40, "type": RoomType.COMPUTER_CLASS}

    client.post(reverse("structure:room-create"), data)
    room = Room.objects.get(number="210")
    client.post(reverse("structure:room-edit", args=[room.pk]), {**data, "capacity": 45})
    zero = client.post(reverse("structure:room-create"), {**data, "number": "211", "capacity": 0})
    taken = client.post(reverse("structure:room-create"), data)

    room.refresh_from_db()
    assert room.capacity == 45
    assert zero.status_code == taken.status_code == 200
    assert Room.objects.count() == 1


# --- Subgroups -------------------------------------------------------------------------------


def test_the_records_office_adds_renames_and_deletes_a_subgroup(client, cast, university):
    group = university.group_a
    client.force_login(cast.records_office)

    created = client.post(reverse("structure:subgroup-create", args=[group.pk]), {"name": "1"})
    subgroup = Subgroup.objects.get(group=group)
    client.post(reverse("structure:subgroup-rename", args=[subgroup.pk]), {"name": "A"})
    page = client.get(reverse("structure:group", args=[group.pk])).content.decode()
    asked = client.get(reverse("structure:subgroup-delete", args=[subgroup.pk]))
    still_there = Subgroup.objects.filter(pk=subgroup.pk).exists()
    deleted = client.post(reverse("structure:subgroup-delete", args=[subgroup.pk]))

    assert created["Location"] == reverse("structure:group", args=[group.pk])
    assert reverse("structure:subgroup-rename", args=[subgroup.pk]) in page
    assert asked.status_code == 200
    assert "Delete subgroup" in asked.content.decode()
    assert still_there
    assert deleted.status_code == 302
    assert not Subgroup.objects.exists()


def test_a_taken_subgroup_name_is_shown_on_the_form(client, cast, university):
    Subgroup.objects.create(group=university.group_a, name="1")
    client.force_login(cast.records_office)

    response = client.post(
        reverse("structure:subgroup-create", args=[university.group_a.pk]), {"name": "1"}
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_readers_see_subgroups_without_the_write_links(client, cast, university):
    subgroup = Subgroup.objects.create(group=university.group_a, name="1")
    client.force_login(cast.deanery_a)

    page = client.get(reverse("structure:group", args=[university.group_a.pk])).content.decode()
    delete = client.post(reverse("structure:subgroup-delete", args=[subgroup.pk]))

    assert "Subgroups" in page
    assert reverse("structure:subgroup-delete", args=[subgroup.pk]) not in page
    assert delete.status_code == 404
    assert Subgroup.objects.exists()


def test_a_missing_subgroup_is_404(client, cast, university):
    client.force_login(cast.records_office)

    assert client.get(reverse("structure:subgroup-rename", args=[999])).status_code == 404


def test_the_overview_links_the_reference_pages(client, cast, university):
    client.force_login(cast.deanery_a)

    page = client.get(reverse("structure:overview")).content.decode()

    for route in [*LISTS, "structure:soate"]:
        assert reverse(route) in page
