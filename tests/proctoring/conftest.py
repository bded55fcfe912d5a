"""A proctored test of group A: cast.teacher's, the camera required, cast.other_teacher a
chosen proctor; cast.student's attempt in progress. Celery runs eagerly here: a task
queued after commit runs at once in the test's thread, through its real body."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.celery import app
from hub.testing import actions as testing_actions
from hub.testing.models import Attempt, Test
from proctoring import actions
from tests.conftest import enrol_cast
from tests.hub.testing.conftest import make_bank, make_test


@dataclass
class Proctored:
    test: Test
    attempt: Attempt


def proctored_test(cast, university, *, title: str = "Proctored quiz") -> Test:
    enrol_cast(cast, university)
    bank = make_bank(cast.teacher, title=title)
    test = make_test(cast.teacher, bank, group=university.group_a, title=title)
    actions.proctoring_settings_save(
        by=cast.teacher, test=test, requires_camera=True, frame_interval=5,
        proctors=[cast.other_teacher],
    )  # fmt: skip
    return test


@pytest.fixture
def proctored(cast, university) -> Proctored:
    test = proctored_test(cast, university)
    return Proctored(test, testing_actions.attempt_start(by=cast.student, test=test))


@pytest.fixture(autouse=True)
def _own_files(settings, tmp_path):
    """Frames and thumbnails of this test in a folder of its own."""
    settings.VAR_DIR = tmp_path


@pytest.fixture
def eager():
    """Celery tasks run at once where they are queued (after commit: capture the callbacks)."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)
