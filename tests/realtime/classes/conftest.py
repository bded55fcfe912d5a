"""Fixtures of the online-class tests: a course of group A taught by cast.teacher, a lesson today."""

from __future__ import annotations

import pytest
from django.utils import timezone

from academic.grades.models import Lesson
from realtime.classes import rooms
from tests.grades_objects import graded_course, plan_line


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
