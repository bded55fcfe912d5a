"""The students import's pages: upload → preview → confirm → report → passwords, once.

The jobs run through the real task body (hub.jobs.tasks.run_job), in the test
process; test_import_jobs.py runs them on real workers.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academic.records import jobs
from academic.records.models import Student
from hub.accounts.models import User
from hub.audit.models import AuditEntry
from hub.jobs.models import Job, JobStatus
from hub.jobs.tasks import run_job
from tests.bench.records_import_sample import HEADERS, csv_bytes, student_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, cast, university):
    client.force_login(cast.records_office)
    return client


def upload(client, content: bytes, name: str = "list.xlsx", **options):
    data = {"file": SimpleUploadedFile(name, content), **options}
    response = client.post(reverse("records:import"), data)
    assert response.status_code == 302, response.content.decode()
    job = Job.objects.get(kind=jobs.PREVIEW, pk=response["Location"].rstrip("/").split("/")[-1])
    assert response["Location"] == reverse("records:import-preview", args=[job.pk])
    return job


def run(job: Job) -> Job:
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    return job


def confirm(client, preview: Job, **data) -> Job:
    response = client.post(reverse("records:import-confirm", args=[preview.pk]), data)
    assert response.status_code == 302, response.content.decode()
    return Job.objects.get(kind=jobs.APPLY, params__preview=preview.pk)


def mixed_rows():
    rows = student_rows(3, groups=["ГР-1-24", "ГР-2-24"])
    rows[1][5] = "32.13.2005"
    return rows


def test_the_upload_form_shows(office):
    response = office.get(reverse("records:import"))

    assert response.status_code == 200
    assert "create_groups" in response.content.decode()


def test_a_file_of_another_kind_is_refused_on_the_form(office):
    response = office.post(
        reverse("records:import"), {"file": SimpleUploadedFile("list.pdf", b"%PDF")}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Job.objects.exists()


def test_the_preview_shows_progress_until_the_check_is_done(office):
    preview = upload(office, xlsx_bytes(mixed_rows()))

    response = office.get(reverse("records:import-preview", args=[preview.pk]))

    assert response.status_code == 200
    assert "data-job-bar" in response.content.decode()


def test_mixed_rows_preview_lists_each_bad_row_and_writes_nothing(office):
    users = User.objects.count()
    preview = run(upload(office, xlsx_bytes(mixed_rows())))

    response = office.get(reverse("records:import-preview", args=[preview.pk]))

    page = response.content.decode()
    assert response.context["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "invalid": 1}
    assert 'data-bad-line="3"' in page
    assert "The date of birth “32.13.2005” is not a date like 14.03.2005." in page
    assert (User.objects.count(), Student.objects.count()) == (users, 0)


def test_problems_are_shown_in_the_users_language(office, cast):
    cast.records_office.language = "ky"
    cast.records_office.save(update_fields=["language"])
    header = [*HEADERS["ky"], "Логин"]
    rows = [[*row, "student"] for row in student_rows(1, groups=["ГР-1-24"])]
    preview = run(upload(office, csv_bytes(rows, header=header), name="тизме.csv"))

    page = office.get(reverse("records:import-preview", args=[preview.pk])).content.decode()

    assert "«student» логини бош эмес." in page


def test_invalid_rows_block_the_confirmation(office):
    preview = run(upload(office, xlsx_bytes(mixed_rows())))

    response = office.post(reverse("records:import-confirm", args=[preview.pk]), {})

    assert response.status_code == 200
    assert "choose to import the valid rows only" in response.content.decode()
    assert not Job.objects.filter(kind=jobs.APPLY).exists()


def test_valid_rows_only_imports_them_and_reports_the_skipped(office):
    preview = run(upload(office, xlsx_bytes(mixed_rows())))

    apply = run(confirm(office, preview, valid_only="on"))
    response = office.get(reverse("records:import-report", args=[apply.pk]))

    assert Student.objects.count() == 2
    assert response.status_code == 200
    assert response.context["result"]["created"] == 2
    assert 'data-skipped-line="3"' in response.content.decode()


def test_confirm_writes_all_and_the_passwords_are_given_once(office):
    rows = student_rows(3, groups=["ГР-1-24"])
    preview = run(upload(office, csv_bytes(rows, delimiter=";", bom=True), name="list.csv"))
    apply = run(confirm(office, preview))

    report = office.get(reverse("records:import-report", args=[apply.pk]))
    result = report.context["result"]
    assert (result["created"], result["updated"], result["unchanged"]) == (3, 0, 0)
    assert (
        AuditEntry.objects.filter(batch_id=result["batch_id"], action="student_create").count() == 3
    )
    assert str(result["batch_id"]) in report.content.decode()

    download = office.post(reverse("records:import-passwords", args=[apply.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv"
    text = download.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(lines) == 4
    login, full_name, number, group, password = lines[1]
    assert (full_name, number, group) == (" ".join(rows[0][:3]), rows[0][3], "ГР-1-24")
    again = office.post(reverse("records:import-passwords", args=[apply.pk]))
    assert again.status_code == 404

    # Until the passwords job hashes it, the initial password signs nobody in.
    assert not User.objects.get(username=login).check_password(password)
    hashing = Job.objects.get(pk=result["passwords_job"])
    assert "pending" in hashing.result
    run(hashing)
    assert hashing.result == {"accounts": 3}  # the encrypted passwords are gone
    user = User.objects.get(username=login)
    assert user.check_password(password)
    assert user.must_change_password


def test_reimporting_the_same_file_creates_no_student_and_no_user(office):
    content = xlsx_bytes(student_rows(4, groups=["ГР-1-24"]))
    run(confirm(office, run(upload(office, content))))
    users, students = User.objects.count(), Student.objects.count()

    preview = run(upload(office, content))
    assert preview.result["counts"] == {"new": 0, "updated": 0, "unchanged": 4, "invalid": 0}
    page = office.get(reverse("records:import-preview", args=[preview.pk])).content.decode()
    assert "There is nothing to import" in page

    assert (User.objects.count(), Student.objects.count()) == (users, students)


def test_a_second_confirmation_gets_the_first_import(office):
    preview = run(upload(office, xlsx_bytes(student_rows(2, groups=["ГР-1-24"]))))

    first = confirm(office, preview)
    second = confirm(office, preview)

    assert first.pk == second.pk


def test_an_unreadable_file_is_said_on_the_preview(office):
    preview = run(upload(office, b"not a workbook"))

    response = office.get(reverse("records:import-preview", args=[preview.pk]))

    assert "The file is not a readable Excel (.xlsx) workbook." in response.content.decode()
    assert office.post(reverse("records:import-confirm", args=[preview.pk])).status_code == 200


def test_another_users_import_is_not_found(client, cast, university):
    client.force_login(cast.records_office)
    preview = upload(client, xlsx_bytes(student_rows(1, groups=["ГР-1-24"])))
    other = User.objects.create_user("office2", cabinet="staff")
    from hub.accounts import roles
    from hub.accounts.access import Scope
    from hub.accounts.actions import role_assign
    from hub.accounts.models import Role

    role_assign(
        by=None,
        user=other,
        role=Role.objects.get(code=roles.STUDENT_RECORDS_OFFICE),
        scope=Scope.institution(),
    )
    client.force_login(other)

    assert client.get(reverse("records:import-preview", args=[preview.pk])).status_code == 404


def test_a_job_of_another_kind_is_not_found_on_the_report(office):
    preview = upload(office, xlsx_bytes(student_rows(1, groups=["ГР-1-24"])))

    assert office.get(reverse("records:import-report", args=[preview.pk])).status_code == 404


def test_the_check_reports_progress_and_the_job_page_links_to_the_preview(office):
    preview = run(upload(office, xlsx_bytes(student_rows(5, groups=["ГР-1-24"]))))

    assert (preview.done, preview.total, preview.percent) == (5, 5, 100)
    page = office.get(reverse("jobs:detail", args=[preview.pk])).content.decode()
    assert reverse("records:import-preview", args=[preview.pk]) in page
