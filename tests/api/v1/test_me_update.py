import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

URL = "/api/v1/me/"


@pytest.fixture
def patch_as(client):
    def patch(user, data, **headers):
        key = Token.objects.get_or_create(user=user)[0].key
        return client.patch(
            URL,
            data=data,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {key}",
            **headers,
        )

    return patch


def test_language_and_phone_are_changed(cast, patch_as):
    response = patch_as(cast.student, {"language": "ky", "phone": "+996 (555) 12-34-56"})

    assert response.status_code == 200
    assert response.json()["language"] == "ky"
    assert response.json()["phone"] == "+996555123456"
    cast.student.refresh_from_db()
    assert (cast.student.language, cast.student.phone) == ("ky", "+996555123456")


def test_one_field_alone_leaves_the_other_unchanged(cast, patch_as):
    cast.teacher.phone = "+996700000001"
    cast.teacher.save()

    response = patch_as(cast.teacher, {"language": "ru"})

    assert response.status_code == 200
    cast.teacher.refresh_from_db()
    assert (cast.teacher.language, cast.teacher.phone) == ("ru", "+996700000001")


def test_phone_can_be_cleared(cast, patch_as):
    cast.curator.phone = "+996700000002"
    cast.curator.save()

    response = patch_as(cast.curator, {"phone": ""})

    assert response.status_code == 200
    cast.curator.refresh_from_db()
    assert cast.curator.phone == ""


def test_changing_one_user_leaves_the_others_alone(cast, patch_as):
    patch_as(cast.student, {"language": "ru"})

    cast.other_student.refresh_from_db()
    assert cast.other_student.language == "en"


def test_unknown_language_is_a_400_with_a_reason(cast, patch_as):
    response = patch_as(cast.student, {"language": "de"})

    assert response.status_code == 400
    assert response.json()["detail"] == 'language: "de" is not a valid choice.'
    cast.student.refresh_from_db()
    assert cast.student.language == "en"


def test_reason_is_in_the_users_own_language(cast, patch_as):
    cast.deanery_a.language = "ru"
    cast.deanery_a.save()

    response = patch_as(cast.deanery_a, {"language": "de"})

    assert response.status_code == 400
    assert response.json()["detail"] == "language: Значения de нет среди допустимых вариантов."


@pytest.mark.parametrize("phone", ["12345", "+996 555 abc 456", "+" + "9" * 16, "0" * 40])
def test_malformed_phone_is_a_400_with_a_reason(cast, patch_as, phone):
    response = patch_as(cast.student, {"phone": phone})

    assert response.status_code == 400
    assert response.json()["detail"].startswith("phone: ")
    cast.student.refresh_from_db()
    assert cast.student.phone == ""


@pytest.mark.parametrize("field", ["username", "cabinet", "is_staff", "email"])
def test_other_fields_cannot_be_changed(cast, patch_as, field):
    response = patch_as(cast.student, {"language": "ru", field: "admin"})

    assert response.status_code == 400
    assert field in response.json()["detail"]
    cast.student.refresh_from_db()
    assert (cast.student.username, cast.student.cabinet, cast.student.is_staff) == (
        "student",
        "student",
        False,
    )
    assert cast.student.language == "en"


@pytest.mark.django_db
def test_anonymous_is_refused_with_401(client):
    response = client.patch(URL, data={"language": "ru"}, content_type="application/json")

    assert response.status_code == 401
    assert "detail" in response.json()


def test_session_patch_without_csrf_token_is_refused(cast):
    browser = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    browser.force_login(cast.student)

    response = browser.patch(URL, data={"language": "ru"}, content_type="application/json")

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    cast.student.refresh_from_db()
    assert cast.student.language == "en"
