import logging

import pytest
from rest_framework.authtoken.models import Token

from hub.api.v1 import views


@pytest.fixture
def student_token(cast) -> str:
    return Token.objects.create(user=cast.student).key


def test_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["detail"] == "There is no API endpoint at this address."


def test_missing_trailing_slash_names_the_right_address(client):
    response = client.get("/api/v1/me")

    assert response.status_code == 404
    assert "/api/v1/me/" in response.json()["detail"]


def test_malformed_json_is_a_400_with_a_reason(client, student_token):
    response = client.patch(
        "/api/v1/me/",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {student_token}",
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_unsupported_method_is_a_405_with_a_reason(client, student_token):
    response = client.delete("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {student_token}")

    assert response.status_code == 405
    assert response.json()["detail"] == 'Method "DELETE" not allowed.'


def test_unexpected_error_is_a_500_json_without_traceback(
    client, student_token, monkeypatch, caplog
):
    def broken_action(**kwargs):
        raise RuntimeError("secret internal state")

    monkeypatch.setattr(views, "user_profile_update", broken_action)

    with caplog.at_level(logging.ERROR, logger="hub.api"):
        response = client.patch(
            "/api/v1/me/",
            data={"phone": "+996555123456"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {student_token}",
        )

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error."}
    assert b"secret internal state" not in response.content
    assert b"Traceback" not in response.content
    assert "secret internal state" in caplog.text  # the operator still sees it in the log
