"""Repeated failed sign-ins lock the login (django-axes); the administrator lifts the lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from hub.accounts.actions import user_unlock
from hub.accounts.selectors import locks_current
from tests.conftest import PASSWORD

LIMIT = 10


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def sign_in(client: Client, username: str, password: str, **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        HTTP_ACCEPT_LANGUAGE="en",
        **headers,
    )


def fail(client: Client, username: str, times: int) -> None:
    for _i in range(times):
        sign_in(client, username, "wrong-password-1")


def test_nine_failures_do_not_lock_the_login(client, cast):
    fail(client, "student", LIMIT - 1)

    response = sign_in(client, "student", PASSWORD)

    assert response.status_code == 302
    assert locks_current() == []


def test_ten_failures_lock_the_login_even_with_the_right_password(client, cast):
    fail(client, "student", LIMIT)

    response = sign_in(client, "student", PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "This account is locked after 10 failed sign-in attempts." in page
    assert "Try again in 30 minutes" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_login_whatever_the_address(client, cast):
    fail(client, "student", LIMIT)

    response = sign_in(Client(), "student", PASSWORD, REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 429


def test_the_lock_leaves_other_logins_from_the_same_address_alone(client, cast):
    fail(client, "student", LIMIT)

    response = sign_in(client, "teacher", PASSWORD)

    assert response.status_code == 302


def test_the_lockout_page_is_translated(client, cast):
    fail(client, "student", LIMIT)

    response = client.post(
        reverse("login"),
        {"username": "student", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    assert response.status_code == 429
    assert 'lang="ru"' in response.content.decode()


def test_a_success_before_the_limit_starts_the_count_again(client, cast):
    fail(client, "student", LIMIT - 1)
    assert sign_in(client, "student", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    fail(client, "student", LIMIT - 1)

    assert sign_in(client, "student", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off_time(client, cast, settings):
    fail(client, "student", LIMIT)

    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)

    assert sign_in(client, "student", PASSWORD).status_code == 302


def test_the_administrator_sees_the_lock_and_lifts_it(client, cast):
    fail(client, "student", LIMIT)
    admin = Client()
    admin.force_login(cast.admin)

    locks_page = admin.get(reverse("accounts-locks"), HTTP_ACCEPT_LANGUAGE="en")
    assert locks_page.status_code == 200
    assert "student" in locks_page.content.decode()
    assert [lock.username for lock in locks_current()] == ["student"]

    unlock_url = reverse("accounts-user-unlock", args=[cast.student.pk])
    confirm = admin.get(unlock_url, HTTP_ACCEPT_LANGUAGE="en")
    assert confirm.status_code == 200
    assert locks_current() != []  # a GET only asks for confirmation
    assert admin.post(unlock_url).status_code == 302

    assert locks_current() == []
    assert sign_in(client, "student", PASSWORD).status_code == 302


def test_unlocking_forgets_only_that_login(cast, client):
    fail(client, "student", LIMIT)
    fail(client, "teacher", LIMIT)

    removed = user_unlock(by=cast.admin, username="student")

    assert removed >= 1
    assert [lock.username for lock in locks_current()] == ["teacher"]


def test_api_token_failures_count_and_a_locked_login_gets_no_token(client, cast):
    url = "/api/v1/auth/token/"
    answers = [
        client.post(url, {"username": "student", "password": "wrong-password-1"}).status_code
        for _i in range(LIMIT)
    ]
    assert answers == [400] * (LIMIT - 1) + [429]  # the tenth failure locks

    response = client.post(
        url, {"username": "student", "password": PASSWORD}, headers={"accept-language": "en"}
    )

    assert response.status_code == 429
    assert "locked" in response.json()["detail"]
    assert sign_in(client, "student", PASSWORD).status_code == 429
