"""Important notifications are e-mailed too, once, to those who keep e-mail on."""

import pytest
from django.core import mail
from django.urls import reverse

from realtime.actions import notification_send, notification_settings_set
from realtime.models import Notification
from realtime.tasks import email_notifications

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_email(cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for user, address in ((cast.student, "student@example.org"), (cast.teacher, "t@example.org")):
        user.email = address
        user.save()


def test_important_notifications_are_mailed_once_to_those_who_want_them(
    cast, with_email, django_capture_on_commit_callbacks
):
    notification_settings_set(user=cast.teacher, email_important=False)
    with django_capture_on_commit_callbacks() as callbacks:
        notification_send(
            recipients=[cast.student, cast.teacher, cast.parent],
            title="Сессия 10-январда башталат",
            url="/announcements/1/",
            important=True,
        )
    assert len(callbacks) == 2  # the three live events in one batch, and the queued e-mail

    ids = list(Notification.objects.values_list("pk", flat=True))
    assert email_notifications(ids) == 1  # the teacher said no; the parent has no address
    assert [m.to for m in mail.outbox] == [["student@example.org"]]
    assert "Сессия" in mail.outbox[0].subject
    assert email_notifications(ids) == 0  # a redelivered task sends nothing again


def test_ordinary_notifications_are_not_mailed(cast, with_email):
    notification_send(recipients=[cast.student], title="Эскертүү")
    assert email_notifications(list(Notification.objects.values_list("pk", flat=True))) == 0


def test_the_settings_page_saves_the_choice(client, cast):
    client.force_login(cast.student)
    url = reverse("notification-settings")

    assert client.get(url).status_code == 200
    client.post(url, {})
    cast.student.refresh_from_db()
    assert cast.student.notification_settings.email_important is False
