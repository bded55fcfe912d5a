"""Frames analysed in batches: one task takes every frame waiting (its own first), each frame
is analysed once whoever's task takes it, per attempt in time order (the first good frame
is the baseline, later frames of the batch are flagged against it), one `proctor.frame`
per frame after commit. Through the real Celery task (eager) and real OpenCV."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from hub.testing import actions as testing_actions
from proctoring import actions
from proctoring.models import Frame, ProctoredAttempt
from proctoring.tasks import analyse
from realtime.groups import group_proctor
from tests.proctoring import frame
from tests.proctoring.conftest import count_queries

pytestmark = pytest.mark.usefixtures("in_english", "eager")


@pytest.fixture
def store(cast, proctored):
    """Store a frame of cast.student's attempt, its analysis not run; `at` seconds from now."""
    start = time.time()

    def send(name: str, at: float = 0.0, *, by=None, attempt=None) -> Frame:
        return actions.frame_receive(
            by=by or cast.student,
            attempt=attempt or proctored.attempt,
            jpeg=frame(name),
            taken_at=int((start + at) * 1000),
        )

    return send


@pytest.fixture
def listen(proctored):
    """The proctor group's events, read after the act: every one of them, in order."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group_proctor(proctored.test.pk), channel)

    async def drain() -> list[dict]:
        found = []
        while True:
            try:
                message = await asyncio.wait_for(layer.receive(channel), 0.5)
            except TimeoutError:
                return found
            found.append(message["event"])

    return lambda: async_to_sync(drain)()


def run_task(frame_id: int, capture) -> list:
    """The frame's task through Celery (eager); its after-commit callbacks, run."""
    with capture(execute=True) as callbacks:
        analyse.delay(frame_id)
    return callbacks


def test_one_task_analyses_every_frame_waiting_once(
    store, proctored, listen, django_capture_on_commit_callbacks, settings
):
    stored = [store(n, at) for at, n in enumerate(("one_face", "two_faces", "dark"))]
    assert not Frame.objects.filter(analysed_at__isnull=False).exists()

    run_task(stored[-1].pk, django_capture_on_commit_callbacks)

    frames = list(Frame.objects.order_by("pk"))
    assert [f.flags for f in frames] == [[], ["many_faces"], ["dark"]]
    assert len({f.analysed_at for f in frames}) == 1
    assert all(f.thumbnail and not f.raw for f in frames)
    events = listen()
    # One event per frame (published concurrently: in no promised order).
    assert sorted(e["data"]["frame"] for e in events) == [f.pk for f in stored]
    assert {e["type"] for e in events} == {"proctor.frame"}
    assert {e["data"]["frame"]: e["data"]["flag_count"] for e in events}[stored[-1].pk] == 2

    # The other frames' tasks find their frames done: nothing changes, nothing is published.
    analysed_at = {f.pk: f.analysed_at for f in frames}
    for other in stored[:-1]:
        assert run_task(other.pk, django_capture_on_commit_callbacks) == []
    assert dict(Frame.objects.values_list("pk", "analysed_at")) == analysed_at
    row = ProctoredAttempt.objects.get(attempt=proctored.attempt)
    assert (row.flag_count, row.latest_frame_id, row.baseline_frame_id) == (
        2,
        stored[-1].pk,
        stored[0].pk,
    )


def test_a_task_whose_frame_is_done_returns_at_once(store, django_capture_on_commit_callbacks):
    done = store("one_face")
    run_task(done.pk, django_capture_on_commit_callbacks)
    waiting = store("two_faces")

    assert count_queries(lambda: actions.frames_analyse(frame_id=done.pk)) <= 3
    assert actions.frames_analyse(frame_id=done.pk) == []
    assert Frame.objects.get(pk=waiting.pk).analysed_at is None


def test_the_baseline_is_the_first_good_frame_in_time_not_in_arrival(
    store, proctored, django_capture_on_commit_callbacks
):
    # Sent in this order, taken in the other: the browser queued the older frames.
    small = store("face_small", at=3)
    good = store("one_face", at=2)
    covered = store("covered", at=1)

    run_task(small.pk, django_capture_on_commit_callbacks)

    row = ProctoredAttempt.objects.get(attempt=proctored.attempt)
    assert row.baseline_frame_id == good.pk
    assert row.baseline_area > 0.05
    # Later than the baseline in the same batch: flagged against it.
    assert Frame.objects.get(pk=small.pk).flags == ["face_smaller"]
    assert Frame.objects.get(pk=covered.pk).flags == ["dark"]
    assert row.latest_frame_id == small.pk


def test_frames_of_several_attempts_share_a_batch_each_with_its_own_state(
    cast, proctored, store, listen, django_capture_on_commit_callbacks
):
    other = testing_actions.attempt_start(by=cast.other_student, test=proctored.test)
    mine = [store("one_face", 0), store("two_faces", 1)]
    theirs = [
        store("face_small", 0, by=cast.other_student, attempt=other),
        store("no_face_coffee", 1, by=cast.other_student, attempt=other),
    ]

    run_task(theirs[-1].pk, django_capture_on_commit_callbacks)

    rows = {r.attempt_id: r for r in ProctoredAttempt.objects.all()}
    assert (rows[proctored.attempt.pk].baseline_frame_id, rows[other.pk].baseline_frame_id) == (
        mine[0].pk,
        theirs[0].pk,
    )
    assert (rows[proctored.attempt.pk].latest_frame_id, rows[other.pk].latest_frame_id) == (
        mine[1].pk,
        theirs[1].pk,
    )
    assert rows[proctored.attempt.pk].flag_count == 1 and rows[other.pk].flag_count == 1
    assert rows[proctored.attempt.pk].suspicion > 0 and rows[other.pk].suspicion > 0
    events = listen()
    assert sorted(e["data"]["frame"] for e in events) == sorted(f.pk for f in mine + theirs)
    by_frame = {e["data"]["frame"]: e["data"] for e in events}
    assert by_frame[theirs[1].pk]["attempt"] == other.pk
    assert by_frame[theirs[0].pk]["baseline"] is True


def test_a_batch_takes_its_own_frame_first_then_the_oldest_up_to_the_limit(store):
    stored = [store("one_face", at) for at in range(4)]

    taken = actions.frames_analyse(frame_id=stored[-1].pk, limit=2)

    assert sorted(f.pk for f in taken) == [stored[0].pk, stored[-1].pk]
    waiting = Frame.objects.filter(analysed_at__isnull=True).order_by("pk")
    assert list(waiting.values_list("pk", flat=True)) == [stored[1].pk, stored[2].pk]


def test_an_unreadable_upload_is_analysed_with_its_error_and_the_batch_goes_on(store):
    lost, kept = store("one_face"), store("two_faces", 1)
    lost.raw.storage.delete(lost.raw.name)

    actions.frames_analyse(frame_id=kept.pk)

    lost.refresh_from_db()
    assert lost.analysed_at is not None and lost.error and lost.flags == []
    assert Frame.objects.get(pk=kept.pk).flags == ["many_faces"]


def waiting_frame(attempt, name: str) -> Frame:
    """A frame stored as frame_receive stores it, without queueing its analysis (committed
    at once in this test: an upload would run the eager task on commit)."""
    now = timezone.now()
    stored = Frame(attempt=attempt, taken_at=now, received_at=now)
    stored.raw.save("frame.jpg", ContentFile(frame(name)), save=False)
    stored.save()
    return stored


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SKIP LOCKED: PostgreSQL only")
def test_a_frame_held_by_another_batch_is_skipped_not_analysed_twice(proctored):
    held = waiting_frame(proctored.attempt, "one_face")
    free = waiting_frame(proctored.attempt, "two_faces")
    locked, release = threading.Event(), threading.Event()

    def other_batch():
        try:
            with transaction.atomic():
                Frame.objects.select_for_update().filter(pk=held.pk).get()
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_batch)
    thread.start()
    try:
        assert locked.wait(10)
        assert actions.frames_analyse(frame_id=held.pk) == []
        assert [f.pk for f in actions.frames_analyse()] == [free.pk]
    finally:
        release.set()
        thread.join()
    assert Frame.objects.get(pk=held.pk).analysed_at is None
    assert [f.pk for f in actions.frames_analyse(frame_id=held.pk)] == [held.pk]
