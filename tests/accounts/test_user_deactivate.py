"""Closing an account without deleting it: `user_deactivate` and its page."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from hub.accounts.actions import user_deactivate
from hub.accounts.models import User
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.conftest import PASSWORD


def test_a_deactivated_user_cannot_sign_in_and_still_exists(cast):
    user_deactivate(by=cast.admin, user=cast.student)

    request = RequestFactory().post(reverse("login"))
    assert authenticate(request, username="student", password=PASSWORD) is None
    assert User.objects.filter(pk=cast.student.pk, is_active=False).exists()


def test_a_deactivated_user_loses_the_open_session_and_the_api_token(client, cast):
    key = client.post("/api/v1/auth/token/", {"username": "student", "password": PASSWORD})
    key = key.json()["token"]
    browser = Client()
    browser.force_login(cast.student)

    user_deactivate(by=cast.admin, user=cast.student)

    assert browser.get("/cabinet/student/").status_code == 302
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_an_administrator_cannot_deactivate_themselves(cast):
    with translation.override("en"), pytest.raises(DomainError, match="your own account"):
        user_deactivate(by=cast.admin, user=cast.admin)

    cast.admin.refresh_from_db()
    assert cast.admin.is_active


def test_the_deactivation_is_audited_with_before_and_after(cast):
    user_deactivate(by=cast.admin, user=cast.student)

    entry = AuditEntry.objects.get(action="user_deactivate")
    assert entry.changes == {"is_active": [True, False]}


def test_the_page_asks_first_and_deactivates_on_post(client, cast):
    client.force_login(cast.admin)
    url = reverse("accounts-user-deactivate", args=[cast.student.pk])

    question = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "nothing is deleted" in question
    cast.student.refresh_from_db()
    assert cast.student.is_active

    response = client.post(url)

    assert response["Location"] == reverse("accounts-user", args=[cast.student.pk])
    cast.student.refresh_from_db()
    assert not cast.student.is_active


def test_the_page_reports_the_refusal_for_ones_own_account(client, cast):
    client.force_login(cast.admin)

    response = client.post(
        reverse("accounts-user-deactivate", args=[cast.admin.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "You cannot deactivate your own account." in response.content.decode()
