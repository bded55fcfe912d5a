"""notification_create, notification_send and notification_mark_read: the rows, then exactly
one event per recipient after commit."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.http import Http404

from realtime.actions import notification_create, notification_mark_read, notification_send
from realtime.groups import group_user
from realtime.models import Notification, NotificationKind
from realtime.selectors import notification_payload


class Listener:
    """A channel in a user's group on the real layer, read from sync tests."""

    def __init__(self, user):
        self.layer = get_channel_layer()
        self.group = group_user(user.id)
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)(self.group, self.channel)

    def events(self) -> list[dict]:
        received = []

        async def drain():
            while True:
                try:
                    message = await asyncio.wait_for(self.layer.receive(self.channel), 0.3)
                except TimeoutError:
                    return
                received.append(message["event"])

        async_to_sync(drain)()
        return received

    def close(self):
        async_to_sync(self.layer.group_discard)(self.group, self.channel)


@pytest.fixture
def listen():
    listeners = []

    def start(user):
        listeners.append(Listener(user))
        return listeners[-1]

    yield start
    for listener in listeners:
        listener.close()


@pytest.mark.django_db(transaction=True)
def test_creating_stores_the_row_and_tells_the_recipient(cast, listen):
    student = listen(cast.student)
    stranger = listen(cast.other_student)
    notification = notification_create(
        recipient=cast.student, title="Ready", url="/services/3/", kind=NotificationKind.SERVICE
    )
    stored = Notification.objects.get()
    assert (stored.id, stored.recipient, stored.kind, stored.read_at) == (
        notification.id,
        cast.student,
        "service",
        None,
    )
    events = student.events()
    assert [(e["type"], e["data"]["id"], e["data"]["unread"]) for e in events] == [
        ("notification.created", notification.id, 1)
    ]
    assert stranger.events() == []


@pytest.mark.django_db(transaction=True)
def test_sending_to_many_stores_a_row_each_and_tells_each_their_own(cast, listen):
    notification_create(recipient=cast.student, title="Earlier")  # one unread already
    tabs = {user: listen(user) for user in (cast.student, cast.other_student, cast.teacher)}
    tabs[cast.student].events()  # the earlier one's event
    count = notification_send(
        recipients=[cast.student, cast.other_student.pk, cast.teacher, cast.student],
        title="Ертең сабак жок",
        body="Өңүттөр үчүн",
        url="/announcements/1/",
        kind=NotificationKind.ANNOUNCEMENT,
        important=True,
    )
    assert count == 3
    for user, tab in tabs.items():
        row = Notification.objects.get(recipient=user, title="Ертең сабак жок")
        assert (row.kind, row.body, row.url, row.important, row.read_at) == (
            "announcement",
            "Өңүттөр үчүн",
            "/announcements/1/",
            True,
            None,
        )
        unread = 2 if user == cast.student else 1
        assert tab.events() == [
            {"type": "notification.created", "data": notification_payload(row, unread=unread)}
        ]
    assert notification_send(recipients=[], title="Nobody") == 0


@pytest.mark.django_db
def test_an_important_notification_is_published_before_its_mail_is_queued(
    cast, django_capture_on_commit_callbacks
):
    # A web process's first use of the mail queue loads its broker client (a
    # fraction of a second): the bells must not wait behind it. Commit hooks
    # run in the order they were registered.
    with django_capture_on_commit_callbacks() as hooks:
        notification_send(recipients=[cast.student], title="Exam moved", important=True)
    assert [hook.__qualname__ for hook in hooks] == [
        "send_events.<locals>.<lambda>",
        "notification_send.<locals>.<lambda>",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"title": "ok", "kind": "gossip"},
        {"title": "ok", "url": "https://evil.example/"},
        {"title": "ok", "url": "//evil.example/"},
        {"title": "ok", "url": "javascript:alert(1)"},
    ],
)
def test_creating_refuses_bad_input_and_stores_nothing(cast, fields):
    with pytest.raises(ValidationError):
        notification_create(recipient=cast.student, **fields)
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_marking_read_sets_read_at_and_updates_the_badge_elsewhere(cast, listen):
    notification = notification_create(recipient=cast.student, title="One")
    notification_create(recipient=cast.student, title="Two")
    student = listen(cast.student)
    notification_mark_read(user=cast.student, notification_id=notification.id)
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert student.events() == [
        {"type": "notification.read", "data": {"id": notification.id, "unread": 1}}
    ]


@pytest.mark.django_db(transaction=True)
def test_marking_read_twice_changes_and_sends_nothing_the_second_time(cast, listen):
    notification = notification_create(recipient=cast.student, title="One")
    notification_mark_read(user=cast.student, notification_id=notification.id)
    first_read_at = Notification.objects.get().read_at
    student = listen(cast.student)
    notification_mark_read(user=cast.student, notification_id=notification.id)
    assert Notification.objects.get().read_at == first_read_at
    assert student.events() == []


@pytest.mark.django_db(transaction=True)
def test_marking_someone_elses_notification_read_is_not_found(cast, listen):
    notification = notification_create(recipient=cast.student, title="Private")
    owner = listen(cast.student)
    with pytest.raises(Http404):
        notification_mark_read(user=cast.other_student, notification_id=notification.id)
    assert Notification.objects.get().read_at is None
    assert owner.events() == []
