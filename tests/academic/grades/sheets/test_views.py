"""The pages of courses and sheets: filling through JSON and the form, closing, the deanery's
lists, change requests, retakes and differences."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.curricula.models import ControlForm
from academic.grades.actions import sheets as actions
from academic.grades.models import (
    AcademicDifference,
    Debt,
    DebtStatus,
    ExamSheet,
    RequestStatus,
    SheetChangeRequest,
    SheetKind,
    SheetLine,
    SheetStatus,
)
from hub.jobs.models import Job
from tests.academic.grades.sheets.conftest import give_points, sheet_of
from tests.academic.records.conftest import admit, personal_file
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def post_line(client, line, **body):
    return client.post(
        reverse("grades:sheet-line", args=[line.sheet_id, line.pk]),
        data=json.dumps(body),
        content_type="application/json",
    )


def line_of(sheet, student) -> SheetLine:
    return SheetLine.objects.get(sheet=sheet, student=student)


def test_the_examiner_fills_a_line_and_a_stale_version_gets_409(client, cast, sheet, enrolled):
    client.force_login(cast.teacher)
    line = line_of(sheet, enrolled.student)
    saved = post_line(client, line, final_score="35", absent=False, version=1)
    assert saved.status_code == 200
    assert saved.json()["total"] == "75.00" and saved.json()["mark"] == 4
    stale = post_line(client, line, final_score="10", version=1)
    assert stale.status_code == 409
    assert stale.json()["final_score"] == "35.00" and stale.json()["version"] == 2
    for body, reason in (
        ({"final_score": "99", "version": 2}, "between 0 and 40"),
        ({"final_score": "abc", "version": 2}, "not a number"),
        ({"final_score": "10"}, "version"),
    ):
        refused = post_line(client, line, **body)
        assert refused.status_code == 400
        assert reason in refused.json()["detail"]
    not_json = client.post(
        reverse("grades:sheet-line", args=[sheet.pk, line.pk]),
        data="{",
        content_type="application/json",
    )
    assert not_json.status_code == 400


def test_a_student_off_the_sheet_or_another_sheets_line_is_refused(
    client, cast, course, sheet, credit_sheet, enrolled
):
    client.force_login(cast.teacher)
    other = line_of(credit_sheet, enrolled.student)
    wrong = client.post(
        reverse("grades:sheet-line", args=[sheet.pk, other.pk]),
        data=json.dumps({"final_score": "30", "version": 1}),
        content_type="application/json",
    )
    assert wrong.status_code == 400


def test_the_plain_form_saves_changed_lines_and_shows_errors(client, cast, sheet, enrolled):
    client.force_login(cast.deanery_a)
    first, second = line_of(sheet, enrolled.student), line_of(sheet, enrolled.other_student)
    response = client.post(
        reverse("grades:sheet", args=[sheet.pk]),
        {
            f"score-{first.pk}": "30",
            f"version-{first.pk}": "1",
            f"score-{second.pk}": "",
            f"absent-{second.pk}": "on",
            f"version-{second.pk}": "1",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.final_score, second.absent) == (Decimal(30), True)
    bad = client.post(
        reverse("grades:sheet", args=[sheet.pk]),
        {f"score-{first.pk}": "77", f"version-{first.pk}": "2"},
    )
    assert bad.status_code == 200
    assert "between 0 and 40" in bad.content.decode()


def test_the_sheet_page_costs_the_same_queries_for_2_and_10_students(
    client, cast, university, course, enrolled, django_capture_on_commit_callbacks
):
    give_points(course, enrolled.student, 40)
    sheet = sheet_of(course)
    client.force_login(cast.teacher)
    url = reverse("grades:sheet", args=[sheet.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    more = [
        personal_file(make_user(f"sheet{i}", last_name=f"Үсөнов{i}"), f"24-9{i:03d}")
        for i in range(8)
    ]
    for student in more:
        give_points(course, student, 45)
    with django_capture_on_commit_callbacks(execute=True):
        admit(more, university.group_a, number="A-9")  # the signed order syncs the sheet
    assert sheet.lines.count() == 10
    client.get(url)
    with CaptureQueriesContext(connection) as ten:
        page = client.get(url)
    assert page.status_code == 200
    assert len(ten) == len(two)
    assert "Үсөнов7" in page.content.decode()


def test_opening_the_page_syncs_the_sheet_now_and_then(client, cast, course, sheet, enrolled):
    SheetLine.objects.filter(sheet=sheet, student=enrolled.other_student).delete()
    client.force_login(cast.teacher)
    client.get(reverse("grades:sheet", args=[sheet.pk]))
    assert sheet.lines.count() == 2


def test_the_sheet_exports_to_pdf_and_excel(client, cast, sheet, enrolled):
    actions.sheet_line_save(by=None, line=line_of(sheet, enrolled.student), final_score=Decimal(33))
    client.force_login(cast.curator)
    pdf = client.get(reverse("grades:sheet", args=[sheet.pk]), {"export": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    xlsx = client.get(reverse("grades:sheet", args=[sheet.pk]), {"export": "xlsx"})
    assert xlsx.status_code == 200


def test_closing_asks_then_locks_and_the_deanery_lists_it(client, cast, sheet, enrolled):
    client.force_login(cast.teacher)
    url = reverse("grades:sheet-close", args=[sheet.pk])
    assert "Close sheet" in client.get(url).content.decode()
    refused = client.post(url, follow=True)
    assert "no result yet" in refused.content.decode()
    actions.sheet_line_save(by=None, line=line_of(sheet, enrolled.student), final_score=Decimal(5))
    actions.sheet_line_save(
        by=None, line=line_of(sheet, enrolled.other_student), final_score=Decimal(30)
    )
    assert client.post(url).status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.CLOSED
    client.force_login(cast.deanery_a)
    listed = client.get(reverse("grades:sheets"), {"status": "closed"}).content.decode()
    assert sheet.number in listed
    client.force_login(cast.deanery_b)
    assert sheet.number not in client.get(reverse("grades:sheets")).content.decode()
    client.force_login(cast.teacher)
    assert sheet.number in client.get(reverse("grades:sheets")).content.decode()
    client.force_login(cast.other_teacher)
    assert sheet.number not in client.get(reverse("grades:sheets")).content.decode()
    client.force_login(cast.deanery_a)
    export = client.get(reverse("grades:sheets"), {"export": "csv"})
    assert sheet.number in export.content.decode("utf-8-sig")
    debts = client.get(reverse("grades:debts")).content.decode()
    assert enrolled.student.record_number in debts
    assert enrolled.other_student.record_number not in debts
    exported = client.get(reverse("grades:debts"), {"export": "csv"}).content.decode("utf-8-sig")
    assert enrolled.student.record_number in exported
    assert enrolled.other_student.record_number not in exported


def _close(sheet, enrolled):
    actions.sheet_line_save(by=None, line=line_of(sheet, enrolled.student), final_score=Decimal(5))
    actions.sheet_line_save(
        by=None, line=line_of(sheet, enrolled.other_student), final_score=Decimal(30)
    )
    return actions.sheet_close(by=None, sheet=sheet)


def test_change_request_flow_through_the_pages(client, cast, sheet, enrolled):
    _close(sheet, enrolled)
    line = line_of(sheet, enrolled.student)
    client.force_login(cast.teacher)
    assert post_line(client, line, final_score="30", version=line.version).status_code == 400
    response = client.post(
        reverse("grades:sheet-change", args=[sheet.pk, line.pk]),
        {"new_final_score": "31", "reason": "Arithmetic error"},
    )
    assert response.status_code == 302
    change = SheetChangeRequest.objects.get()
    client.force_login(cast.vice_rector)
    pending = client.get(reverse("grades:change-requests")).content.decode()
    assert reverse("grades:change-request-decide", args=[change.pk]) in pending
    refused = client.post(
        reverse("grades:change-request-decide", args=[change.pk]), {"decision": "reject"}
    )
    assert refused.status_code == 200  # a rejection needs its reason
    client.post(reverse("grades:change-request-decide", args=[change.pk]), {"decision": "approve"})
    change.refresh_from_db()
    line.refresh_from_db()
    assert change.status == RequestStatus.APPROVED
    assert (line.final_score, line.passed) == (Decimal(31), True)
    assert Debt.objects.get(line=line).status == DebtStatus.CLOSED
    client.force_login(cast.teacher)
    mine = client.get(reverse("grades:change-requests"), {"status": ""}).content.decode()
    assert sheet.number in mine


def test_retake_page_opens_a_sheet_for_debtors(client, cast, course, sheet, enrolled):
    _close(sheet, enrolled)
    client.force_login(cast.deanery_a)
    url = reverse("grades:course-retake", args=[course.pk])
    assert enrolled.student.user.last_name in client.get(url).content.decode()
    response = client.post(
        url, {"control_form": ControlForm.EXAM, "students": [enrolled.student.pk]}
    )
    retake = ExamSheet.objects.get(kind=SheetKind.RETAKE)
    assert response.status_code == 302 and response["Location"].endswith(f"/sheets/{retake.pk}/")
    assert list(retake.lines.values_list("student_id", flat=True)) == [enrolled.student.pk]


def test_differences_are_recorded_and_passed_by_the_deanery(client, cast, course, enrolled):
    client.force_login(cast.deanery_a)
    response = client.post(
        reverse("grades:difference-create"),
        {
            "record_number": enrolled.student.record_number,
            "discipline": course.discipline.pk,
            "semester": 2,
            "credits": 4,
            "control_form": ControlForm.EXAM,
        },
    )
    assert response.status_code == 302
    difference = AcademicDifference.objects.get()
    client.force_login(cast.deanery_b)
    foreign = client.post(
        reverse("grades:difference-create"),
        {
            "record_number": enrolled.other_student.record_number,
            "discipline": course.discipline.pk,
            "semester": 2,
            "credits": 4,
            "control_form": ControlForm.EXAM,
        },
    )
    assert foreign.status_code == 200  # not a student of faculty B
    assert client.get(reverse("grades:difference-result", args=[difference.pk])).status_code == 404
    client.force_login(cast.deanery_a)
    client.post(
        reverse("grades:difference-result", args=[difference.pk]),
        {"score": "75", "on": "2027-01-10"},
    )
    difference.refresh_from_db()
    assert (difference.status, difference.mark) == (DebtStatus.CLOSED, 4)
    listed = client.get(reverse("grades:differences"), {"status": ""}).content.decode()
    assert enrolled.student.record_number in listed
    exported = client.get(reverse("grades:differences"), {"status": "", "export": "xlsx"})
    assert exported["Content-Disposition"].endswith('.xlsx"')
    csv = client.get(reverse("grades:differences"), {"status": "", "export": "csv"})
    assert enrolled.student.record_number in csv.content.decode("utf-8-sig")


def test_generation_is_started_as_a_job(
    client, cast, term, grades_plan, django_capture_on_commit_callbacks
):
    client.force_login(cast.academic_affairs)
    assert client.get(reverse("grades:courses-generate")).status_code == 200
    response = client.post(reverse("grades:courses-generate"), {"term": term.pk})
    job = Job.objects.get(kind="grades.courses_generate")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])


def test_the_generation_job_runs(cast, university, term, grades_plan, enrolled):
    from academic.grades.jobs import courses_generate_job

    job = Job.objects.create(
        owner=cast.admin, kind="grades.courses_generate", params={"term": term.pk}
    )
    calls = []
    result = courses_generate_job(job, lambda *args: calls.append(args))
    assert result["courses"] == 2 and result["sheets"] == 2
    assert calls


def test_course_page_and_teacher_assignment(client, cast, course, sheet):
    client.force_login(cast.deanery_a)
    page = client.get(reverse("grades:course-sheets", args=[course.pk])).content.decode()
    assert sheet.number in page
    client.post(
        reverse("grades:course-teacher", args=[course.pk]), {"teacher": cast.other_teacher.pk}
    )
    course.refresh_from_db()
    assert course.teacher == cast.other_teacher


def test_the_lists_cost_the_same_queries_for_one_and_more_rows(
    client, cast, course, credit_sheet, sheet, enrolled
):
    client.force_login(cast.deanery_a)
    urls = [reverse("grades:sheets"), reverse("grades:debts") + "?status="]
    _close(sheet, enrolled)
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        counts.append(len(one))
    other = credit_sheet
    actions.sheet_line_save(by=None, line=line_of(other, enrolled.student), final_score=Decimal(0))
    actions.sheet_line_save(
        by=None, line=line_of(other, enrolled.other_student), final_score=Decimal(0), absent=True
    )
    actions.sheet_close(by=None, sheet=other)
    assert Debt.objects.count() == 3
    for url, before in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as more:
            client.get(url)
        assert len(more) == before
