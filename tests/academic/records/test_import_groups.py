"""Importing groups (SR-4): the records import's flow with the groups kind of list.

academic/records/imports.py plans and writes; the pages and jobs are the
students import's (test_import_views.py), chosen by the upload's `kind`.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from academic.records import jobs
from academic.records.imports import (
    GROUP_COLUMNS,
    GROUPS,
    KINDS,
    STUDENTS,
    columns_of,
    groups_import,
    plan_groups_import,
)
from academic.structure.actions import group_create
from academic.structure.models import Group, GroupCuratorship
from hub.accounts.models import RoleAssignment, ScopeKind
from hub.audit.log import batch
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from hub.jobs.models import Job, JobStatus
from hub.jobs.tasks import run_job
from tests.bench.records_import_sample import csv_bytes

pytestmark = pytest.mark.django_db

HEADERS = {
    "ky": ["Тайпа", "Адистиктин коду", "Кабыл алуу жылы", "Курс", "Окуу формасы", "Окутуу тили",
           "Куратордун логини"],
    "ru": ["Группа", "Код специальности", "Год набора", "Курс", "Форма обучения", "Язык обучения",
           "Куратор"],
    "en": ["Group", "Specialty code", "Intake year", "Course", "Study form",
           "Language of instruction", "Curator login"],
}  # fmt: skip


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def plan_of(rows, language="ru"):
    return plan_groups_import([HEADERS[language], *rows])


def write(plan, **options):
    with batch() as batch_id:
        report = groups_import(by=None, plan=plan, **options)
    return report, batch_id


# Rows in each language's words: a Kyrgyz, a Russian and an English description.
GOOD = [
    ["ПИ-1-25", "580100", "2025", "1", "күндүзгү", "кыргызча", "teacher"],
    ["ПИ-2-25", "580100", "2025", "1", "заочная", "русский", ""],
    ["ЭК-1-25", "530100", "2025", "1", "evening", "English", ""],
]


def test_headers_are_recognised_in_each_language():
    for language in ("ky", "ru", "en"):
        assert columns_of(HEADERS[language], GROUP_COLUMNS) == {
            "name": 0, "specialty": 1, "intake_year": 2, "course": 3, "study_form": 4,
            "language": 5, "curator": 6,
        }  # fmt: skip


def test_a_missing_required_column_is_named():
    with pytest.raises(DomainError, match="missing: course, study form"):
        columns_of(["Группа", "Код специальности", "Год набора", "Язык обучения"], GROUP_COLUMNS)


def test_good_rows_in_any_language_are_new(university, cast):
    plan = plan_of(GOOD)

    assert plan.counts() == {"new": 3, "updated": 0, "unchanged": 0, "invalid": 0}
    first, second, third = (row.group for row in plan.rows)
    assert (first.study_form, first.language) == ("full_time", "ky")
    assert (second.study_form, second.language) == ("part_time", "ru")
    assert (third.specialty, third.study_form, third.language) == (
        university.specialty_b, "evening", "en",
    )  # fmt: skip
    assert plan.rows[0].curator == cast.teacher


def test_each_invalid_row_lists_every_reason(university, cast):
    rows = [
        GOOD[0],
        ["ПИ-9-25", "999999", "25", "9", "сырттан-2", "немецкий", "nobody"],
        ["ПИ-8-25", "", "2025", "1", "очная", "", "student"],
        ["пи-1-25", "580100", "2025", "2", "очная", "кыргызча", ""],
    ]

    plan = plan_of(rows)

    assert plan.counts() == {"new": 1, "updated": 0, "unchanged": 0, "invalid": 3}
    assert {row["line"]: row["problems"] for row in plan.summary()["invalid"]} == {
        3: [
            "There is no specialty with the code 999999.",
            "The intake year must be a year like 2024.",
            "The course must be between 1 and 6.",
            "Unknown study form “сырттан-2”.",
            "Unknown language of instruction “немецкий”.",
            "There is no account with the login “nobody”.",
        ],
        4: [
            "The “specialty code” cell is empty.",
            "The “language of instruction” cell is empty.",
            "A curator must be an active teacher or curator.",
        ],
        5: ["Group пи-1-25 is also in row 2."],
    }


def test_problems_are_written_in_the_users_language(university):
    with translation.override("ky"):
        plan = plan_of([["ПИ-9-25", "999999", "2025", "1", "сырттан-2", "кыргызча", ""]])

    assert plan.rows[0].problems == [
        "999999 коддуу адистик жок.",
        "Белгисиз окуу формасы «сырттан-2».",
    ]


def test_a_closed_group_is_not_imported_into(university):
    Group.objects.filter(pk=university.group_a.pk).update(is_active=False)

    plan = plan_of([["ГР-1-24", "580100", "2024", "3", "очная", "кыргызча", ""]])

    assert plan.rows[0].problems == ["Group ГР-1-24 is closed."]


def test_nothing_is_written_by_the_plan(university, cast):
    before = (Group.objects.count(), AuditEntry.objects.count())

    plan_of(GOOD)

    assert (Group.objects.count(), AuditEntry.objects.count()) == before


def test_import_opens_groups_with_their_curators_in_one_audit_batch(university, cast):
    report, batch_id = write(plan_of(GOOD))

    assert report.created == ["ПИ-1-25", "ПИ-2-25", "ЭК-1-25"]
    assert (report.updated, report.unchanged, report.passwords) == (0, 0, [])
    assert report.batch_id == str(batch_id)
    group = Group.objects.get(name="ПИ-1-25")
    assert (group.specialty, group.intake_year, group.course, group.curator) == (
        university.specialty_a, 2025, 1, cast.teacher,
    )  # fmt: skip
    assert GroupCuratorship.objects.filter(group=group, curator=cast.teacher).exists()
    assert RoleAssignment.objects.filter(
        user=cast.teacher, role__code="curator", scope_kind=ScopeKind.GROUP, scope_id=group.pk
    ).exists()
    actions = list(AuditEntry.objects.filter(batch_id=batch_id).values_list("action", flat=True))
    assert actions.count("group_create") == 3
    assert "group_assign_curator" in actions


def test_reimporting_the_same_rows_changes_nothing(university, cast):
    write(plan_of(GOOD))
    groups = Group.objects.count()

    plan = plan_of([[row[0].lower(), *row[1:]] for row in GOOD])  # names in any case
    report, batch_id = write(plan)

    assert plan.counts() == {"new": 0, "updated": 0, "unchanged": 3, "invalid": 0}
    assert (report.created, report.updated, report.unchanged) == ([], 0, 3)
    assert Group.objects.count() == groups
    assert not AuditEntry.objects.filter(batch_id=batch_id).exists()


def test_a_changed_course_updates_the_group(university, cast):
    group = university.group_a  # ГР-1-24, course 3, curated by nobody
    row = [group.name, "580100", "2024", "4", "full-time", "kyrgyz", ""]

    plan = plan_of([row], language="en")
    report, batch_id = write(plan)

    assert plan.rows[0].changed == ["course"]
    assert plan.summary()["updated"] == [
        {"line": 2, "name": group.name, "record": "580100", "fields": ["course"]}
    ]
    assert report.updated == 1
    group.refresh_from_db()
    assert group.course == 4
    entry = AuditEntry.objects.get(batch_id=batch_id, action="group_update")
    assert entry.changes == {"course": [3, 4]}


def test_a_new_curator_is_an_update_and_a_blank_one_keeps_the_curator(university, cast):
    group = university.group_a
    row = [group.name, "580100", "2024", "3", "очная", "кыргызча", "Teacher"]

    plan = plan_of([row])
    write(plan)
    blank = plan_of([[*row[:-1], ""]])

    assert plan.rows[0].changed == ["curator"]
    group.refresh_from_db()
    assert group.curator == cast.teacher
    assert blank.counts()["unchanged"] == 1


def test_invalid_rows_refuse_the_import_unless_only_valid_rows_go(university, cast):
    plan = plan_of([GOOD[0], ["ПИ-9-25", "999999", "2025", "1", "очная", "кыргызча", ""]])

    with pytest.raises(DomainError, match="Row 3: There is no specialty with the code 999999"):
        write(plan)
    assert not Group.objects.filter(name="ПИ-1-25").exists()

    report, _batch = write(plan, valid_only=True)

    assert report.created == ["ПИ-1-25"]
    assert [row["line"] for row in report.skipped] == [3]


def test_a_failure_while_writing_leaves_nothing(university, cast):
    plan = plan_of(GOOD)
    # Someone opens the third group between the preview and the confirmation.
    group_create(by=None, name="ЭК-1-25", specialty=university.specialty_b, intake_year=2025,
                 course=1, study_form="full_time", language="ky")  # fmt: skip
    entries = AuditEntry.objects.count()

    with pytest.raises(DomainError):
        write(plan)

    assert not Group.objects.filter(name__in=["ПИ-1-25", "ПИ-2-25"]).exists()
    assert not GroupCuratorship.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_both_kinds_share_the_flow():
    assert set(KINDS) == {STUDENTS, GROUPS}
    assert KINDS[GROUPS].write is groups_import


# --- Pages ---------------------------------------------------------------------------------


@pytest.fixture
def office(client, cast, university):
    client.force_login(cast.records_office)
    return client


def run(job: Job) -> Job:
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    return job


def groups_csv(rows) -> bytes:
    return csv_bytes(rows, delimiter=";", bom=True, header=HEADERS["ru"])


def test_the_upload_page_offers_both_kinds(office):
    response = office.get(reverse("records:import"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="students"' in content and 'value="groups"' in content


def test_a_groups_list_goes_from_upload_to_report(office, university):
    rows = [*GOOD, ["ПИ-9-25", "999999", "2025", "1", "очная", "кыргызча", ""]]
    response = office.post(
        reverse("records:import"),
        {"kind": "groups", "file": SimpleUploadedFile("groups.csv", groups_csv(rows))},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    preview = Job.objects.get(kind=jobs.PREVIEW)
    assert response["Location"] == reverse("records:import-preview", args=[preview.pk])
    assert preview.params["kind"] == "groups"
    assert not Group.objects.filter(name="ПИ-1-25").exists()  # nothing before the confirmation

    run(preview)
    page = office.get(reverse("records:import-preview", args=[preview.pk]))
    content = page.content.decode()
    assert page.context["counts"] == {"new": 3, "updated": 0, "unchanged": 0, "invalid": 1}
    assert "New groups" in content and 'data-bad-line="5"' in content
    assert "Specialty code" in content and "Record book number" not in content
    assert "There is no specialty with the code 999999." in content

    refused = office.post(reverse("records:import-confirm", args=[preview.pk]), {})
    assert refused.status_code == 200
    assert not Job.objects.filter(kind=jobs.APPLY).exists()

    office.post(reverse("records:import-confirm", args=[preview.pk]), {"valid_only": "on"})
    apply = run(Job.objects.get(kind=jobs.APPLY, params__preview=preview.pk))
    assert apply.params["kind"] == "groups"
    assert (apply.result["created"], apply.result["skipped"][0]["line"]) == (3, 5)
    assert "download" not in apply.result and "passwords_job" not in apply.result
    assert Group.objects.filter(name__in=["ПИ-1-25", "ПИ-2-25", "ЭК-1-25"]).count() == 3
    report = office.get(reverse("records:import-report", args=[apply.pk]))
    assert report.status_code == 200
    assert "ПИ-9-25" in report.content.decode()
