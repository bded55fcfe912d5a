"""Group heads (SR-8): one at a time, from the group's students, with history."""

from datetime import date

import pytest
from django.urls import reverse

from academic.records import actions
from academic.records.models import StarostaTerm
from hub.audit.models import AuditEntry
from hub.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_new_head_ends_the_previous_term(enrolled, university):
    group = university.group_a
    actions.group_assign_starosta(
        by=None, group=group, student=enrolled.student, on=date(2024, 9, 10)
    )
    actions.group_assign_starosta(
        by=None, group=group, student=enrolled.other_student, on=date(2025, 2, 1)
    )

    terms = list(StarostaTerm.objects.filter(group=group).order_by("valid_from"))
    assert [(t.student, t.valid_to) for t in terms] == [
        (enrolled.student, date(2025, 2, 1)),
        (enrolled.other_student, None),
    ]
    group.refresh_from_db()
    assert group.starosta == enrolled.other_student.user
    assert AuditEntry.objects.filter(action="group_assign_starosta").count() == 2


def test_the_head_must_study_in_the_group(enrolled, university):
    with pytest.raises(DomainError, match="does not study in group"):
        actions.group_assign_starosta(
            by=None, group=university.group_b, student=enrolled.student, on=date(2024, 10, 1)
        )
    with pytest.raises(DomainError, match="does not study"):
        actions.group_assign_starosta(
            by=None, group=university.group_a, student=enrolled.student, on=date(2024, 1, 1)
        )


def test_the_records_office_names_the_head_on_the_roster(client, cast, enrolled, university):
    client.force_login(cast.records_office)
    url = reverse("records:group-starosta", kwargs={"group_id": university.group_a.pk})

    response = client.post(url, {"student": enrolled.student.pk, "valid_from": "2025-01-15"})

    assert response.status_code == 302
    roster = client.get(reverse("records:group-roster", kwargs={"group_id": university.group_a.pk}))
    assert "15.01.2025" in roster.content.decode()
