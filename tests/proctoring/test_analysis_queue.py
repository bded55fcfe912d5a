"""Queuing the analysis: one task for the frames stored while none is pending (a mark in the
shared cache), the task analysing every frame waiting batch after batch, and a worker that
starts picking up the frames left waiting. Through the real Celery task (eager)."""

from __future__ import annotations

import time

import pytest
from celery.signals import worker_ready

from proctoring import actions
from proctoring.models import Frame
from proctoring.tasks import analyse
from tests.proctoring import frame

pytestmark = pytest.mark.usefixtures("in_english", "eager")

shared_cache_only = pytest.mark.skipif(
    actions._shared_cache() is None, reason="the pending mark needs a shared cache (Redis)"
)


@pytest.fixture(autouse=True)
def _no_pending_mark():
    actions.analysis_pending_clear()
    yield
    actions.analysis_pending_clear()


@pytest.fixture
def store(cast, proctored, django_capture_on_commit_callbacks):
    """Store a frame of cast.student's attempt; its after-commit queuing run (`queue`)."""
    start = time.time()

    def send(name: str, at: float = 0.0, *, queue: bool = True) -> Frame:
        def receive():
            return actions.frame_receive(
                by=cast.student,
                attempt=proctored.attempt,
                jpeg=frame(name),
                taken_at=int((start + at) * 1000),
            )

        if not queue:
            return receive()
        with django_capture_on_commit_callbacks(execute=True):
            stored = receive()
        return stored

    return send


def waiting() -> list[int]:
    return list(Frame.objects.filter(analysed_at__isnull=True).values_list("pk", flat=True))


@shared_cache_only
def test_a_frame_stored_while_a_task_is_pending_waits_for_that_task(store):
    # A task queued and not started yet: its mark is in the shared cache.
    assert actions._analysis_pending_mark()

    held = store("one_face")

    assert waiting() == [held.pk]
    analyse.delay()
    assert waiting() == []


@shared_cache_only
def test_once_the_task_started_the_next_frame_queues_its_own(store):
    assert actions._analysis_pending_mark()
    analyse.delay()

    later = store("two_faces")

    assert waiting() == []
    assert Frame.objects.get(pk=later.pk).flags == ["many_faces"]


@shared_cache_only
def test_the_mark_of_a_lost_task_expires(store):
    assert actions._analysis_pending_mark()
    assert not actions._analysis_pending_mark()

    time.sleep(actions.ANALYSIS_PENDING_SECONDS + 0.2)

    assert actions._analysis_pending_mark()


def test_every_frame_stored_is_analysed_once(store):
    stored = [store(name, at) for at, name in enumerate(("one_face", "dark", "two_faces"))]

    analysed = dict(Frame.objects.values_list("pk", "flags"))
    assert analysed == {stored[0].pk: [], stored[1].pk: ["dark"], stored[2].pk: ["many_faces"]}
    assert waiting() == []


def test_the_task_analyses_batch_after_batch_while_frames_wait(store):
    stored = [store("one_face", at, queue=False) for at in range(5)]
    assert sorted(waiting()) == [f.pk for f in stored]

    assert actions.frames_analyse_waiting(batch=2) == 5

    assert waiting() == []


def test_a_task_queued_for_one_frame_that_is_done_ends(store):
    done = store("one_face")
    left = store("two_faces", 1, queue=False)

    assert actions.frames_analyse_waiting(frame_id=done.pk) == 0
    assert waiting() == [left.pk]


def test_a_worker_that_starts_picks_up_the_frames_left_waiting(
    store, django_capture_on_commit_callbacks
):
    # Stored while no worker ran: their tasks are gone.
    left = [store("one_face", at, queue=False) for at in range(2)]
    assert sorted(waiting()) == [f.pk for f in left]

    with django_capture_on_commit_callbacks(execute=True):
        worker_ready.send(sender=None)

    assert waiting() == []


def test_a_worker_that_starts_with_nothing_waiting_queues_nothing(store):
    store("one_face")

    assert not actions.analysis_queue_if_waiting()
