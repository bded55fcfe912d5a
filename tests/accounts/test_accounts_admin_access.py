"""Who may open the accounts administration pages: each cast member, and anonymous."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import CAST_NAMES

# Holders of EDIT on the accounts module for the whole institution.
ALLOWED = {"admin", "vice_rector"}
MEMBERS = CAST_NAMES
PAGES = [
    ("accounts-users", False),
    ("accounts-user-create", False),
    ("accounts-import", False),
    ("accounts-locks", False),
    ("accounts-user", True),
    ("accounts-user-password-reset", True),
    ("accounts-user-deactivate", True),
    ("accounts-user-reactivate", True),
    ("accounts-user-unlock", True),
]
WRITES = [
    "accounts-user-password-reset",
    "accounts-user-deactivate",
    "accounts-user-reactivate",
    "accounts-user-unlock",
]


def url_of(name: str, needs_id: bool, cast) -> str:
    return reverse(name, args=[cast.other_student.pk]) if needs_id else reverse(name)


@pytest.mark.parametrize(("name", "needs_id"), PAGES)
def test_anonymous_is_sent_to_sign_in(client, cast, name, needs_id):
    url = url_of(name, needs_id, cast)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("member", MEMBERS)
@pytest.mark.parametrize(("name", "needs_id"), PAGES)
def test_only_accounts_administrators_open_the_pages(client, cast, member, name, needs_id):
    client.force_login(getattr(cast, member))

    response = client.get(url_of(name, needs_id, cast))

    assert response.status_code == (200 if member in ALLOWED else 404)


@pytest.mark.parametrize("member", sorted(set(MEMBERS) - ALLOWED))
@pytest.mark.parametrize("name", WRITES)
def test_a_stranger_cannot_write_and_nothing_changes(client, cast, member, name):
    target = cast.other_student
    before = (target.password, target.is_active, target.must_change_password)
    client.force_login(getattr(cast, member))

    response = client.post(reverse(name, args=[target.pk]))

    assert response.status_code == 404
    target.refresh_from_db()
    assert (target.password, target.is_active, target.must_change_password) == before


def test_a_missing_account_looks_like_a_forbidden_one(client, cast):
    client.force_login(cast.admin)

    assert client.get(reverse("accounts-user", args=[999999])).status_code == 404


def test_the_navigation_offers_accounts_only_to_administrators(client, cast):
    for member in MEMBERS:
        client.force_login(getattr(cast, member))
        page = client.get(reverse("profile")).content.decode()
        assert ('href="/accounts/users/"' in page) == (member in ALLOWED), member
