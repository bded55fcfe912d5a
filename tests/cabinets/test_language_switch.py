"""The language switcher: a cookie for visitors, the account for users."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse


def test_anonymous_choice_is_kept_in_the_cookie(client, db):
    response = client.post(reverse("language"), {"language": "ru", "next": "/login/"})

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    page = client.get("/login/").content.decode()
    assert 'lang="ru"' in page
    assert "Войти в eBilim" in page


def test_signed_in_choice_is_saved_on_the_account(client, cast):
    client.force_login(cast.student)

    response = client.post(reverse("language"), {"language": "ky", "next": "/cabinet/student/"})

    assert response.status_code == 302
    cast.student.refresh_from_db()
    assert cast.student.language == "ky"
    page = client.get("/cabinet/student/").content.decode()
    assert 'lang="ky"' in page
    assert "Студенттин кабинети" in page


def test_saved_choice_follows_the_user_to_another_browser(cast):
    first, second = Client(), Client()
    first.force_login(cast.teacher)
    first.post(reverse("language"), {"language": "ru"})

    second.force_login(cast.teacher)
    page = second.get("/cabinet/teacher/").content.decode()

    assert 'lang="ru"' in page


def test_unknown_language_is_refused_with_a_translated_reason(client, cast):
    client.force_login(cast.student)

    response = client.post(reverse("language"), {"language": "de"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 400
    # The user's saved language (English) wins over the browser's.
    assert response.content.decode() == "This language is not available."
    cast.student.refresh_from_db()
    assert cast.student.language == "en"


def test_unknown_language_reason_is_in_the_visitors_language(client, db):
    response = client.post(reverse("language"), {"language": "xx"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 400
    assert response.content.decode() == "Этот язык недоступен."
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_missing_language_is_refused(client, db):
    assert client.post(reverse("language"), {}).status_code == 400


def test_it_only_allows_post(client, db):
    assert client.get(reverse("language"), {"language": "ru"}).status_code == 405


def test_it_requires_the_csrf_token(db):
    csrf_client = Client(enforce_csrf_checks=True)

    response = csrf_client.post(reverse("language"), {"language": "ru"})

    assert response.status_code == 403


def test_it_never_redirects_to_another_site(client, db):
    response = client.post(
        reverse("language"), {"language": "en", "next": "https://evil.example/phish"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
