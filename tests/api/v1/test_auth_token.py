from django.test import Client
from rest_framework.authtoken.models import Token

from tests.conftest import PASSWORD

URL = "/api/v1/auth/token/"


def test_right_credentials_return_the_users_token(client, cast):
    response = client.post(URL, {"username": "student", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=cast.student).key}


def test_asking_again_returns_the_same_token(client, cast):
    first = client.post(URL, {"username": "teacher", "password": PASSWORD}).json()
    second = client.post(URL, {"username": "teacher", "password": PASSWORD}).json()

    assert first == second
    assert Token.objects.filter(user=cast.teacher).count() == 1


def test_the_token_opens_the_api(client, cast):
    key = client.post(URL, {"username": "curator", "password": PASSWORD}).json()["token"]

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert response.json()["username"] == "curator"


def test_wrong_password_is_a_400_with_a_reason(client, cast):
    response = client.post(URL, {"username": "student", "password": "not-the-password"})

    assert response.status_code == 400
    assert response.json()["detail"] == "Unable to sign in with this username and password."
    assert not Token.objects.exists()


def test_unknown_user_gets_the_same_reason_as_a_wrong_password(client, cast):
    response = client.post(URL, {"username": "nobody", "password": PASSWORD})

    assert response.status_code == 400
    assert response.json()["detail"] == "Unable to sign in with this username and password."


def test_inactive_user_gets_no_token(client, cast):
    cast.parent.is_active = False
    cast.parent.save(update_fields=["is_active"])

    response = client.post(URL, {"username": "parent", "password": PASSWORD})

    assert response.status_code == 400
    assert not Token.objects.filter(user=cast.parent).exists()


def test_missing_password_is_a_400_naming_the_field(client, cast):
    response = client.post(URL, {"username": "student"})

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "password: This field is required."
    assert body["errors"] == {"password": ["This field is required."]}


def test_reason_is_in_the_language_the_client_asks_for(client, cast):
    response = client.post(URL, {"username": "student"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 400
    assert response.json()["detail"] == "password: Обязательное поле."


def test_a_signed_in_browser_needs_no_csrf_token_to_get_one(cast):
    browser = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    browser.force_login(cast.student)

    response = browser.post(URL, {"username": "student", "password": PASSWORD})

    assert response.status_code == 200


def test_only_post_is_allowed(client, cast):
    response = client.get(URL)

    assert response.status_code == 405
    assert "detail" in response.json()
