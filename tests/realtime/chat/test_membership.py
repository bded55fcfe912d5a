"""Group chats follow the records: a transfer moves the student between chats by itself."""

from __future__ import annotations

from datetime import date

import pytest

from academic.records import actions as records
from academic.records.models import OrderKind
from academic.structure.actions import group_assign_curator
from hub.audit.models import AuditEntry
from realtime.chat.membership import group_chat_sync
from realtime.chat.models import ChatMember, MemberRole

pytestmark = pytest.mark.django_db


def active_members(chat) -> dict[int, str]:
    return dict(
        ChatMember.objects.filter(chat=chat, left_at__isnull=True).values_list("user_id", "role")
    )


def test_the_group_chat_holds_the_students_and_the_curator_as_moderator(cast, university, enrolled):
    group_assign_curator(
        by=None, group=university.group_a, curator=cast.curator, on=date(2024, 9, 1)
    )
    university.group_a.refresh_from_db()

    result = group_chat_sync(group=university.group_a)

    assert active_members(result.chat) == {
        cast.student.pk: MemberRole.MEMBER,
        cast.other_student.pk: MemberRole.MEMBER,
        cast.curator.pk: MemberRole.MODERATOR,
    }
    assert AuditEntry.objects.filter(action="chat_membership_sync").count() == 3
    # A second sync changes nothing.
    again = group_chat_sync(group=university.group_a)
    assert (again.joined, again.left) == ([], [])


def test_a_signed_transfer_moves_the_student_between_chats(
    cast, university, enrolled, django_capture_on_commit_callbacks
):
    chat_a = group_chat_sync(group=university.group_a).chat
    chat_b = group_chat_sync(group=university.group_b).chat
    today = date.today()
    order = records.order_create(
        by=None, kind=OrderKind.TRANSFER, number="C-1", date=today, effective_date=today
    )
    records.order_line_add(by=None, order=order, student=enrolled.student, group=university.group_b)

    with django_capture_on_commit_callbacks(execute=True):
        records.order_sign(by=None, order=order, signer="Ректор")

    assert cast.student.pk not in active_members(chat_a)
    assert cast.student.pk in active_members(chat_b)
    left = ChatMember.objects.get(chat=chat_a, user=cast.student)
    assert left.left_at is not None  # the membership stays, closed


def test_an_order_effective_later_changes_no_chat_today(
    cast, university, enrolled, django_capture_on_commit_callbacks
):
    chat_a = group_chat_sync(group=university.group_a).chat
    later = date(2099, 9, 1)
    order = records.order_create(
        by=None, kind=OrderKind.TRANSFER, number="C-2", date=date.today(), effective_date=later
    )
    records.order_line_add(by=None, order=order, student=enrolled.student, group=university.group_b)
    with django_capture_on_commit_callbacks(execute=True):
        records.order_sign(by=None, order=order, signer="Ректор")

    assert cast.student.pk in active_members(chat_a)
    # On the day, the nightly sync moves them.
    group_chat_sync(group=university.group_a, on=later)
    assert cast.student.pk not in active_members(chat_a)


def test_the_nightly_task_syncs_every_group_and_beat_runs_it(cast, university, enrolled, settings):
    from realtime.chat.models import Chat
    from realtime.chat.tasks import sync_group_chats

    assert sync_group_chats() == 2
    assert Chat.objects.filter(group__in=[university.group_a, university.group_b]).count() == 2
    schedule = settings.CELERY_BEAT_SCHEDULE["sync-group-chats"]
    assert schedule["task"] == sync_group_chats.name
