"""An administrator issues a new initial password: `user_password_reset` and its page."""

from __future__ import annotations

import re

from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse

from hub.accounts.actions import user_password_reset
from hub.audit.models import AuditEntry
from tests.conftest import PASSWORD


def signs_in(username: str, password: str) -> bool:
    request = RequestFactory().post(reverse("login"))
    return authenticate(request, username=username, password=password) is not None


def test_the_new_password_works_and_the_old_one_does_not(cast):
    password = user_password_reset(by=cast.admin, user=cast.student)

    assert signs_in("student", password)
    assert not signs_in("student", PASSWORD)
    cast.student.refresh_from_db()
    assert cast.student.must_change_password


def test_the_users_open_sessions_end(cast):
    browser = Client()
    browser.force_login(cast.student)
    assert browser.get("/cabinet/student/").status_code == 200

    user_password_reset(by=cast.admin, user=cast.student)

    assert browser.get("/cabinet/student/").status_code == 302


def test_the_reset_is_audited_without_the_password(cast):
    password = user_password_reset(by=cast.admin, user=cast.student)

    entry = AuditEntry.objects.get(action="user_password_reset")
    assert (entry.actor, entry.object_id) == (cast.admin, str(cast.student.pk))
    assert password not in str(entry.after)


def test_the_page_asks_first_and_shows_the_password_once_after_post(client, cast):
    client.force_login(cast.admin)
    url = reverse("accounts-user-password-reset", args=[cast.student.pk])

    question = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "Give Асанов Бакыт a new initial password?" in question.content.decode()
    assert signs_in("student", PASSWORD)

    response = client.post(url)

    password = re.search(r"<code data-initial-password>(\w+)</code>", response.content.decode())[1]
    assert signs_in("student", password)
