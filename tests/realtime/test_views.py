import pytest
from django.test import Client
from django.urls import reverse

from realtime.actions import notification_create
from realtime.models import Notification
from realtime.views import PAGE_SIZE

pytestmark = pytest.mark.django_db


def read_url(notification):
    return reverse("notification-read", args=[notification.id])


@pytest.fixture
def login_path(settings):
    # A path, not the route name: the login page belongs to the cabinets app.
    settings.LOGIN_URL = "/login/"
    return settings.LOGIN_URL


def test_the_list_asks_an_anonymous_visitor_to_log_in(client, login_path):
    response = client.get(reverse("notification-list"))
    assert response.status_code == 302
    assert response["Location"] == f"{login_path}?next=/notifications/"


def test_the_list_shows_only_the_users_notifications(client, cast):
    notification_create(recipient=cast.student, title="For the student")
    notification_create(recipient=cast.other_student, title="For someone else")
    client.force_login(cast.student)
    response = client.get(reverse("notification-list"))
    assert response.status_code == 200
    assert "For the student" in response.content.decode()
    assert "For someone else" not in response.content.decode()
    assert response.context["unread_count"] == 1


def test_the_list_is_paginated(client, cast):
    for i in range(PAGE_SIZE + 1):
        notification_create(recipient=cast.student, title=f"item-{i:03d}")
    client.force_login(cast.student)
    first = client.get(reverse("notification-list"))
    second = client.get(reverse("notification-list"), {"page": 2})
    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert [n.title for n in second.context["page"].object_list] == ["item-000"]


def test_marking_read_redirects_back_to_a_local_page(client, cast):
    notification = notification_create(recipient=cast.student, title="x")
    client.force_login(cast.student)
    response = client.post(read_url(notification), {"next": "/notifications/?page=2"})
    assert (response.status_code, response["Location"]) == (302, "/notifications/?page=2")
    assert Notification.objects.get().read_at is not None


def test_marking_read_never_redirects_to_another_site(client, cast):
    notification = notification_create(recipient=cast.student, title="x")
    client.force_login(cast.student)
    response = client.post(read_url(notification), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notification-list")


def test_marking_read_from_htmx_answers_204(client, cast):
    notification = notification_create(recipient=cast.student, title="x")
    client.force_login(cast.student)
    response = client.post(read_url(notification), headers={"HX-Request": "true"})
    assert response.status_code == 204


def test_marking_read_only_allows_post(client, cast):
    notification = notification_create(recipient=cast.student, title="x")
    client.force_login(cast.student)
    assert client.get(read_url(notification)).status_code == 405
    assert Notification.objects.get().read_at is None


def test_marking_read_requires_the_csrf_token(cast):
    notification = notification_create(recipient=cast.student, title="x")
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.student)
    assert client.post(read_url(notification)).status_code == 403
    assert Notification.objects.get().read_at is None


def test_marking_someone_elses_notification_is_not_found(client, cast):
    notification = notification_create(recipient=cast.student, title="x")
    client.force_login(cast.other_student)
    assert client.post(read_url(notification)).status_code == 404
    assert Notification.objects.get().read_at is None


def test_marking_read_asks_an_anonymous_visitor_to_log_in(client, cast, login_path):
    notification = notification_create(recipient=cast.student, title="x")
    response = client.post(read_url(notification))
    assert response["Location"].startswith(f"{login_path}?next=")
    assert Notification.objects.get().read_at is None
