"""POST /proctoring/attempts/<id>/events/: a JSON list of page events of known kinds, stored
all or nothing, scored and published to the proctors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.testing import actions as testing_actions
from proctoring.models import PageEvent, ProctoredAttempt

pytestmark = pytest.mark.usefixtures("in_english")


def post(client, attempt, body):
    return client.post(
        reverse("proctoring:events", args=[attempt.pk]),
        data=body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
    )


def test_every_kind_is_stored_in_time_order_and_scored(client, cast, proctored):
    client.force_login(cast.student)
    now = timezone.now()
    kinds = ["tab_hidden", "window_blur", "fullscreen_exit", "copy", "paste", "second_screen"]
    body = [
        {"kind": kind, "at": (now - timedelta(seconds=60 - i)).isoformat(), "detail": "x"}
        for i, kind in enumerate(kinds)
    ]

    response = post(client, proctored.attempt, body)

    assert response.status_code == 201, response.content
    assert response.json()["stored"] == 6
    assert list(PageEvent.objects.values_list("kind", flat=True)) == kinds
    row = ProctoredAttempt.objects.get(attempt=proctored.attempt)
    assert row.event_count == 6 and row.suspicion > 0


def test_a_time_in_milliseconds_is_taken_and_an_implausible_one_replaced(client, cast, proctored):
    client.force_login(cast.student)
    now = timezone.now()
    ms = int((now - timedelta(seconds=30)).timestamp() * 1000)

    post(client, proctored.attempt, [{"kind": "copy", "at": ms}, {"kind": "paste", "at": 5}])

    copy, paste = PageEvent.objects.order_by("kind")
    assert abs((copy.at - (now - timedelta(seconds=30))).total_seconds()) < 1
    assert abs((paste.at - now).total_seconds()) < 60


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        {"kind": "copy"},
        [],
        [{"kind": "copy"}, {"kind": "screenshot"}],
        [{"kind": "copy", "detail": 5}],
        ["copy"],
        [{"kind": "copy"}] * 101,
    ],
)
def test_a_bad_list_is_refused_whole_with_its_reason(client, cast, proctored, body):
    client.force_login(cast.student)

    response = post(client, proctored.attempt, body)

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not PageEvent.objects.exists()


def test_an_unknown_kind_is_named_in_the_reason(client, cast, proctored):
    client.force_login(cast.student)

    response = post(client, proctored.attempt, [{"kind": "screenshot"}])

    assert response.json()["detail"] == "Unknown page event: screenshot."


def test_a_finished_attempt_takes_no_events_409(client, cast, proctored):
    testing_actions.attempt_submit(by=cast.student, attempt=proctored.attempt)
    client.force_login(cast.student)

    assert post(client, proctored.attempt, [{"kind": "copy"}]).status_code == 409


@pytest.mark.parametrize("member", ["other_student", "teacher"])
def test_only_the_attempts_student_sends_events(client, cast, proctored, member):
    client.force_login(getattr(cast, member))

    assert post(client, proctored.attempt, [{"kind": "copy"}]).status_code == 404
    assert not PageEvent.objects.exists()
