"""The upload's analysis through the real Celery task (eager) and real OpenCV: flags, the
thumbnail kept and the raw frame dropped, the baseline from the first good frame, the
stored suspicion, and the live event to the test's proctors."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse

from proctoring import actions
from proctoring.models import Frame, ProctoredAttempt
from realtime.groups import group_proctor
from tests.proctoring import frame

pytestmark = pytest.mark.usefixtures("in_english", "eager")


@pytest.fixture
def upload(client, cast, proctored, django_capture_on_commit_callbacks):
    client.force_login(cast.student)

    def send(name: str) -> Frame:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("proctoring:frame", args=[proctored.attempt.pk]),
                data=frame(name),
                content_type="image/jpeg",
            )
        assert response.status_code == 201, response.content
        return Frame.objects.get(pk=response.json()["frame"])

    return send


@pytest.mark.parametrize(
    ("name", "flags", "faces"),
    [
        ("one_face", [], 1),
        ("two_faces", ["many_faces"], 2),
        ("dark", ["dark"], 1),
        ("covered", ["dark"], 0),
        ("no_face_coffee", ["no_face"], 0),
        ("no_face_rocket", ["no_face"], 0),
        ("off_centre", ["off_centre"], 1),
    ],
)
def test_each_fixture_gets_its_flags(upload, name, flags, faces):
    analysed = upload(name)

    assert analysed.analysed_at is not None
    assert analysed.flags == flags
    assert analysed.face_count == faces
    assert analysed.error == ""


def test_the_thumbnail_is_kept_and_the_raw_frame_dropped(upload, settings):
    analysed = upload("one_face")

    assert not analysed.raw
    assert analysed.thumbnail.read().startswith(b"\xff\xd8")
    folder = Path(settings.VAR_DIR) / "private" / "proctoring" / str(analysed.attempt_id)
    assert [p.name for p in folder.iterdir()] == [Path(analysed.thumbnail.name).name]


def test_the_first_good_frame_becomes_the_baseline(upload, proctored):
    upload("covered")
    upload("two_faces")
    good = upload("one_face")
    upload("one_face")

    row = ProctoredAttempt.objects.get(attempt=proctored.attempt)
    assert row.baseline_frame_id == good.pk
    assert row.baseline_area > 0.05


def test_a_face_smaller_than_the_baseline_is_flagged(upload):
    upload("one_face")

    assert upload("face_small").flags == ["face_smaller"]


def test_without_a_baseline_a_small_face_is_not_flagged_and_becomes_it(upload, proctored):
    first = upload("face_small")
    upload("face_small")

    assert first.flags == []
    row = ProctoredAttempt.objects.get(attempt=proctored.attempt)
    assert row.baseline_frame_id == first.pk
    assert ProctoredAttempt.objects.get(attempt=proctored.attempt).flag_count == 0


def test_flags_raise_the_stored_suspicion(upload, proctored):
    upload("one_face")
    row = ProctoredAttempt.objects.get(attempt=proctored.attempt)
    assert row.suspicion == 0 and row.flag_count == 0

    upload("two_faces")

    row.refresh_from_db()
    assert row.flag_count == 1
    # One short episode of a second face: 25 points, 100 * (1 - exp(-25/50)).
    assert row.suspicion == pytest.approx(39.35, abs=0.01)
    assert row.latest_frame.flags == ["many_faces"]


def test_a_frame_analysed_twice_changes_nothing(upload, proctored):
    analysed = upload("two_faces")

    assert actions.frame_analyse(frame_id=analysed.pk).analysed_at == analysed.analysed_at
    assert ProctoredAttempt.objects.get(attempt=proctored.attempt).flag_count == 1


def test_the_proctors_get_the_frame_event_after_commit(upload, proctored):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group_proctor(proctored.test.pk), channel)

    analysed = upload("two_faces")

    async def receive():
        return await asyncio.wait_for(layer.receive(channel), 2)

    event = async_to_sync(receive)()["event"]
    assert event["type"] == "proctor.frame"
    data = event["data"]
    assert data["attempt"] == proctored.attempt.pk and data["frame"] == analysed.pk
    assert data["flags"] == ["many_faces"] and data["face_count"] == 2
    assert data["thumbnail"] == reverse("proctoring:thumbnail", args=[analysed.pk])
    assert data["flag_count"] == 1 and data["suspicion"] > 0
