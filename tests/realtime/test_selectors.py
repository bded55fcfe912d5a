import pytest

from realtime.actions import notification_create, notification_mark_read
from realtime.selectors import (
    notification_last_id,
    notification_list,
    notification_unread_count,
    notifications_after,
)


@pytest.fixture
def inbox(cast):
    rows = [notification_create(recipient=cast.student, title=f"n{i}") for i in range(5)]
    notification_create(recipient=cast.other_student, title="elsewhere")
    notification_mark_read(user=cast.student, notification_id=rows[0].id)
    return rows


@pytest.mark.django_db
def test_unread_count_counts_only_the_users_unread(cast, inbox, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert notification_unread_count(user=cast.student) == 4
    assert notification_unread_count(user=cast.teacher) == 0


@pytest.mark.django_db
def test_the_list_is_the_users_newest_first(cast, inbox, django_assert_num_queries):
    with django_assert_num_queries(1):
        titles = [n.title for n in notification_list(user=cast.student)]
    assert titles == ["n4", "n3", "n2", "n1", "n0"]


@pytest.mark.django_db
def test_notifications_after_an_id_are_oldest_first(cast, inbox, django_assert_num_queries):
    with django_assert_num_queries(1):
        after = notifications_after(user=cast.student, after_id=inbox[1].id)
    assert after == inbox[2:]
    assert notifications_after(user=cast.student, after_id=inbox[-1].id) == []


@pytest.mark.django_db
def test_a_long_absence_gets_the_newest_missed_ones(cast, inbox):
    assert notifications_after(user=cast.student, after_id=0, limit=2) == inbox[3:]


@pytest.mark.django_db
def test_the_last_id_is_the_users_newest(cast, inbox):
    assert notification_last_id(user=cast.student) == inbox[-1].id
    assert notification_last_id(user=cast.teacher) == 0
