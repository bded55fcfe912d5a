"""A user with an issued password is sent to change it before anything else."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture
def issued(cast):
    cast.student.must_change_password = True
    cast.student.save(update_fields=["must_change_password"])
    return cast.student


def test_every_page_leads_to_the_change_password_page(client, issued):
    client.force_login(issued)

    response = client.get("/cabinet/student/")

    assert response.status_code == 302
    assert response["Location"] == reverse("password-change") + "?next=/cabinet/student/"


def test_the_profile_page_too_waits_for_the_new_password(client, issued):
    client.force_login(issued)

    assert client.get(reverse("profile")).status_code == 302


def test_the_change_password_page_itself_opens(client, issued):
    client.force_login(issued)

    response = client.get(reverse("password-change"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Choose your own password to continue." in response.content.decode()


def test_logout_and_the_language_switch_stay_reachable(client, issued):
    client.force_login(issued)

    assert client.post(reverse("language"), {"language": "ru", "next": "/"})["Location"] == "/"
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_a_user_without_the_flag_goes_where_asked(client, cast):
    client.force_login(cast.student)

    assert client.get("/cabinet/student/").status_code == 200


def test_after_changing_the_password_the_pages_open(client, issued):
    client.force_login(issued)

    client.post(
        reverse("password-change"),
        {
            "old_password": "Cast-password-2026",
            "new_password1": "Tunuk-kelet-2027",
            "new_password2": "Tunuk-kelet-2027",
        },
    )

    assert client.get("/cabinet/student/").status_code == 200
