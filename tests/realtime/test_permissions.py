import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from realtime.actions import notification_create
from realtime.permissions import access_notification


@pytest.mark.django_db
def test_the_recipient_gets_their_notification(cast):
    notification = notification_create(recipient=cast.student, title="Mine")
    assert access_notification(cast.student, notification.id) == notification
    assert access_notification(cast.student, notification.id, write=True) == notification


@pytest.mark.django_db
def test_a_foreign_and_a_missing_notification_raise_the_same_error(cast):
    notification = notification_create(recipient=cast.student, title="Mine")
    with pytest.raises(Http404) as foreign:
        access_notification(cast.other_student, notification.id)
    with pytest.raises(Http404) as missing:
        access_notification(cast.student, notification.id + 1000)
    assert str(foreign.value) == str(missing.value)


@pytest.mark.django_db
def test_even_an_administrator_does_not_read_others_notifications(cast):
    notification = notification_create(recipient=cast.student, title="Mine")
    with pytest.raises(Http404):
        access_notification(cast.admin, notification.id, write=True)


@pytest.mark.django_db
def test_an_anonymous_visitor_is_not_found(cast):
    notification = notification_create(recipient=cast.student, title="Mine")
    with pytest.raises(Http404):
        access_notification(AnonymousUser(), notification.id)
