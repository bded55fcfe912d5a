"""The journal's fixtures: today inside the term, lessons, a transfer, a channel layer to listen on.

The course of tests/academic/grades/conftest.py runs from 1 September 2026 to
31 January 2027; `today` pins the journal's clock to 16 November 2026 so the
window is open whatever day the suite runs (tests that close it move it on).
"""

from __future__ import annotations

import copy
from datetime import date

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from academic.grades.actions import journal as actions
from academic.grades.models import Checkpoint, Lesson, LessonKind
from academic.records import actions as records_actions
from academic.records.models import OrderKind

TODAY = date(2026, 11, 16)
TRANSFERRED_ON = date(2026, 10, 15)


class Clock:
    def __init__(self, monkeypatch) -> None:
        self.monkeypatch = monkeypatch
        self.set(TODAY)

    def set(self, on: date) -> None:
        self.monkeypatch.setattr(actions, "_today", lambda: on)
        self.monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: on)


@pytest.fixture
def today(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def module_1(course) -> Checkpoint:
    return course.checkpoints.get(order=1)


@pytest.fixture
def module_2(course) -> Checkpoint:
    return course.checkpoints.get(order=2)


@pytest.fixture
def final(course) -> Checkpoint:
    return course.checkpoints.get(order=3)


def make_lesson(course, on: date, *, checkpoint=None, max_score: int = 0, kind=LessonKind.PRACTICE):
    return Lesson.objects.create(
        course=course, date=on, kind=kind, checkpoint=checkpoint, max_score=max_score
    )


@pytest.fixture
def lesson(course, module_1) -> Lesson:
    """A practice of 1 October 2026 giving up to 10 points towards Module 1."""
    return make_lesson(course, date(2026, 10, 1), checkpoint=module_1, max_score=10)


@pytest.fixture
def late_lesson(course, module_1) -> Lesson:
    """A practice of 20 October 2026 (after the transfer) giving up to 10 points."""
    return make_lesson(course, date(2026, 10, 20), checkpoint=module_1, max_score=10)


def transfer(student, group, on: date = TRANSFERRED_ON) -> None:
    """Sign a transfer order moving `student` to `group` from `on`."""
    order = records_actions.order_create(
        by=None, kind=OrderKind.TRANSFER, number=f"T-{student.pk}", date=on, effective_date=on
    )
    records_actions.order_line_add(by=None, order=order, student=student, group=group)
    records_actions.order_sign(by=None, order=order, signer="Ректор А. Асанов")


@pytest.fixture
def layer(settings):
    """An in-memory channel layer of this test's own; `listen(group)` returns a receiver."""
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    layers["default"] = {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    settings.CHANNEL_LAYERS = layers
    return get_channel_layer()


class Listener:
    def __init__(self, layer, group: str) -> None:
        self.layer = layer
        self.channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(group, self.channel)

    def events(self) -> list[dict]:
        found = []
        while True:
            try:
                message = async_to_sync(self._receive)()
            except TimeoutError:
                return found
            found.append(message["event"])

    async def _receive(self):
        import asyncio

        return await asyncio.wait_for(self.layer.receive(self.channel), 0.05)


@pytest.fixture
def listen(layer):
    return lambda group: Listener(layer, group)
