import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

URL = "/api/v1/me/"


def test_every_cast_member_gets_only_their_own_profile_by_token(client, cast):
    for name, user in cast.members().items():
        key = Token.objects.create(user=user).key

        response = client.get(URL, HTTP_AUTHORIZATION=f"Token {key}")

        assert response.status_code == 200, name
        body = response.json()
        assert body["username"] == user.username
        assert body["cabinet"] == user.cabinet
        assert body["full_name"] == user.get_full_name()


def test_every_cast_member_gets_only_their_own_profile_by_session(cast):
    for name, user in cast.members().items():
        browser = Client()
        browser.force_login(user)

        response = browser.get(URL)

        assert response.status_code == 200, name
        assert response.json()["username"] == user.username


def test_profile_carries_cyrillic_and_latin_names_and_contacts(client, cast):
    cast.student.phone = "+996555123456"
    cast.student.email = "asanov@example.kg"
    cast.student.save()
    key = Token.objects.create(user=cast.student).key

    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.json() == {
        "username": "student",
        "full_name": "Асанов Бакыт",
        "full_name_latin": "Asanov Bakyt",
        "language": "en",
        "cabinet": "student",
        "phone": "+996555123456",
        "email": "asanov@example.kg",
    }


@pytest.mark.django_db
def test_anonymous_is_refused_with_401(client):
    response = client.get(URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.django_db
def test_unknown_token_is_refused_with_401(client):
    response = client.get(URL, HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


@pytest.mark.django_db
def test_anonymous_refusal_is_in_the_language_the_client_asks_for(client):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 401
    assert response.json()["detail"] == "Учетные данные не были предоставлены."


def test_token_of_a_deactivated_user_is_refused(client, cast):
    key = Token.objects.create(user=cast.other_student).key
    cast.other_student.is_active = False
    cast.other_student.save(update_fields=["is_active"])

    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401
