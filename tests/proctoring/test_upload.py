"""POST /proctoring/attempts/<id>/frame/: the student's own attempt in progress only; a
refused upload answers 4xx with its reason and stores nothing. Through the real ASGI
application (hub.asgi): a bare JPEG takes the lean path of proctoring.upload, the rest
Django's view; both with CSRF enforced."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from hub.testing import actions as testing_actions
from hub.testing.models import Attempt, AttemptStatus
from proctoring.analysis.frames import MAX_FRAME_BYTES
from proctoring.models import Frame
from tests.asgi import AsgiClient
from tests.conftest import session_queries
from tests.proctoring import frame

pytestmark = pytest.mark.usefixtures("in_english")


def url(attempt) -> str:
    return reverse("proctoring:frame", args=[attempt.pk])


def post_jpeg(asgi: AsgiClient, attempt, body: bytes, **extra):
    return asgi.post(url(attempt), body, **extra)


@pytest.fixture
def signed_in(client, cast):
    """An ASGI client signed in as `cast.<member>`."""
    return lambda member="student": AsgiClient().login(client, getattr(cast, member))


def test_the_student_uploads_a_frame_and_it_is_stored_for_analysis(signed_in, proctored):
    response = post_jpeg(signed_in(), proctored.attempt, frame("one_face"))

    assert response.status_code == 201, response.content
    assert response.headers["content-type"] == "application/json"
    stored = Frame.objects.get(pk=response.json()["frame"])
    assert stored.attempt_id == proctored.attempt.pk
    assert stored.analysed_at is None and stored.raw
    assert stored.raw.read() == frame("one_face")
    assert response.json()["remaining"] > 0


def test_a_frame_may_come_as_a_multipart_field(signed_in, proctored):
    upload = {"frame": ("f.jpg", frame("two_faces"), "image/jpeg")}

    response = signed_in().post(url(proctored.attempt), files=upload, data={"taken_at": "1"})

    assert response.status_code == 201
    assert Frame.objects.filter(attempt=proctored.attempt).count() == 1


def test_a_multipart_upload_without_the_field_is_refused_with_its_reason(signed_in, proctored):
    response = signed_in().post(url(proctored.attempt), files={"other": ("x", b"x")})

    assert response.status_code == 400
    assert "frame" in response.json()["detail"]


@pytest.mark.parametrize("member", ["other_student", "teacher", "admin"])
def test_nobody_but_the_attempts_student_uploads(signed_in, proctored, member):
    assert post_jpeg(signed_in(member), proctored.attempt, frame("one_face")).status_code == 404
    assert not Frame.objects.exists()


def test_a_file_that_is_not_a_jpeg_is_refused_with_400(signed_in, proctored):
    asgi = signed_in()

    response = post_jpeg(asgi, proctored.attempt, b"GIF89a not a frame")

    assert response.status_code == 400
    assert "320×240 JPEG" in response.json()["detail"]
    assert not Frame.objects.exists()


def test_a_jpeg_of_another_size_is_refused_with_400(signed_in, proctored):
    asgi = signed_in()
    _ok, big = cv2.imencode(".jpg", np.zeros((480, 640, 3), np.uint8))

    response = post_jpeg(asgi, proctored.attempt, big.tobytes())

    assert response.status_code == 400
    assert not Frame.objects.exists()


def test_an_oversize_upload_is_refused_with_413(signed_in, proctored):
    asgi = signed_in()
    huge = frame("one_face") + b"\0" * MAX_FRAME_BYTES

    response = post_jpeg(asgi, proctored.attempt, huge)

    assert response.status_code == 413
    assert response.json()["detail"]
    assert not Frame.objects.exists()


def test_a_finished_attempt_takes_no_more_frames_409(signed_in, cast, proctored):
    testing_actions.attempt_submit(by=cast.student, attempt=proctored.attempt)

    response = post_jpeg(signed_in(), proctored.attempt, frame("one_face"))

    assert response.status_code == 409
    assert response.json()["submitted"] is True
    assert not Frame.objects.exists()


def test_an_anonymous_upload_goes_to_the_login(proctored):
    response = post_jpeg(AsgiClient(), proctored.attempt, frame("one_face"))

    assert response.status_code == 302
    assert not Frame.objects.exists()


def test_a_get_is_not_an_upload(signed_in, proctored):
    assert signed_in().get(url(proctored.attempt)).status_code == 405


def test_an_upload_costs_the_same_few_queries_every_time(
    signed_in, proctored, django_assert_num_queries
):
    asgi = signed_in()
    post_jpeg(asgi, proctored.attempt, frame("one_face"))

    # (The session,) the attempt with its student's user, the frame's INSERT.
    with django_assert_num_queries(2 + session_queries()):
        assert post_jpeg(asgi, proctored.attempt, frame("two_faces")).status_code == 201
    assert Frame.objects.filter(attempt=proctored.attempt).count() == 2


def test_an_upload_without_the_csrf_token_is_refused_403(signed_in, proctored):
    asgi = signed_in()

    response = post_jpeg(asgi, proctored.attempt, frame("one_face"), headers={"X-CSRFToken": ""})

    assert response.status_code == 403
    assert not Frame.objects.exists()


def test_an_upload_with_another_csrf_token_is_refused_403(signed_in, proctored):
    asgi = signed_in()
    other = "0" * 32

    response = post_jpeg(asgi, proctored.attempt, frame("one_face"), headers={"X-CSRFToken": other})

    assert response.status_code == 403
    assert not Frame.objects.exists()


def test_an_upload_from_another_site_is_refused_403(signed_in, proctored):
    asgi = signed_in()

    response = post_jpeg(
        asgi, proctored.attempt, frame("one_face"), headers={"Origin": "https://evil.example"}
    )

    assert response.status_code == 403
    assert not Frame.objects.exists()


def test_an_upload_from_the_sites_own_page_is_taken(signed_in, proctored):
    asgi = signed_in()

    response = post_jpeg(
        asgi, proctored.attempt, frame("one_face"), headers={"Origin": "http://testserver"}
    )

    assert response.status_code == 201


def test_an_upload_to_an_unknown_host_is_refused_400(signed_in, proctored):
    asgi = signed_in()

    response = post_jpeg(
        asgi, proctored.attempt, frame("one_face"), headers={"Host": "evil.example"}
    )

    assert response.status_code == 400
    assert not Frame.objects.exists()


def test_a_session_that_was_ended_uploads_nothing(client, signed_in, proctored):
    asgi = signed_in()
    client.logout()

    response = post_jpeg(asgi, proctored.attempt, frame("one_face"))

    assert response.status_code == 302
    assert not Frame.objects.exists()


def test_a_changed_password_ends_the_sessions_uploads(signed_in, cast, proctored):
    asgi = signed_in()
    cast.student.set_password("another-Password-1")
    cast.student.save()

    response = post_jpeg(asgi, proctored.attempt, frame("one_face"))

    assert response.status_code == 302
    assert not Frame.objects.exists()


def test_a_refusal_speaks_the_users_language(signed_in, cast, proctored):
    cast.student.language = "ru"
    cast.student.save(update_fields=["language"])
    testing_actions.attempt_submit(by=cast.student, attempt=proctored.attempt)

    response = post_jpeg(signed_in(), proctored.attempt, frame("one_face"))

    assert response.status_code == 409
    with translation.override("ru"):
        expected = translation.gettext("This attempt is finished: nothing more is received for it.")
    assert response.json()["detail"] == expected
    assert expected != "This attempt is finished: nothing more is received for it."


def test_a_frame_sent_in_several_parts_is_stored_whole(signed_in, proctored):
    jpeg = frame("one_face")

    async def parts():
        for start in range(0, len(jpeg), 1000):
            yield jpeg[start : start + 1000]

    asgi = signed_in()
    response = asgi.request(
        "POST",
        url(proctored.attempt),
        content=parts(),
        headers={"Content-Type": "image/jpeg", "X-CSRFToken": asgi.csrf},
    )

    assert response.status_code == 201, response.content
    assert Frame.objects.get(pk=response.json()["frame"]).raw.read() == jpeg


def test_a_body_just_over_a_frames_size_is_refused_with_413(signed_in, proctored):
    just_over = frame("one_face") + b"\0" * (MAX_FRAME_BYTES - len(frame("one_face")) + 1)

    response = post_jpeg(signed_in(), proctored.attempt, just_over)

    assert response.status_code == 413
    assert not Frame.objects.exists()


def test_an_attempt_whose_time_is_up_is_submitted_and_takes_no_frame_409(signed_in, proctored):
    Attempt.objects.filter(pk=proctored.attempt.pk).update(deadline=timezone.now())

    response = post_jpeg(signed_in(), proctored.attempt, frame("one_face"))

    assert response.status_code == 409
    assert Attempt.objects.get(pk=proctored.attempt.pk).status == AttemptStatus.SUBMITTED
    assert not Frame.objects.exists()


def test_a_deactivated_users_session_uploads_nothing(signed_in, cast, proctored):
    asgi = signed_in()
    cast.student.is_active = False
    cast.student.save(update_fields=["is_active"])

    response = post_jpeg(asgi, proctored.attempt, frame("one_face"))

    assert response.status_code == 302
    assert not Frame.objects.exists()


def test_a_user_who_must_change_the_password_is_sent_to_change_it(signed_in, cast, proctored):
    asgi = signed_in()
    cast.student.must_change_password = True
    cast.student.save(update_fields=["must_change_password"])

    response = post_jpeg(asgi, proctored.attempt, frame("one_face"))

    assert response.status_code == 302
    assert reverse("password-change") in response.headers["location"]
    assert not Frame.objects.exists()
