"""Changing one's own password on /accounts/password/."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from hub.audit.models import AuditEntry
from tests.conftest import PASSWORD

URL = "/accounts/password/"
NEW = "Tunuk-kelet-2027"


def change(client, old=PASSWORD, new1=NEW, new2=NEW):
    return client.post(
        URL,
        {"old_password": old, "new_password1": new1, "new_password2": new2},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def signs_in(username: str, password: str) -> bool:
    request = RequestFactory().post(reverse("login"))
    return authenticate(request, username=username, password=password) is not None


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_new_password_replaces_the_old_and_keeps_the_session(client, cast):
    client.force_login(cast.teacher)

    response = change(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    assert signs_in("teacher", NEW)
    assert not signs_in("teacher", PASSWORD)
    assert client.get(reverse("profile")).status_code == 200


def test_the_change_clears_the_issued_password_flag(client, cast):
    cast.teacher.must_change_password = True
    cast.teacher.save(update_fields=["must_change_password"])
    client.force_login(cast.teacher)

    change(client)

    cast.teacher.refresh_from_db()
    assert cast.teacher.must_change_password is False


def test_a_wrong_old_password_is_refused_with_messages(client, cast):
    client.force_login(cast.teacher)

    response = change(client, old="not-my-password-1")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the errors below." in page
    assert "Your old password was entered incorrectly" in page
    assert signs_in("teacher", PASSWORD)


def test_a_password_without_digits_is_refused(client, cast):
    client.force_login(cast.teacher)

    response = change(client, new1="tunukkeletlong", new2="tunukkeletlong")

    assert response.status_code == 200
    assert "The password must contain both letters and digits." in response.content.decode()
    assert signs_in("teacher", PASSWORD)


def test_the_password_change_is_audited(client, cast):
    client.force_login(cast.teacher)

    change(client)

    entry = AuditEntry.objects.get(action="user_password_change")
    assert entry.object_id == str(cast.teacher.pk)
    assert entry.actor == cast.teacher
    assert entry.after == {"must_change_password": False}  # never the password or its hash
