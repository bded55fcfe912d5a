"""POST /proctoring/attempts/<id>/frame/: the student's own attempt in progress only; a
refused upload answers 4xx with its reason and stores nothing."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hub.testing import actions as testing_actions
from proctoring.analysis.frames import MAX_FRAME_BYTES
from proctoring.models import Frame
from tests.proctoring import frame

pytestmark = pytest.mark.usefixtures("in_english")


def url(attempt) -> str:
    return reverse("proctoring:frame", args=[attempt.pk])


def post_jpeg(client, attempt, body: bytes, **extra):
    return client.post(url(attempt), data=body, content_type="image/jpeg", **extra)


def test_the_student_uploads_a_frame_and_it_is_stored_for_analysis(client, cast, proctored):
    client.force_login(cast.student)

    response = post_jpeg(client, proctored.attempt, frame("one_face"))

    assert response.status_code == 201, response.content
    stored = Frame.objects.get(pk=response.json()["frame"])
    assert stored.attempt_id == proctored.attempt.pk
    assert stored.analysed_at is None and stored.raw
    assert stored.raw.read() == frame("one_face")
    assert response.json()["remaining"] > 0


def test_a_frame_may_come_as_a_multipart_field(client, cast, proctored):
    client.force_login(cast.student)
    upload = SimpleUploadedFile("f.jpg", frame("two_faces"), content_type="image/jpeg")

    response = client.post(url(proctored.attempt), {"frame": upload, "taken_at": "1"})

    assert response.status_code == 201
    assert Frame.objects.filter(attempt=proctored.attempt).count() == 1


def test_a_multipart_upload_without_the_field_is_refused_with_its_reason(client, cast, proctored):
    client.force_login(cast.student)

    response = client.post(url(proctored.attempt), {"other": "x"})

    assert response.status_code == 400
    assert "frame" in response.json()["detail"]


@pytest.mark.parametrize("member", ["other_student", "teacher", "admin"])
def test_nobody_but_the_attempts_student_uploads(client, cast, proctored, member):
    client.force_login(getattr(cast, member))

    assert post_jpeg(client, proctored.attempt, frame("one_face")).status_code == 404
    assert not Frame.objects.exists()


def test_a_file_that_is_not_a_jpeg_is_refused_with_400(client, cast, proctored):
    client.force_login(cast.student)

    response = post_jpeg(client, proctored.attempt, b"GIF89a not a frame")

    assert response.status_code == 400
    assert "320×240 JPEG" in response.json()["detail"]
    assert not Frame.objects.exists()


def test_a_jpeg_of_another_size_is_refused_with_400(client, cast, proctored):
    client.force_login(cast.student)
    _ok, big = cv2.imencode(".jpg", np.zeros((480, 640, 3), np.uint8))

    response = post_jpeg(client, proctored.attempt, big.tobytes())

    assert response.status_code == 400
    assert not Frame.objects.exists()


def test_an_oversize_upload_is_refused_with_413(client, cast, proctored):
    client.force_login(cast.student)
    huge = frame("one_face") + b"\0" * MAX_FRAME_BYTES

    response = post_jpeg(client, proctored.attempt, huge)

    assert response.status_code == 413
    assert response.json()["detail"]
    assert not Frame.objects.exists()


def test_a_finished_attempt_takes_no_more_frames_409(client, cast, proctored):
    testing_actions.attempt_submit(by=cast.student, attempt=proctored.attempt)
    client.force_login(cast.student)

    response = post_jpeg(client, proctored.attempt, frame("one_face"))

    assert response.status_code == 409
    assert response.json()["submitted"] is True
    assert not Frame.objects.exists()


def test_an_anonymous_upload_goes_to_the_login(client, proctored):
    response = post_jpeg(client, proctored.attempt, frame("one_face"))

    assert response.status_code == 302
    assert not Frame.objects.exists()


def test_a_get_is_not_an_upload(client, cast, proctored):
    client.force_login(cast.student)

    assert client.get(url(proctored.attempt)).status_code == 405


def test_an_upload_costs_the_same_few_queries_every_time(
    client, cast, proctored, django_assert_num_queries
):
    client.force_login(cast.student)
    post_jpeg(client, proctored.attempt, frame("one_face"))

    # The session, the user, the attempt (with its test and student), the frame's INSERT.
    with django_assert_num_queries(4):
        assert post_jpeg(client, proctored.attempt, frame("two_faces")).status_code == 201
    assert Frame.objects.filter(attempt=proctored.attempt).count() == 2
