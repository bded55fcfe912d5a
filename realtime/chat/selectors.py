"""Reads of chats: a user's chats with unread counts, history pages, search."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from realtime.chat.models import ChatMember, Message

PAGE = 50


def message_payload(message: Message) -> dict:
    """What a browser gets of a message (live events, replays, history pages)."""
    deleted = message.deleted_at is not None
    return {
        "id": message.pk,
        "chat": message.chat_id,
        "author": message.author_id,
        "author_name": message.author.get_full_name() or message.author.get_username(),
        "text": "" if deleted else message.text,
        "reply_to": message.reply_to_id,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": deleted,
        "client_key": message.client_key,
        "attachment": (
            {
                "name": message.attachment_name,
                "url": f"/chats/{message.chat_id}/files/{message.pk}/",
            }
            if message.attachment and not deleted
            else None
        ),
    }


def chats_of(user) -> QuerySet[ChatMember]:
    """The user's current chats with the unread count and newest message id, newest first."""
    newest = Message.objects.filter(chat_id=OuterRef("chat_id")).order_by("-id").values("id")[:1]
    return (
        ChatMember.objects.filter(user=user, left_at__isnull=True)
        .select_related("chat")
        .annotate(
            unread=Count(
                "chat__messages",
                filter=Q(chat__messages__id__gt=F("last_read_id"))
                & Q(chat__messages__deleted_at__isnull=True)
                & ~Q(chat__messages__author=user),
            ),
            newest_id=Subquery(newest),
        )
        .order_by("-newest_id", "chat__title")
    )


def messages_after(chat_id: int, after_id: int, *, limit: int = 500) -> list[Message]:
    """Messages of a chat after `after_id`, oldest first: what a reconnecting client missed."""
    return list(
        Message.objects.filter(chat_id=chat_id, id__gt=after_id)
        .select_related("author")
        .order_by("id")[:limit]
    )


def messages_before(
    chat_id: int, before_id: int | None = None, *, limit: int = PAGE
) -> list[Message]:
    """One page of history going back from `before_id` (the newest page without it), oldest first."""
    messages = Message.objects.filter(chat_id=chat_id).select_related("author")
    if before_id is not None:
        messages = messages.filter(id__lt=before_id)
    return list(reversed(messages.order_by("-id")[:limit]))


def messages_search(chat_id: int, q: str, *, limit: int = PAGE) -> list[Message]:
    """Messages of a chat containing every word of `q`, newest first."""
    messages = Message.objects.filter(chat_id=chat_id, deleted_at__isnull=True)
    for word in q.split():
        messages = messages.filter(text_folded__contains=word.lower())
    return list(messages.select_related("author").order_by("-id")[:limit])


PEOPLE_PAGE = 30


def chat_partners(user, q: str = "", *, limit: int = PEOPLE_PAGE) -> list:
    """People `user` may write to privately, by name: matching every word of `q`, or, without
    `q`, the members of the user's group and stream chats (classmates, curator, teachers).
    One query."""
    from realtime.chat.permissions import private_partners

    people = private_partners(user)
    words = q.split()
    if words:
        for word in words:
            people = people.filter(
                Q(last_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(username__icontains=word)
            )
    else:
        my_chats = ChatMember.objects.filter(
            user=user, left_at__isnull=True, chat__kind__in=["group", "stream"]
        ).values("chat_id")
        people = people.filter(
            pk__in=ChatMember.objects.filter(chat_id__in=my_chats, left_at__isnull=True).values(
                "user_id"
            )
        )
    return list(people.order_by("last_name", "first_name", "pk")[:limit])
