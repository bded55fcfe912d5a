"""Moderation: the curator of a group chat and the teacher of a stream chat remove others'
messages (audited); members do not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from academic.structure.actions import group_assign_curator
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from realtime.chat import actions
from realtime.chat.membership import group_chat_sync, stream_chats_sync
from realtime.chat.models import Chat, ChatKind, Message
from realtime.chat.selectors import message_payload
from tests.realtime.conftest import make_course

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def group_chat(cast, university, enrolled):
    group_assign_curator(
        by=None, group=university.group_a, curator=cast.curator, on=date(2024, 9, 1)
    )
    university.group_a.refresh_from_db()
    return group_chat_sync(group=university.group_a).chat


def test_the_curator_removes_a_students_message_and_it_is_audited(cast, group_chat):
    message = actions.message_post(by=cast.student, chat_id=group_chat.pk, text="Жаман сөз")
    # Even long after the edit window: moderation has no time limit.
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(days=2))

    removed = actions.message_delete(by=cast.curator, message_id=message.pk)

    assert removed.deleted_at is not None
    payload = message_payload(removed)
    assert payload["deleted"] is True and payload["text"] == ""
    entry = AuditEntry.objects.get(action="chat_message_remove")
    assert entry.actor == cast.curator
    assert entry.before["text"] == "Жаман сөз"


def test_a_member_cannot_remove_anothers_message(cast, group_chat):
    message = actions.message_post(by=cast.student, chat_id=group_chat.pk, text="Салам")
    with pytest.raises(DomainError, match="only your own"):
        actions.message_delete(by=cast.other_student, message_id=message.pk)
    # Nor may the moderator rewrite it: moderation removes, never edits.
    with pytest.raises(DomainError, match="only your own"):
        actions.message_edit(by=cast.curator, message_id=message.pk, text="Башка")


def test_the_teacher_moderates_their_stream_chat(cast, university, enrolled, term, grades_plan):
    make_course(university.group_a, term, grades_plan, cast.teacher)
    stream_chats_sync()
    chat = Chat.objects.get(kind=ChatKind.STREAM)
    message = actions.message_post(by=cast.student, chat_id=chat.pk, text="Спам")
    actions.message_delete(by=cast.teacher, message_id=message.pk)
    assert Message.objects.get(pk=message.pk).deleted_at is not None


def test_a_mention_in_a_stream_chat_notifies_the_teacher(
    cast, university, enrolled, term, grades_plan
):
    from realtime.models import Notification

    make_course(university.group_a, term, grades_plan, cast.teacher)
    stream_chats_sync()
    chat = Chat.objects.get(kind=ChatKind.STREAM)
    actions.message_post(by=cast.student, chat_id=chat.pk, text="@teacher суроо бар")
    assert Notification.objects.filter(recipient=cast.teacher, url=f"/chats/{chat.pk}/").exists()
