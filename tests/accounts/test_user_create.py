"""Creating one account: `user_create` and the page that calls it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from hub.accounts.actions import NewUser, user_create
from hub.accounts.models import User
from hub.audit.models import AuditEntry
from hub.errors import DomainError

URL = "/accounts/users/new/"


def new(**fields) -> NewUser:
    values = {
        "username": "omurbek",
        "last_name": "Өмүрбеков",
        "first_name": "Чыңгыз",
        "patronymic": "Жеңиш уулу",
        "cabinet": "student",
        "language": "ky",
    }
    return NewUser(**{**values, **fields})


def signs_in(username: str, password: str) -> bool:
    request = RequestFactory().post(reverse("login"))
    return authenticate(request, username=username, password=password) is not None


def test_the_account_gets_an_initial_password_it_must_change(cast):
    user, password = user_create(by=cast.admin, data=new())

    assert signs_in("omurbek", password)
    assert user.must_change_password
    assert len(password) == 12
    assert re.search(r"\d", password) and re.search(r"[A-Za-z]", password)


def test_blank_latin_names_are_transliterated(cast):
    user, _password = user_create(by=cast.admin, data=new())

    assert user.get_full_name_latin() == "Omurbekov Chyngyz Zhengish uulu"


def test_given_latin_names_are_kept(cast):
    user, _password = user_create(by=cast.admin, data=new(first_name_latin="Chingiz"))

    assert (user.last_name_latin, user.first_name_latin) == ("Omurbekov", "Chingiz")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "STUDENT"}, "The login “STUDENT” is already taken."),
        ({"first_name": ""}, "The last name and the first name are required."),
        ({"phone": "12"}, "Enter a phone number of 9 to 15 digits"),
        ({"cabinet": "rector"}, "Unknown cabinet “rector”."),
        ({"language": "de"}, "Unknown language “de”."),
        ({"email": "nobody"}, "Enter a valid e-mail address."),
        ({"username": "with space"}, "The login may contain only letters"),
    ],
)
def test_bad_data_is_refused_and_nothing_is_saved(cast, fields, message):
    count = User.objects.count()

    with translation.override("en"), pytest.raises(DomainError) as error:
        user_create(by=cast.admin, data=new(**fields))

    assert any(m.startswith(message) for m in error.value.messages), error.value.messages
    assert User.objects.count() == count


def test_the_creation_is_audited_without_the_password(cast):
    user, password = user_create(by=cast.admin, data=new())

    entry = AuditEntry.objects.get(action="user_create")
    assert entry.actor == cast.admin
    assert entry.object_id == str(user.pk)
    assert entry.after["last_name_latin"] == "Omurbekov"
    assert password not in str(entry.after)
    assert "password" not in entry.after


def test_the_page_shows_the_password_once(client, cast):
    client.force_login(cast.admin)

    response = client.post(
        URL,
        {
            "username": "omurbek",
            "last_name": "Өмүрбеков",
            "first_name": "Чыңгыз",
            "cabinet": "student",
            "language": "ky",
            "phone": "0555 123 456",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    password = re.search(r"<code data-initial-password>(\w+)</code>", response.content.decode())[1]
    assert signs_in("omurbek", password)
    user = User.objects.get(username="omurbek")
    assert (user.first_name_latin, user.phone) == ("Chyngyz", "0555123456")
    detail = client.get(reverse("accounts-user", args=[user.pk])).content.decode()
    assert password not in detail


def test_the_page_re_renders_with_the_actions_refusal(client, cast):
    client.force_login(cast.admin)

    response = client.post(
        URL,
        {
            "username": "teacher",
            "last_name": "Т",
            "first_name": "Т",
            "cabinet": "teacher",
            "language": "ky",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "The login “teacher” is already taken." in response.content.decode()
