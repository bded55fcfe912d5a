"""Messages are stored before they are acknowledged, once per client key, as plain text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from hub.errors import DomainError
from realtime.chat import actions
from realtime.chat.membership import group_chat_sync
from realtime.chat.models import Message
from realtime.chat.selectors import chats_of, messages_after, messages_before, messages_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat(cast, university, enrolled):
    return group_chat_sync(group=university.group_a).chat


def test_a_member_posts_and_a_retry_with_the_same_key_is_not_stored_twice(
    cast, chat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as published:
        first = actions.message_post(
            by=cast.student, chat_id=chat.pk, text="Салам!", client_key="k1"
        )
    again = actions.message_post(by=cast.student, chat_id=chat.pk, text="Салам!", client_key="k1")

    assert again.pk == first.pk
    assert Message.objects.count() == 1
    assert len(published) == 1  # one live event, after commit


def test_html_is_kept_as_text(cast, chat):
    message = actions.message_post(by=cast.student, chat_id=chat.pk, text="<script>x()</script>")
    assert message.text == "<script>x()</script>"


def test_outsiders_cannot_post_or_read(cast, chat):
    with pytest.raises(Http404):
        actions.message_post(by=cast.teacher, chat_id=chat.pk, text="hi")
    with pytest.raises(Http404):
        actions.chat_mark_read(by=cast.deanery_b, chat_id=chat.pk, up_to_id=1)


def test_empty_and_too_long_messages_are_refused(cast, chat):
    with pytest.raises(DomainError, match="empty"):
        actions.message_post(by=cast.student, chat_id=chat.pk, text="   ")
    with pytest.raises(DomainError, match="at most"):
        actions.message_post(by=cast.student, chat_id=chat.pk, text="ы" * 4001)


def test_replies_stay_in_their_chat(cast, chat, university):
    other_chat = group_chat_sync(group=university.group_b).chat
    message = actions.message_post(by=cast.student, chat_id=chat.pk, text="Суроо")
    reply = actions.message_post(
        by=cast.other_student, chat_id=chat.pk, text="Жооп", reply_to=message.pk
    )
    assert reply.reply_to == message
    with pytest.raises(Http404):
        actions.message_post(by=cast.student, chat_id=other_chat.pk, text="x", reply_to=message.pk)


def test_own_messages_are_edited_and_deleted_within_the_window(cast, chat):
    message = actions.message_post(by=cast.student, chat_id=chat.pk, text="Бир")
    actions.message_edit(by=cast.student, message_id=message.pk, text="Эки")
    with pytest.raises(DomainError, match="only your own"):
        actions.message_edit(by=cast.other_student, message_id=message.pk, text="Үч")

    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(DomainError, match="minutes after sending"):
        actions.message_edit(by=cast.student, message_id=message.pk, text="Төрт")


def test_resume_and_history_pages_and_search(cast, chat):
    ids = [
        actions.message_post(by=cast.student, chat_id=chat.pk, text=f"Билдирүү {i}").pk
        for i in range(5)
    ]
    assert [m.pk for m in messages_after(chat.pk, ids[1])] == ids[2:]
    assert [m.pk for m in messages_before(chat.pk, ids[3], limit=2)] == ids[1:3]
    assert [m.pk for m in messages_search(chat.pk, "билдирүү 4")] == [ids[4]]


def test_unread_counts_follow_read_markers(cast, chat):
    for i in range(3):
        last = actions.message_post(by=cast.student, chat_id=chat.pk, text=f"{i}")
    [mine] = chats_of(cast.other_student)
    assert mine.unread == 3
    actions.chat_mark_read(by=cast.other_student, chat_id=chat.pk, up_to_id=last.pk)
    [mine] = chats_of(cast.other_student)
    assert mine.unread == 0
    [authors] = chats_of(cast.student)
    assert authors.unread == 0  # one's own messages are never unread


def test_private_chats_follow_the_policy(cast, enrolled):
    chat = actions.private_chat_open(by=cast.student, other=cast.teacher)
    assert actions.private_chat_open(by=cast.teacher, other=cast.student) == chat
    classmates = actions.private_chat_open(by=cast.student, other=cast.other_student)
    assert classmates.kind == "private"
    with pytest.raises(Http404):
        actions.private_chat_open(by=cast.student, other=cast.applicant)
    with pytest.raises(Http404):
        actions.private_chat_open(by=cast.parent, other=cast.teacher)


def test_files_of_allowed_types_are_attached_and_others_refused(cast, chat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    message = actions.message_post(
        by=cast.student,
        chat_id=chat.pk,
        text="",
        attachment=SimpleUploadedFile("тапшырма.pdf", b"%PDF-1.4"),
    )
    assert message.attachment_name == "тапшырма.pdf"
    assert message.attachment.read() == b"%PDF-1.4"
    with pytest.raises(DomainError, match="cannot be attached"):
        actions.message_post(
            by=cast.student,
            chat_id=chat.pk,
            text="",
            attachment=SimpleUploadedFile("virus.exe", b"MZ"),
        )


def test_a_mention_notifies_the_member_named(cast, chat):
    from realtime.models import Notification

    actions.message_post(by=cast.student, chat_id=chat.pk, text="@other_student, кел!")

    [note] = Notification.objects.all()
    assert note.recipient == cast.other_student
    assert note.url == f"/chats/{chat.pk}/"
