"""The proctor's acts on an attempt (message, extend, end) and a test's settings: through
the pages, audited, the student notified, the proctors' grids told."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hub.audit.models import AuditEntry
from hub.testing.models import AttemptStatus
from proctoring import actions
from proctoring.models import ProctoredAttempt, ProctoringSettings
from realtime.models import Notification

pytestmark = pytest.mark.usefixtures("in_english")


def test_the_owner_saves_the_settings_and_chooses_proctors(client, cast, proctored):
    client.force_login(cast.teacher)
    url = reverse("proctoring:settings", args=[proctored.test.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url, {"requires_camera": "", "frame_interval": "10", "proctors": [cast.deanery_b.pk]}
    )

    assert response.status_code == 302
    row = ProctoringSettings.objects.get(test=proctored.test)
    assert (row.requires_camera, row.frame_interval) == (False, 10)
    assert list(row.proctors.all()) == [cast.deanery_b]
    entry = AuditEntry.objects.filter(action="proctoring_settings_save").latest("pk")
    assert entry.after["proctors"] == [cast.deanery_b.pk]


def test_a_bad_interval_re_renders_the_form(client, cast, proctored):
    client.force_login(cast.teacher)

    response = client.post(
        reverse("proctoring:settings", args=[proctored.test.pk]), {"frame_interval": "1"}
    )

    assert response.status_code == 200
    assert ProctoringSettings.objects.get(test=proctored.test).frame_interval == 5


def test_the_attempt_page_loads_the_camera_only_when_required(client, cast, proctored):
    client.force_login(cast.student)
    page = reverse("testing:attempt", args=[proctored.attempt.pk])

    required = client.get(page).content
    assert b"proctoring-camera.js" in required and b'data-interval="5"' in required
    ProctoringSettings.objects.filter(test=proctored.test).update(requires_camera=False)
    assert b"proctoring-camera.js" not in client.get(page).content


def test_a_proctor_messages_the_student(client, cast, proctored):
    client.force_login(cast.other_teacher)

    response = client.post(
        reverse("proctoring:message", args=[proctored.attempt.pk]), {"text": "Look at the screen"}
    )

    assert response.status_code == 302
    note = Notification.objects.get(recipient=cast.student)
    assert note.body == "Look at the screen" and note.important
    assert AuditEntry.objects.filter(action="proctor_message", actor=cast.other_teacher).exists()


def test_an_empty_message_is_refused_with_a_reason(db):
    with pytest.raises(actions.DomainError, match="Write the message"):
        actions.proctor_message(by=None, attempt=None, text="  ")


def test_a_proctor_extends_the_time(client, cast, proctored):
    deadline = proctored.attempt.deadline
    client.force_login(cast.teacher)

    response = client.post(
        reverse("proctoring:extend", args=[proctored.attempt.pk]), {"minutes": "15"}
    )

    assert response.status_code == 302
    proctored.attempt.refresh_from_db()
    assert (proctored.attempt.deadline - deadline).total_seconds() == 15 * 60
    entry = AuditEntry.objects.get(action="attempt_extend")
    assert entry.actor == cast.teacher and "deadline" in entry.changes
    assert Notification.objects.filter(recipient=cast.student).count() == 1


@pytest.mark.parametrize("minutes", [0, 241, "x"])
def test_an_extension_out_of_range_changes_nothing(client, cast, proctored, minutes):
    deadline = proctored.attempt.deadline
    client.force_login(cast.teacher)

    client.post(reverse("proctoring:extend", args=[proctored.attempt.pk]), {"minutes": minutes})

    proctored.attempt.refresh_from_db()
    assert proctored.attempt.deadline == deadline
    assert not AuditEntry.objects.filter(action="attempt_extend").exists()


def test_ending_asks_for_a_reason_first_then_submits_with_it(client, cast, proctored):
    client.force_login(cast.deanery_a)
    url = reverse("proctoring:end", args=[proctored.attempt.pk])

    page = client.get(url)
    assert page.status_code == 200 and b"End the attempt" in page.content
    assert client.post(url, {"reason": ""}).status_code == 200
    proctored.attempt.refresh_from_db()
    assert proctored.attempt.status == AttemptStatus.IN_PROGRESS

    response = client.post(url, {"reason": "A phone on the desk"})

    assert response.status_code == 302
    proctored.attempt.refresh_from_db()
    assert proctored.attempt.status == AttemptStatus.SUBMITTED
    assert proctored.attempt.score is not None
    assert (
        ProctoredAttempt.objects.get(attempt=proctored.attempt).end_reason == "A phone on the desk"
    )
    entry = AuditEntry.objects.get(action="attempt_end")
    assert entry.reason == "A phone on the desk" and entry.actor == cast.deanery_a
    assert Notification.objects.get(recipient=cast.student).body == "A phone on the desk"


def test_an_ended_attempt_cannot_be_ended_or_extended_again(cast, proctored):
    actions.attempt_end(by=cast.teacher, attempt=proctored.attempt, reason="Left the room")
    proctored.attempt.refresh_from_db()

    with pytest.raises(actions.AttemptFinished):
        actions.attempt_end(by=cast.teacher, attempt=proctored.attempt, reason="Again")
    with pytest.raises(actions.AttemptFinished):
        actions.attempt_extend(by=cast.teacher, attempt=proctored.attempt, minutes=5)


def test_the_proctors_grid_hears_of_the_extension(
    cast, proctored, django_capture_on_commit_callbacks
):
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from realtime.groups import group_proctor

    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group_proctor(proctored.test.pk), channel)

    with django_capture_on_commit_callbacks(execute=True):
        attempt = actions.attempt_extend(by=cast.teacher, attempt=proctored.attempt, minutes=5)

    event = async_to_sync(layer.receive)(channel)["event"]
    assert event["type"] == "proctor.attempt"
    assert event["data"]["deadline"] == attempt.deadline.isoformat()


def test_annulling_from_the_review_asks_for_a_reason(client, cast, proctored):
    actions.attempt_end(by=cast.teacher, attempt=proctored.attempt, reason="Left the room")
    client.force_login(cast.deanery_a)
    url = reverse("proctoring:annul", args=[proctored.attempt.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"reason": "Helped by another person"})

    assert response.status_code == 302
    proctored.attempt.refresh_from_db()
    assert proctored.attempt.status == AttemptStatus.ANNULLED
    assert proctored.attempt.annul_reason == "Helped by another person"
