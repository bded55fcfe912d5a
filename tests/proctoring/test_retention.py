"""The retention task deletes frames, their files and page events older than
PROCTORING_RETENTION_DAYS, and keeps the newer ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from proctoring.models import Frame, PageEvent, ProctoredAttempt
from proctoring.tasks import purge_frames
from tests.proctoring import frame

pytestmark = pytest.mark.usefixtures("eager")


def upload(client, attempt, name, capture) -> Frame:
    with capture(execute=True):
        response = client.post(
            reverse("proctoring:frame", args=[attempt.pk]), data=frame(name),
            content_type="image/jpeg",
        )  # fmt: skip
    return Frame.objects.get(pk=response.json()["frame"])


def test_old_frames_files_and_events_go_new_ones_stay(
    client, cast, proctored, settings, django_capture_on_commit_callbacks
):
    settings.PROCTORING_RETENTION_DAYS = 30
    client.force_login(cast.student)
    capture = django_capture_on_commit_callbacks
    old = [upload(client, proctored.attempt, n, capture) for n in ("one_face", "two_faces")]
    new = upload(client, proctored.attempt, "dark", capture)
    long_ago = timezone.now() - timedelta(days=31)
    Frame.objects.filter(pk__in=[f.pk for f in old]).update(received_at=long_ago, taken_at=long_ago)
    PageEvent.objects.create(attempt=proctored.attempt, kind="copy", at=long_ago)
    PageEvent.objects.create(attempt=proctored.attempt, kind="paste", at=timezone.now())
    storage = Frame._meta.get_field("thumbnail").storage
    old_files = [f.thumbnail.name for f in old]
    assert all(storage.exists(name) for name in old_files)

    assert purge_frames() == 2

    assert list(Frame.objects.values_list("pk", flat=True)) == [new.pk]
    assert not any(storage.exists(name) for name in old_files)
    assert storage.exists(new.thumbnail.name)
    assert list(PageEvent.objects.values_list("kind", flat=True)) == ["paste"]
    row = ProctoredAttempt.objects.get(attempt=proctored.attempt)
    assert row.latest_frame_id == new.pk


def test_an_unanalysed_frames_raw_file_goes_with_it(client, cast, proctored, settings):
    client.force_login(cast.student)
    response = client.post(
        reverse("proctoring:frame", args=[proctored.attempt.pk]), data=frame("one_face"),
        content_type="image/jpeg",
    )  # fmt: skip
    stored = Frame.objects.get(pk=response.json()["frame"])
    Frame.objects.filter(pk=stored.pk).update(received_at=timezone.now() - timedelta(days=40))
    storage = Frame._meta.get_field("raw").storage
    assert storage.exists(stored.raw.name)

    assert purge_frames() == 1

    assert not Frame.objects.exists()
    assert not storage.exists(stored.raw.name)


def test_the_purge_is_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "proctoring.purge_frames" in tasks
