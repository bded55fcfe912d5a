"""The lock works the same in a real ASGI server (django-axes runs async there)."""

from __future__ import annotations

import httpx
import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

from hub.accounts.models import User
from tests.servers import AsgiServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]

PASSWORD = "Tunuk-kelet-2027"


@pytest.fixture(params=["daphne", "uvicorn"])
def server(request, tmp_path):
    with AsgiServer(request.param, tmp_path) as running:
        yield running


def sign_in(client: httpx.Client, password: str) -> httpx.Response:
    token = client.cookies["csrftoken"]
    return client.post(
        "/login/",
        data={"username": "aigul", "password": password, "csrfmiddlewaretoken": token},
        headers={"Accept-Language": "en"},
    )


def test_ten_failures_lock_the_login_in_the_asgi_server(server):
    # The server checks passwords with the production hasher, not the suite's MD5.
    hasher = Argon2PasswordHasher()
    User.objects.create(username="aigul", password=hasher.encode(PASSWORD, hasher.salt()))

    with httpx.Client(base_url=server.url, timeout=20) as client:
        client.get("/login/")
        answers = [sign_in(client, "wrong-password-1").status_code for _i in range(10)]
        locked = sign_in(client, PASSWORD)

    assert answers == [200] * 9 + [429]
    assert locked.status_code == 429
    assert "This account is locked after 10 failed sign-in attempts." in locked.text
