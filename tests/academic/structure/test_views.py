import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.structure.models import Faculty, Group, GroupCuratorship, StudyForm
from hub.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def groups_of(response) -> list[str]:
    return [group.name for group in response.context["page"].object_list]


def more_groups(university, count: int) -> None:
    Group.objects.bulk_create(
        Group(
            name=f"ЭК-{i}-25",
            specialty=university.specialty_a,
            intake_year=2025,
            course=2,
            study_form=StudyForm.PART_TIME,
            language="ru",
            curator_id=None,
        )
        for i in range(count)
    )


def test_a_deanery_lists_only_its_faculty_groups(client, cast, university):
    client.force_login(cast.deanery_b)

    response = client.get(reverse("structure:groups"))

    assert groups_of(response) == [university.group_b.name]


def test_the_group_list_filters_by_course_form_and_name(client, cast, university):
    more_groups(university, 3)
    client.force_login(cast.records_office)
    url = reverse("structure:groups")

    assert len(groups_of(client.get(url, {"course": 2, "study_form": "part_time"}))) == 3
    assert groups_of(client.get(url, {"q": "гр-2"})) == [university.group_b.name]
    assert len(groups_of(client.get(url, {"faculty": university.faculty_b.pk}))) == 1
    assert len(groups_of(client.get(url, {"language": "ru"}))) == 3


@pytest.mark.parametrize("member", ["records_office", "deanery_a"])
def test_the_group_list_takes_as_many_queries_for_40_groups_as_for_1(
    client, cast, university, member
):
    client.force_login(getattr(cast, member))
    url = reverse("structure:groups")
    client.get(url)  # sessions, rights and the like settle on the first request

    with CaptureQueriesContext(connection) as one:
        client.get(url, {"faculty": university.faculty_a.pk})
    more_groups(university, 39)
    for group in Group.objects.all():
        group.curator = cast.curator
    Group.objects.bulk_update(Group.objects.all(), ["curator"])
    with CaptureQueriesContext(connection) as forty:
        response = client.get(url, {"faculty": university.faculty_a.pk})

    assert len(groups_of(response)) == 40
    assert len(forty) == len(one)


def test_the_group_page_shows_past_curators(client, cast, university):
    GroupCuratorship.objects.create(
        group=university.group_a,
        curator=cast.teacher,
        valid_from="2025-09-01",
        valid_to="2026-08-31",
    )
    client.force_login(cast.deanery_a)

    response = client.get(reverse("structure:group", args=[university.group_a.pk]))

    assert response.status_code == 200
    assert cast.teacher.get_full_name() in response.content.decode()


def test_the_overview_counts_groups_within_the_readers_scope(client, cast, university):
    client.force_login(cast.deanery_a)

    response = client.get(reverse("structure:overview"))

    [entry] = response.context["faculties"]
    assert entry.faculty == university.faculty_a
    [(department, [specialty])] = entry.departments
    assert department == university.department_a
    assert specialty.group_count == 1


def test_the_records_office_creates_a_faculty_through_the_form(client, cast, university):
    client.force_login(cast.records_office)

    response = client.post(
        reverse("structure:faculty-create"),
        {"code": "MED", "name_ky": "Медицина", "name_ru": "Медицинский", "name_en": ""},
    )

    assert response.status_code == 302
    assert Faculty.objects.filter(code="MED").exists()
    assert AuditEntry.objects.filter(action="faculty_create", actor=cast.records_office).exists()


def test_an_invalid_group_form_is_shown_again_with_its_messages(client, cast, university):
    client.force_login(cast.records_office)

    response = client.post(
        reverse("structure:group-edit", args=[university.group_a.pk]),
        {
            "name": university.group_b.name,
            "specialty": university.specialty_a.pk,
            "intake_year": 2024,
            "course": 9,
            "study_form": "full_time",
            "language": "ky",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Group.objects.get(pk=university.group_a.pk).course == 3


def test_editing_a_group_records_what_it_was_before(client, cast, university):
    client.force_login(cast.records_office)

    client.post(
        reverse("structure:group-edit", args=[university.group_a.pk]),
        {
            "name": "ГР-1-24",
            "specialty": university.specialty_a.pk,
            "intake_year": 2024,
            "course": 4,
            "study_form": "full_time",
            "language": "ky",
        },
    )

    assert AuditEntry.objects.get(action="group_update").changes == {"course": [3, 4]}


def test_the_records_office_assigns_a_curator_through_the_form(client, cast, university):
    client.force_login(cast.records_office)

    response = client.post(
        reverse("structure:group-curator", args=[university.group_a.pk]),
        {"curator": cast.curator.pk, "valid_from": "2026-09-01"},
    )

    assert response.status_code == 302
    assert GroupCuratorship.objects.get().curator == cast.curator


def test_the_structure_link_is_in_the_navigation_of_offices_reading_it(client, cast, university):
    from hub.cabinets.context_processors import navigation_for

    def has_link(user) -> bool:
        return reverse("structure:overview") in [item.url for item in navigation_for(user)]

    assert has_link(cast.deanery_a)
    assert has_link(cast.records_office)
    assert not has_link(cast.student)
    assert not has_link(cast.teacher)


def test_closing_a_group_asks_first_and_closes_only_when_confirmed(client, cast, university):
    group = university.group_a
    url = reverse("structure:group-deactivate", args=[group.pk])
    client.force_login(cast.records_office)

    question = client.get(url, headers={"accept-language": "en"})

    assert question.status_code == 200
    assert f"Close group {group.name}?" in question.content.decode()
    group.refresh_from_db()
    assert group.is_active

    assert client.post(url).status_code == 302
    group.refresh_from_db()
    assert not group.is_active


def test_the_group_list_exports_its_filter_to_excel(client, cast, university):
    import io

    from openpyxl import load_workbook

    client.force_login(cast.deanery_a)
    response = client.get("/structure/groups/", {"export": "xlsx"})

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [university.group_a.name]  # faculty A's only
