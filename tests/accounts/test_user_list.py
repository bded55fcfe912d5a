"""The administrator's list of accounts: search, filters, pages, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.accounts.actions import user_deactivate
from hub.accounts.models import User

URL = "/accounts/users/"


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


def listed(client, **params) -> list[str]:
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return [user.username for user in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("асанов", ["student", "parent"]),  # Cyrillic, any case
        ("Асанова Жылдыз", ["parent"]),  # every word must match
        ("omurbekova", ["other_student"]),  # Latin name
        ("deanery", ["deanery_a", "deanery_b"]),  # login
        ("555777", ["curator"]),  # phone
        ("gulnara@", ["curator"]),  # e-mail
    ],
)
def test_search_finds_by_name_login_phone_and_email(admin_client, cast, q, found):
    cast.curator.phone = "+996555777888"
    cast.curator.email = "gulnara@example.kg"
    cast.curator.save()

    assert sorted(listed(admin_client, q=q)) == sorted(found)


def test_filters_by_cabinet_and_status(admin_client, cast):
    user_deactivate(by=cast.admin, user=cast.other_student)

    assert listed(admin_client, cabinet="student", active="1") == ["student"]
    assert listed(admin_client, active="0") == ["other_student"]


def test_pages_hold_fifty_and_keep_the_filters(admin_client, cast):
    User.objects.bulk_create(
        User(username=f"s{i:03}", last_name="Студент", first_name=f"{i:03}") for i in range(60)
    )

    first = admin_client.get(URL, {"cabinet": "student"}, HTTP_ACCEPT_LANGUAGE="en")
    second = admin_client.get(URL, {"cabinet": "student", "page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 12
    assert "?cabinet=student&amp;page=2" in first.content.decode()


def test_a_locked_login_is_marked(admin_client, cast, settings):
    for _i in range(settings.AXES_FAILURE_LIMIT):
        admin_client.post(reverse("login"), {"username": "teacher", "password": "wrong-1x"})

    page = admin_client.get(URL, {"q": "teacher"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Locked" in page


def test_the_number_of_queries_does_not_grow_with_the_page(admin_client, cast):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            admin_client.get(URL)
        return len(queries)

    few = count()
    User.objects.bulk_create(
        User(username=f"s{i:03}", last_name="Студент", first_name=str(i)) for i in range(40)
    )

    assert count() == few
