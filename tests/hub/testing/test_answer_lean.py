"""An answer save through the real ASGI application (hub.asgi): the plain save takes the
lean path (hub.testing.lean) and answers as the Django view does; every other case is
Django's, unchanged: refusals, CSRF, ended sessions, a body beyond the lean bound."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse
from django.utils import timezone, translation
from psycopg_pool import PoolTimeout

from hub.lean import _send_failure
from hub.testing.lean import MAX_ANSWER_BYTES
from hub.testing.models import Answer, Attempt, AttemptStatus
from tests.asgi import AsgiClient
from tests.conftest import session_queries
from tests.hub.testing.test_views import started

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def attempt(client, cast, setup) -> Attempt:
    return started(client, cast, setup)


@pytest.fixture
def signed_in(client, cast):
    """An ASGI client signed in as `cast.<member>`."""
    return lambda member="student": AsgiClient().login(client, getattr(cast, member))


def save(asgi: AsgiClient, attempt, question, response, version, **extra):
    """POSTs the save as the attempt page does; `extra` fields ride along in the JSON."""
    sent = {"question": question.pk, "response": response, "version": version} | extra
    return asgi.post(
        reverse("testing:answer", args=[attempt.pk]),
        json.dumps(sent).encode(),
        content_type="application/json",
    )


def test_a_save_is_stored_and_acknowledged_with_its_version(signed_in, setup, attempt):
    asgi = signed_in()
    question = setup.question("round")

    first = save(asgi, attempt, question, {"value": True}, 1)
    resent = save(asgi, attempt, question, {"value": False}, 1)
    newer = save(asgi, attempt, question, {"value": False}, 2)

    assert first.status_code == resent.status_code == newer.status_code == 200
    assert first.headers["content-type"] == "application/json"
    assert first.headers["content-language"] == "en"
    assert first.json()["question"] == question.pk
    assert first.json()["version"] == resent.json()["version"] == 1
    assert 0 < first.json()["remaining"] <= 30 * 60
    stored = Answer.objects.get(attempt=attempt)
    assert (stored.response, stored.version) == ({"value": False}, 2)


def test_a_save_costs_fewer_statements_than_through_django(
    signed_in, setup, attempt, django_assert_num_queries
):
    asgi = signed_in()
    question = setup.question("round")

    # (The session;) the attempt with its student's user (Django reads the user apart);
    # then the attempt locked and read with the question's kind and the stored answer,
    # and the answer written, inside a savepoint of the test's transaction.
    with django_assert_num_queries(5 + session_queries()):
        assert save(asgi, attempt, question, {"value": True}, 1).status_code == 200
    with django_assert_num_queries(5 + session_queries()):
        assert save(asgi, attempt, question, {"value": False}, 2).status_code == 200


def test_a_malformed_save_is_refused_in_the_students_language(signed_in, cast, setup, attempt):
    cast.student.language = "ky"
    cast.student.save(update_fields=["language"])

    response = save(signed_in(), attempt, setup.question("round"), {"value": "maybe"}, 1)

    assert response.status_code == 400
    assert response.headers["content-language"] == "ky"
    with translation.override("ky"):
        expected = translation.gettext("This answer is not understood.")
    assert response.json()["detail"] == expected != "This answer is not understood."
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_a_body_that_is_not_json_is_refused_400(signed_in, attempt):
    asgi = signed_in()

    response = asgi.post(
        reverse("testing:answer", args=[attempt.pk]), b"{not json", content_type="application/json"
    )

    assert response.status_code == 400 and "not understood" in response.json()["detail"]


def test_a_save_after_the_deadline_submits_the_attempt_409(signed_in, setup, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))

    response = save(signed_in(), attempt, setup.question("round"), {"value": True}, 1)

    assert response.status_code == 409 and response.json()["submitted"] is True
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.SUBMITTED
    assert not Answer.objects.filter(attempt=attempt).exists()


@pytest.mark.parametrize("member", ["other_student", "teacher", "admin"])
def test_nobody_but_the_attempts_student_saves_404(signed_in, setup, attempt, member):
    response = save(signed_in(member), attempt, setup.question("round"), {"value": True}, 1)

    assert response.status_code == 404
    assert not Answer.objects.filter(attempt=attempt).exists()


@pytest.mark.parametrize(
    "headers",
    [{"X-CSRFToken": ""}, {"X-CSRFToken": "0" * 32}, {"Origin": "https://evil.example"}],
    ids=["no token", "another token", "another site"],
)
def test_a_save_failing_the_csrf_check_is_refused_403(signed_in, setup, attempt, headers):
    sent = {"question": setup.question("round").pk, "response": {"value": True}, "version": 1}

    response = signed_in().post(
        reverse("testing:answer", args=[attempt.pk]),
        json.dumps(sent).encode(),
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 403
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_an_anonymous_save_goes_to_the_login(setup, attempt):
    response = save(AsgiClient(), attempt, setup.question("round"), {"value": True}, 1)

    assert response.status_code == 302
    assert reverse("login") in response.headers["location"]
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_a_changed_password_ends_the_sessions_saves(signed_in, cast, setup, attempt):
    asgi = signed_in()
    cast.student.set_password("another-Password-1")
    cast.student.save()

    response = save(asgi, attempt, setup.question("round"), {"value": True}, 1)

    assert response.status_code == 302
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_a_user_who_must_change_the_password_is_sent_to_change_it(signed_in, cast, setup, attempt):
    asgi = signed_in()
    cast.student.must_change_password = True
    cast.student.save(update_fields=["must_change_password"])

    response = save(asgi, attempt, setup.question("round"), {"value": True}, 1)

    assert response.status_code == 302
    assert reverse("password-change") in response.headers["location"]
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_a_body_beyond_the_lean_bound_is_answered_by_django_the_same(signed_in, setup, attempt):
    padding = "ү" * MAX_ANSWER_BYTES  # two bytes each: twice the bound

    response = save(signed_in(), attempt, setup.question("round"), {"value": True}, 1, pad=padding)

    assert response.status_code == 200 and response.json()["version"] == 1
    assert Answer.objects.get(attempt=attempt).response == {"value": True}


@pytest.mark.parametrize(
    ("error", "status"),
    [(PoolTimeout("couldn't get a connection after 10.00 sec"), 503), (RuntimeError("bug"), 500)],
    ids=["overloaded", "a bug"],
)
def test_a_failure_on_the_lean_path_answers_as_django_would(error, status):
    sent = []

    async def send(message):
        sent.append(message)

    with translation.override("ru"):
        async_to_sync(_send_failure)(send, {"path": "/testing/attempts/1/answer/"}, error)

    start, body = sent
    headers = dict(start["headers"])
    assert start["status"] == status
    assert (headers.get(b"retry-after") == b"5") is (status == 503)
    assert headers[b"content-language"] == b"ru"
    detail = json.loads(body["body"])["detail"]
    assert detail and "Traceback" not in detail and "bug" not in detail


def test_the_lean_read_builds_the_user_and_attempt_the_orm_builds(client, cast, attempt):
    """access_own_attempt_of_session reads with one compiled statement (hub.compiled) and
    builds the user and attempt by hand: the same values and the same deferred fields as
    the ORM's .only() (a field not read is still there when used, read then)."""
    from django.contrib.sessions.backends.base import SessionBase

    from hub.lean import SESSION_USER_FIELDS
    from hub.testing.permissions import ANSWER_FIELDS, access_own_attempt_of_session
    from proctoring.permissions import FRAME_FIELDS

    client.force_login(cast.student)
    session = client.session
    assert isinstance(session, SessionBase)
    for fields in (ANSWER_FIELDS, FRAME_FIELDS):
        user, lean = access_own_attempt_of_session(session, attempt.pk, fields)
        orm = (
            Attempt.objects.select_related("student__user")
            .only(*fields, *(f"student__user__{f}" for f in SESSION_USER_FIELDS))
            .get(pk=attempt.pk)
        )
        assert user == cast.student and lean == attempt and lean.student.user is user
        assert lean.get_deferred_fields() == orm.get_deferred_fields()
        assert user.get_deferred_fields() == orm.student.user.get_deferred_fields()
        for field in fields:
            assert getattr(lean, field) == getattr(orm, field)
        for field in SESSION_USER_FIELDS:
            assert getattr(user, field) == getattr(orm.student.user, field)
        assert lean.number == attempt.number  # deferred: read when used
    client.force_login(cast.other_student)
    assert access_own_attempt_of_session(client.session, attempt.pk, ANSWER_FIELDS) is None
