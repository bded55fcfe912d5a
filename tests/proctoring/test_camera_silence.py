"""The server's "camera silent" flag: an attempt in progress of a test requiring the camera
with no frame for PROCTORING_SILENT_INTERVALS frame intervals is flagged once per gap, its
score raised, its proctors told live, its grid tile and review page showing it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse
from django.utils import timezone

from hub.testing import actions as testing_actions
from hub.testing.models import Attempt
from proctoring import actions, selectors
from proctoring.models import CAMERA_SILENT, CameraSilence, ProctoredAttempt
from proctoring.tasks import flag_silent_cameras
from realtime.groups import group_proctor
from tests.hub.testing.conftest import make_bank, make_test
from tests.proctoring import frame
from tests.proctoring.conftest import count_queries

pytestmark = pytest.mark.usefixtures("in_english")

# The fixture's test sends a frame every 5 seconds; 3 intervals make 15 seconds of silence.
INTERVAL = 5


@pytest.fixture(autouse=True)
def _three_intervals(settings):
    settings.PROCTORING_SILENT_INTERVALS = 3


def started_ago(attempt: Attempt, seconds: int) -> Attempt:
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(seconds=seconds)
    )
    attempt.refresh_from_db()
    return attempt


def silences(attempt: Attempt) -> list:
    return list(CameraSilence.objects.filter(attempt=attempt).values_list("started_at", flat=True))


def test_a_silent_attempt_is_flagged_once_from_its_start(proctored):
    attempt = started_ago(proctored.attempt, 60)

    first = actions.camera_silences_flag()
    again = actions.camera_silences_flag(now=timezone.now() + timedelta(minutes=5))

    assert [s.attempt_id for s in first] == [attempt.pk] and again == []
    assert silences(attempt) == [attempt.started_at]
    row = ProctoredAttempt.objects.get(attempt=attempt)
    assert row.silent_since == attempt.started_at
    assert row.flag_count == 1 and row.suspicion > 0


def test_an_attempt_silent_for_less_than_the_intervals_is_not_flagged(proctored):
    attempt = started_ago(proctored.attempt, 3 * INTERVAL - 2)

    assert actions.camera_silences_flag() == []
    assert silences(attempt) == []


def test_frames_that_resume_then_stop_again_give_a_second_flag(cast, proctored):
    attempt = started_ago(proctored.attempt, 60)
    actions.camera_silences_flag()
    sent = actions.frame_receive(by=cast.student, attempt=attempt, jpeg=frame("one_face"))

    # The frame has just come: no new gap yet.
    assert actions.camera_silences_flag() == []
    later = sent.received_at + timedelta(seconds=3 * INTERVAL + 1)
    second = actions.camera_silences_flag(now=later)
    third = actions.camera_silences_flag(now=later + timedelta(minutes=1))

    assert len(second) == 1 and third == []
    assert silences(attempt) == [attempt.started_at, sent.received_at]
    row = ProctoredAttempt.objects.get(attempt=attempt)
    assert row.flag_count == 2 and row.silent_since == sent.received_at


def test_an_attempt_whose_frames_keep_coming_is_never_flagged(cast, proctored):
    attempt = started_ago(proctored.attempt, 60)
    sent = actions.frame_receive(by=cast.student, attempt=attempt, jpeg=frame("one_face"))

    assert actions.camera_silences_flag(now=sent.received_at + timedelta(seconds=10)) == []
    assert silences(attempt) == []


def test_a_test_without_the_camera_requirement_is_never_flagged(cast, university, proctored):
    actions.proctoring_settings_save(
        by=cast.teacher, test=proctored.test, requires_camera=False, frame_interval=INTERVAL,
        proctors=[],
    )  # fmt: skip
    plain = make_test(cast.teacher, make_bank(cast.teacher), group=university.group_a)
    other = started_ago(testing_actions.attempt_start(by=cast.other_student, test=plain), 600)
    started_ago(proctored.attempt, 600)

    assert actions.camera_silences_flag(now=timezone.now() + timedelta(hours=1)) == []
    assert not CameraSilence.objects.exists()
    assert not ProctoredAttempt.objects.filter(attempt=other).exists()


def test_a_finished_attempt_is_never_flagged(cast, proctored):
    attempt = started_ago(proctored.attempt, 600)
    testing_actions.attempt_submit(by=cast.student, attempt=attempt)

    assert actions.camera_silences_flag() == []
    assert silences(attempt) == []


def test_an_attempt_past_its_deadline_is_not_flagged(proctored):
    attempt = started_ago(proctored.attempt, 600)

    assert actions.camera_silences_flag(now=attempt.deadline + timedelta(seconds=1)) == []


def test_the_interval_is_the_tests_own_times_the_setting(cast, proctored, settings):
    actions.proctoring_settings_save(
        by=cast.teacher, test=proctored.test, requires_camera=True, frame_interval=20,
        proctors=[],
    )  # fmt: skip
    attempt = started_ago(proctored.attempt, 50)

    assert actions.camera_silences_flag() == []  # 50 s < 3 × 20 s
    settings.PROCTORING_SILENT_INTERVALS = 2
    assert len(actions.camera_silences_flag()) == 1  # 50 s > 2 × 20 s
    assert silences(attempt) == [attempt.started_at]


def test_the_proctors_are_told_after_commit(proctored, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group_proctor(proctored.test.pk), channel)
    attempt = started_ago(proctored.attempt, 60)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.camera_silences_flag()

    assert len(callbacks) == 1

    async def receive():
        return await asyncio.wait_for(layer.receive(channel), 2)

    event = async_to_sync(receive)()["event"]
    assert event["type"] == "proctor.frame"
    data = event["data"]
    assert data["attempt"] == attempt.pk and data["frame"] is None
    assert data["flags"] == [CAMERA_SILENT] and data["thumbnail"] == ""
    assert data["taken_at"] == attempt.started_at.isoformat()
    assert data["flag_count"] == 1 and data["suspicion"] > 0


def test_nothing_is_told_when_nothing_is_silent(proctored, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        actions.camera_silences_flag()

    assert callbacks == []


def test_the_sweep_costs_the_same_for_one_attempt_as_for_several(cast, university, proctored):
    started_ago(proctored.attempt, 60)
    flag_one = count_queries(actions.camera_silences_flag)
    # Its gap is flagged already: the one query that finds the silent attempts, no write.
    assert count_queries(actions.camera_silences_flag) == 1

    CameraSilence.objects.all().delete()
    ProctoredAttempt.objects.all().delete()
    second = make_test(
        cast.teacher, make_bank(cast.teacher, title="Second"), group=university.group_a,
        title="Second",
    )  # fmt: skip
    actions.proctoring_settings_save(
        by=cast.teacher, test=second, requires_camera=True, frame_interval=INTERVAL, proctors=[]
    )
    for user, test in [(cast.other_student, proctored.test), (cast.student, second)]:
        started_ago(testing_actions.attempt_start(by=user, test=test), 60)
    flag_three = count_queries(actions.camera_silences_flag)

    assert CameraSilence.objects.count() == 3
    assert flag_three == flag_one


def test_the_live_grid_shows_a_silent_camera(client, cast, proctored):
    started_ago(proctored.attempt, 60)
    actions.camera_silences_flag()
    client.force_login(cast.other_teacher)

    html = client.get(reverse("proctoring:live", args=[proctored.test.pk])).content.decode()

    assert "camera silent" in html
    tile = selectors.live_snapshot(proctored.test)[0]
    assert tile["flags"] == [CAMERA_SILENT] and tile["flag_count"] == 1


def test_a_frame_analysed_after_the_silence_ends_it_on_the_grid(cast, proctored):
    started_ago(proctored.attempt, 60)
    actions.camera_silences_flag()
    sent = actions.frame_receive(by=cast.student, attempt=proctored.attempt, jpeg=frame("one_face"))
    actions.frame_analyse(frame_id=sent.pk)

    tile = selectors.live_snapshot(proctored.test)[0]

    assert tile["flags"] == [] and tile["flag_count"] == 1


def test_the_review_shows_the_silence_on_the_timeline(client, cast, proctored):
    attempt = started_ago(proctored.attempt, 60)
    actions.camera_silences_flag()
    client.force_login(cast.teacher)

    response = client.get(reverse("proctoring:review", args=[attempt.pk]))

    html = response.content.decode()
    assert "camera silent" in html
    assert "no frame since; noticed at" in html
    review = selectors.attempt_review(attempt)
    assert [item.kind for item in review.items] == ["silence"]
    assert [flag for flag, _seconds in review.episodes] == ["camera silent"]


def test_old_silences_go_with_the_retention(proctored, settings):
    started_ago(proctored.attempt, 60)
    actions.camera_silences_flag()
    CameraSilence.objects.update(started_at=timezone.now() - timedelta(days=31))

    actions.frames_purge()

    assert not CameraSilence.objects.exists()


def test_the_beat_runs_the_sweep_through_its_task(proctored, settings):
    started_ago(proctored.attempt, 60)
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values()]

    assert {"task": "proctoring.flag_silent_cameras", "schedule": 5} in entries
    assert flag_silent_cameras() == 1
    assert flag_silent_cameras() == 0
