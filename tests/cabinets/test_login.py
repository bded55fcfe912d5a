"""Signing in and out through our own templates."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import PASSWORD


def test_login_page_shows_our_form(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in to eBilim" in page
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert 'autocomplete="current-password"' in page


def test_login_leads_to_the_users_own_cabinet(client, cast):
    response = client.post(
        reverse("login"), {"username": "teacher", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain == [("/", 302), ("/cabinet/teacher/", 302)]
    assert response.status_code == 200
    assert "Teacher cabinet" in response.content.decode()


def test_login_keeps_the_next_page(client, cast):
    response = client.post(
        reverse("login") + "?next=/cabinet/student/",
        {"username": "student", "password": PASSWORD, "next": "/cabinet/student/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/cabinet/student/"


def test_wrong_password_is_refused_with_a_translated_message(client, cast):
    response = client.post(
        reverse("login"),
        {"username": "student", "password": "wrong-password"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    assert response.status_code == 200
    assert "Неверный логин или пароль" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signed_in_user_opening_login_goes_to_the_cabinet(client, cast):
    client.force_login(cast.parent)

    response = client.get(reverse("login"))

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logout_signs_out_on_post(client, cast):
    client.force_login(cast.student)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_logout_is_not_done_by_a_get(client, cast):
    client.force_login(cast.student)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in client.session
