"""Fixtures of the online-class tests: a course of group A taught by cast.teacher, a lesson today,
and the two places the built-in media server runs (this process, or the media worker)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from academic.grades.models import Lesson
from realtime.classes import rooms
from realtime.classes.media.worker import MediaWorker
from tests.grades_objects import graded_course, plan_line

T = TypeVar("T")


@pytest.fixture
def fresh_rooms(settings):
    """This process's media providers made afresh from the test's settings, and dropped after."""
    settings.LIVEKIT_URL = settings.LIVEKIT_API_KEY = settings.LIVEKIT_API_SECRET = ""
    rooms.reset()
    yield
    rooms.reset()


@pytest.fixture
def lesson(cast, university, enrolled, term, fresh_rooms) -> Lesson:
    """Today's lesson of group A's course taught by cast.teacher (both cast students enrolled)."""
    line = plan_line(university.group_a, term, code="OC-1")
    course = graded_course(university.group_a, term, line, teacher=cast.teacher)
    return Lesson.objects.create(course=course, date=timezone.localdate(), topic="Live")


@dataclass(frozen=True)
class MediaMode:
    """Where the class consumer's media requests go: this process's rooms, or a media worker."""

    worker: bool

    def run(self, scenario: Callable[[], Awaitable[T]]) -> T:
        """Run `scenario` in an event loop of its own; in worker mode a media worker consumes the
        media channel in that loop for the scenario's length (its rooms end after)."""

        async def served() -> T:
            if not self.worker:
                return await scenario()
            worker = MediaWorker()
            worker.start()
            try:
                return await scenario()
            finally:
                await worker.stop()

        return async_to_sync(served)()


@pytest.fixture(params=["in-process", "worker"])
def media(request, settings, fresh_rooms) -> MediaMode:
    """Both modes of the built-in server (CLASSES_MEDIA_WORKER off and on), for the tests whose
    socket traffic goes through the media: the consumer must behave the same in each."""
    worker = request.param == "worker"
    settings.CLASSES_MEDIA_WORKER = worker
    settings.CLASSES_MEDIA_TIMEOUT = 10
    return MediaMode(worker=worker)
