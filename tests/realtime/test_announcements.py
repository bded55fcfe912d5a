"""Announcements reach today's students of the audience and its curators, live, once each."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404
from django.urls import reverse

from academic.structure.actions import group_assign_curator
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from realtime.actions import notification_send
from realtime.announcements import announcement_publish
from realtime.models import Audience, Notification
from realtime.permissions import may_announce

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def curated(cast, university, enrolled):
    group_assign_curator(
        by=None, group=university.group_a, curator=cast.curator, on=date(2024, 9, 1)
    )
    university.group_a.refresh_from_db()


def publish(by, audience, audience_id, title="Жыйналыш"):
    return announcement_publish(
        by=by, audience=audience, audience_id=audience_id, title=title, body="Саат 14:00дө."
    )


def test_a_faculty_announcement_reaches_its_students_and_curators(
    cast, university, curated, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as published:
        announcement = publish(cast.deanery_a, Audience.FACULTY, university.faculty_a.pk)

    readers = set(Notification.objects.values_list("recipient_id", flat=True))
    assert readers == {cast.student.pk, cast.other_student.pk, cast.curator.pk}
    assert announcement.recipients == 3
    # The readers' live notifications (one batch) and the e-mail copies, all after commit.
    assert len(published) == 2
    assert AuditEntry.objects.filter(action="announcement_publish").exists()


def test_a_deanery_cannot_announce_to_another_faculty(cast, university, curated):
    assert not may_announce(cast.deanery_b, Audience.FACULTY, university.faculty_a.pk)
    with pytest.raises(Http404):
        publish(cast.deanery_b, Audience.FACULTY, university.faculty_a.pk)


def test_a_curator_announces_to_their_group_only(cast, university, curated):
    publish(cast.curator, Audience.GROUP, university.group_a.pk)
    with pytest.raises(Http404):
        publish(cast.curator, Audience.GROUP, university.group_b.pk)
    with pytest.raises(Http404):
        publish(cast.student, Audience.GROUP, university.group_a.pk)


def test_an_announcement_needs_a_title_and_a_text(cast, university, curated):
    with pytest.raises(DomainError, match="title and a text"):
        announcement_publish(
            by=cast.admin, audience=Audience.INSTITUTION, audience_id=None, title=" ", body="x"
        )


def test_notification_send_stores_once_per_person(cast):
    count = notification_send(
        recipients=[cast.student, cast.student.pk, cast.teacher], title="Эскертүү"
    )
    assert count == 2


def test_readers_open_it_and_it_counts_as_read(client, cast, university, curated):
    announcement = publish(cast.deanery_a, Audience.GROUP, university.group_a.pk)
    client.force_login(cast.student)

    listed = client.get(reverse("announcement-list")).content.decode()
    assert "Жыйналыш" in listed
    page = client.get(reverse("announcement-detail", kwargs={"announcement_id": announcement.pk}))
    assert page.status_code == 200
    assert not Notification.objects.filter(recipient=cast.student, read_at__isnull=True).exists()

    client.force_login(cast.deanery_b)
    assert (
        client.get(
            reverse("announcement-detail", kwargs={"announcement_id": announcement.pk})
        ).status_code
        == 404
    )


def test_the_form_refuses_an_audience_out_of_reach(client, cast, university, curated):
    client.force_login(cast.deanery_b)
    response = client.post(
        reverse("announcement-create"),
        {"audience": "faculty", "faculty": university.faculty_a.pk, "title": "X", "body": "Y"},
    )
    assert response.status_code == 200
    assert not Notification.objects.exists()
