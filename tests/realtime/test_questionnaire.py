"""The curator's questionnaires (CR-1): the curator fills them, the deanery reads, nobody else."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.records import actions as records
from academic.records.models import OrderKind
from academic.structure.actions import group_assign_curator
from hub.accounts.models import User
from hub.audit.models import AuditEntry
from realtime.questionnaire.models import Living, Questionnaire
from tests.conftest import admit, personal_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

FILLED = {
    "living": Living.DORMITORY,
    "address": "Бишкек, жатакана №3",
    "phone": "+996 555 123 456",
    "orphan": "on",
    "low_income": "on",
    "hobbies": "Шахмат, ыр ийрими",
    "health_notes": "Астма",
    "notes": "Тырышчаак",
}


@pytest.fixture
def curated(cast, university, enrolled):
    group_assign_curator(
        by=None, group=university.group_a, curator=cast.curator, on=date(2024, 9, 1)
    )
    university.group_a.refresh_from_db()
    return enrolled


def form_url(student) -> str:
    return reverse("questionnaire-student", kwargs={"student_id": student.pk})


def list_url(group) -> str:
    return reverse("questionnaire-group", kwargs={"group_id": group.pk})


def test_the_curator_fills_a_questionnaire_and_the_list_shows_it_complete(
    client, cast, university, curated
):
    client.force_login(cast.curator)
    assert client.get(form_url(curated.student)).status_code == 200

    response = client.post(form_url(curated.student), FILLED)

    assert response.status_code == 302
    saved = Questionnaire.objects.get(student=curated.student)
    assert (saved.living, saved.orphan, saved.low_income, saved.disability) == (
        Living.DORMITORY, True, True, False,
    )  # fmt: skip
    assert saved.completeness == 100
    assert saved.updated_by == cast.curator
    page = client.get(list_url(university.group_a))
    assert page.status_code == 200
    assert sorted(row.completeness for row in page.context["rows"]) == [0, 100]
    assert page.context["average"] == 50
    entry = AuditEntry.objects.get(action="questionnaire_save")
    assert entry.actor == cast.curator
    # Health notes are medical data: the audit log says they changed, never what they say.
    assert "Астма" not in str(entry.after) and entry.after["health_notes_changed"] is True


def test_bad_input_re_renders_the_form_with_the_reason(client, cast, curated):
    client.force_login(cast.curator)
    response = client.post(form_url(curated.student), {**FILLED, "living": "castle"})
    assert response.status_code == 200
    assert response.context["form"].errors["living"]
    assert not Questionnaire.objects.exists()


def test_the_deanery_of_the_faculty_reads_but_does_not_write(client, cast, curated):
    client.force_login(cast.curator)
    client.post(form_url(curated.student), FILLED)

    client.force_login(cast.deanery_a)
    page = client.get(form_url(curated.student))
    assert page.status_code == 200
    assert not page.context["may_write"]
    assert "Астма" in page.content.decode()
    assert client.post(form_url(curated.student), {**FILLED, "notes": "x"}).status_code == 404
    assert Questionnaire.objects.get().notes == "Тырышчаак"


@pytest.mark.parametrize(
    "name", ["deanery_b", "teacher", "student", "other_student", "records_office", "parent"]
)
def test_everyone_else_is_refused(client, cast, university, curated, name):
    client.force_login(getattr(cast, name))
    assert client.get(form_url(curated.student)).status_code == 404
    assert client.get(list_url(university.group_a)).status_code == 404
    assert client.post(form_url(curated.student), FILLED).status_code == 404


def test_a_transferred_students_questionnaire_passes_to_the_new_curator(
    client, cast, university, curated
):
    client.force_login(cast.curator)
    client.post(form_url(curated.student), FILLED)
    group_assign_curator(
        by=None, group=university.group_b, curator=cast.other_teacher, on=date(2024, 9, 1)
    )
    today = date.today()
    order = records.order_create(
        by=None, kind=OrderKind.TRANSFER, number="Q-1", date=today, effective_date=today
    )
    records.order_line_add(by=None, order=order, student=curated.student, group=university.group_b)
    records.order_sign(by=None, order=order, signer="Ректор")

    assert client.get(form_url(curated.student)).status_code == 404
    client.force_login(cast.other_teacher)
    page = client.get(form_url(curated.student))
    assert page.status_code == 200 and page.context["questionnaire"].phone == FILLED["phone"]


def test_the_export_holds_the_groups_questionnaires(client, cast, university, curated):
    client.force_login(cast.curator)
    client.post(form_url(curated.student), FILLED)
    response = client.get(list_url(university.group_a), {"export": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Шахмат, ыр ийрими" in text
    assert "in the dormitory" in text
    assert "orphan or without parental care" in text
    for fmt in ("xlsx", "pdf"):
        assert client.get(list_url(university.group_a), {"export": fmt}).status_code == 200


def list_queries(client, group) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(list_url(group)).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_whatever_the_size_of_the_group(client, cast, university, curated):
    client.force_login(cast.curator)
    client.post(form_url(curated.student), FILLED)
    before = list_queries(client, university.group_a)
    more = []
    for i in range(8):
        user = User.objects.create_user(
            username=f"q-{i}", first_name="Бакыт", last_name=f"Уулу {i}"
        )
        more.append(personal_file(user, f"24-09{i:02d}"))
    admit(more, university.group_a, number="1-Q")
    for student in more[:5]:
        client.post(form_url(student), FILLED)
    assert list_queries(client, university.group_a) == before


def test_the_curators_live_view_links_to_the_questionnaires(client, cast, university, curated):
    client.force_login(cast.curator)
    page = client.get(reverse("curator-group", kwargs={"group_id": university.group_a.pk}))
    assert list_url(university.group_a) in page.content.decode()
