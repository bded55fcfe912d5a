"""The cabinet pages: each kind opens only for its own users."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hub.accounts.models import Cabinet
from tests.conftest import make_user

KINDS = [kind.value for kind in Cabinet]


@pytest.fixture
def owners(cast):
    """One owner per cabinet kind, all from the fixed cast."""
    return {
        Cabinet.STUDENT: cast.student,
        Cabinet.TEACHER: cast.teacher,
        Cabinet.CURATOR: cast.curator,
        Cabinet.PARENT: cast.parent,
        Cabinet.APPLICANT: cast.applicant,
        Cabinet.STAFF: cast.deanery_a,
        Cabinet.ADMIN: cast.admin,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_owner_sees_their_cabinet(client, owners, kind):
    owner = owners[kind]
    client.force_login(owner)

    response = client.get(reverse("cabinet-page", args=[kind]))

    assert response.status_code == 200
    assert response.templates[0].name == "cabinets/cabinet.html"
    assert response.context["kind"] == kind


@pytest.mark.parametrize("kind", KINDS)
def test_every_other_member_of_the_cast_gets_not_found(client, cast, kind):
    strangers = [user for user in cast.members().values() if user.cabinet != kind]
    assert strangers
    for stranger in strangers:
        client.force_login(stranger)
        response = client.get(reverse("cabinet-page", args=[kind]))
        assert response.status_code == 404, stranger.username


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_is_sent_to_login(client, db, kind):
    url = reverse("cabinet-page", args=[kind])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_unknown_kind_is_not_found_even_for_the_admin(client, cast):
    client.force_login(cast.admin)

    assert client.get("/cabinet/dean/").status_code == 404


def test_greeting_uses_the_latin_name_in_english(client, cast):
    client.force_login(cast.student)  # the cast speaks English

    page = client.get(reverse("cabinet-page", args=["student"])).content.decode()

    assert "Hello, Asanov Bakyt!" in page
    assert "Student cabinet" in page
    assert "Record book" in page


def test_greeting_uses_the_cyrillic_name_in_kyrgyz(client, cast):
    cast.teacher.language = "ky"
    cast.teacher.save()
    client.force_login(cast.teacher)

    page = client.get(reverse("cabinet-page", args=["teacher"])).content.decode()

    assert "Иванова Наталья" in page
    assert "Asanov" not in page
    assert 'lang="ky"' in page


def test_user_without_a_name_is_greeted_by_login(client, db):
    nameless = make_user("nameless", cabinet=Cabinet.PARENT)
    client.force_login(nameless)

    page = client.get(reverse("cabinet-page", args=["parent"])).content.decode()

    assert "Hello, nameless!" in page


def test_home_redirects_to_the_users_own_cabinet(client, cast):
    client.force_login(cast.teacher)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/cabinet/teacher/"


def test_home_sends_anonymous_to_login(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_page_has_the_layout_the_live_parts_rely_on(client, cast):
    client.force_login(cast.student)

    page = client.get("/cabinet/student/").content.decode()

    assert "data-unread-count" in page
    assert '<script type="module" src="/static/js/live.js"></script>' in page
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert 'action="/logout/"' in page
    assert 'name="csrfmiddlewaretoken"' in page
