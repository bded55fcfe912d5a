"""Everyone's own profile page: language, contacts, Latin name forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import CAST_NAMES

URL = "/accounts/profile/"
MEMBERS = CAST_NAMES


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


@pytest.mark.parametrize("member", MEMBERS)
def test_every_member_sees_only_their_own_profile(client, cast, member):
    user = getattr(cast, member)
    client.force_login(user)

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = response.content.decode()
    assert f"<dd>{user.username}</dd>" in page
    others = [getattr(cast, m) for m in MEMBERS if m != member]
    assert not any(f"<dd>{other.get_full_name()}</dd>" in page for other in others)


def test_the_profile_is_linked_in_the_navigation(client, cast):
    client.force_login(cast.student)

    page = client.get("/cabinet/student/").content.decode()

    assert f'href="{URL}"' in page


def test_saving_changes_language_contacts_and_latin_names(client, cast):
    client.force_login(cast.student)

    response = client.post(
        URL,
        {
            "language": "ru",
            "phone": "+996 (555) 12-34-56",
            "email": "bakyt@example.kg",
            "last_name_latin": "Asanov",
            "first_name_latin": "Bakhyt",
            "patronymic_latin": "",
        },
    )

    assert response.status_code == 302
    cast.student.refresh_from_db()
    assert cast.student.language == "ru"
    assert cast.student.phone == "+996555123456"
    assert cast.student.email == "bakyt@example.kg"
    assert cast.student.first_name_latin == "Bakhyt"
    assert cast.student.first_name == "Бакыт"  # the official name is not the user's to change


def test_a_bad_phone_and_email_re_render_with_messages_and_save_nothing(client, cast):
    client.force_login(cast.student)

    response = client.post(
        URL,
        {"language": "ky", "phone": "12", "email": "not-an-address"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the errors below." in page
    assert "Enter a phone number of 9 to 15 digits" in page
    assert "Enter a valid email address." in page
    cast.student.refresh_from_db()
    assert (cast.student.language, cast.student.phone) == ("en", "")


def test_only_get_and_post_are_allowed(client, cast):
    client.force_login(cast.student)

    assert client.delete(URL).status_code == 405
