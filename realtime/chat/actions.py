"""Writes of chats: each message is stored first, then acknowledged, then published.

`message_post` returns the stored message (its id is the sender's
acknowledgement) and publishes `chat.message` to the chat's sockets after
commit; a message re-sent with the same client key is returned again and
nothing is stored twice. Messages are plain text: browsers render them as
text, so HTML or script a user types is shown, never run.
"""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.accounts.models import User
from hub.audit.log import audit_record
from hub.errors import DomainError
from realtime.actions import notification_send
from realtime.chat.models import (
    ATTACHMENT_EXTENSIONS,
    MAX_ATTACHMENT_BYTES,
    MAX_MESSAGE_LENGTH,
    Chat,
    ChatKind,
    ChatMember,
    MemberRole,
    Message,
)
from realtime.chat.permissions import access_chat, access_private_chat_with
from realtime.chat.selectors import message_payload
from realtime.events import EventType, send_event
from realtime.groups import group_chat

EDIT_WINDOW = timedelta(minutes=15)
CLIENT_KEY_LENGTH = 64


def _clean_text(text: str, *, may_be_empty: bool = False) -> str:
    text = (text or "").strip()
    if not text and not may_be_empty:
        raise DomainError(_("The message is empty."))
    if len(text) > MAX_MESSAGE_LENGTH:
        raise DomainError(
            _("A message holds at most %(count)d characters.") % {"count": MAX_MESSAGE_LENGTH}
        )
    return text


def _check_attachment(upload) -> None:
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        raise DomainError(
            _("Files of this type cannot be attached. Allowed: %(types)s.")
            % {"types": ", ".join(ATTACHMENT_EXTENSIONS)}
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise DomainError(
            _("The file is larger than %(size)d MB.") % {"size": MAX_ATTACHMENT_BYTES // 2**20}
        )


def message_post(
    *,
    by: User,
    chat_id: int,
    text: str,
    client_key: str = "",
    reply_to: int | None = None,
    attachment=None,
) -> Message:
    """Store `by`'s message in chat `chat_id` and publish it; return it (the acknowledgement).

    Only current members post (Http404 otherwise). A `client_key` already used
    by `by` returns the stored message unchanged. `reply_to` must be a message
    of the same chat. An `attachment` (an uploaded file of an allowed type, up
    to 20 MB) may stand without text. Publishes `chat.message` to chat.<id>
    after commit; members named as @login get a notification.
    """
    access_chat(by, chat_id)
    client_key = (client_key or "")[:CLIENT_KEY_LENGTH]
    if client_key:
        sent = Message.objects.filter(author=by, client_key=client_key).first()
        if sent is not None:
            return sent
    if attachment is not None:
        _check_attachment(attachment)
    text = _clean_text(text, may_be_empty=attachment is not None)
    if reply_to is not None and not Message.objects.filter(pk=reply_to, chat_id=chat_id).exists():
        raise DomainError(_("The message you reply to is not in this chat."))
    try:
        with posting_in_order(chat_id), transaction.atomic():
            message = Message.objects.create(
                chat_id=chat_id,
                author=by,
                text=text,
                text_folded=text.lower(),
                client_key=client_key,
                reply_to_id=reply_to,
                attachment=attachment or "",
                attachment_name=(attachment.name if attachment is not None else "")[:255],
            )
            send_event(group_chat(chat_id), EventType.CHAT_MESSAGE, message_payload(message))
            _notify_mentioned(message)
    except IntegrityError:
        # The same key arrived twice at once (two tabs, a retry): the first one won.
        return Message.objects.get(author=by, client_key=client_key)
    return message


# The first key of the advisory locks that order each chat's posts (the chat id is the second).
CHAT_ORDER_LOCK = 0x0EB1_C4A7


@contextlib.contextmanager
def posting_in_order(chat_id: int):
    """Posts to one chat one at a time, from their INSERT to the end of their publish.

    Ids come from one sequence at INSERT, but each transaction commits and
    publishes in its own time: two members posting at once through two server
    processes could have message 102 reach the sockets before 101, and a socket
    that dropped between the two resumed "after 102" and never got 101. Held
    across the insert, the commit and the publish (commit hooks run before the
    outermost atomic block returns), this lock makes a chat's id order its order
    of delivery, which the resume rule relies on. PostgreSQL: a session advisory
    lock, seen by every process. SQLite: one writer and, embedded, one process
    whose socket work shares one thread, so posts are in order already. Inside an
    outer transaction (which publishes at its own commit) the lock lasts until
    that commit: ids still follow the commit order.
    """
    if connection.vendor != "postgresql":
        yield
        return
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CHAT_ORDER_LOCK, chat_id])
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [CHAT_ORDER_LOCK, chat_id])
    try:
        yield
    finally:
        # A broken connection has released it already; its error is the one to raise.
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [CHAT_ORDER_LOCK, chat_id])


MENTION = re.compile(r"@([\w.@+-]+)")


def _notify_mentioned(message: Message) -> None:
    """Members named as @login in the message get a notification (not the author)."""
    logins = {login.rstrip(".").lower() for login in MENTION.findall(message.text)}
    if not logins:
        return
    mentioned = [
        user_id
        for user_id, username in ChatMember.objects.filter(
            chat_id=message.chat_id, left_at__isnull=True
        ).values_list("user_id", "user__username")
        if username.lower() in logins and user_id != message.author_id
    ]
    if mentioned:
        author = message.author.get_full_name() or message.author.get_username()
        notification_send(
            recipients=mentioned,
            title=_("%(author)s mentioned you in %(chat)s")
            % {"author": author, "chat": message.chat.title},
            body=message.text[:300],
            url=f"/chats/{message.chat_id}/",
        )


def _own_message(by: User, message_id: int, *, moderate: bool = False) -> Message:
    message = Message.objects.select_related("author").filter(pk=message_id).first()
    if message is None:
        raise DomainError(_("The message does not exist."))
    member = access_chat(by, message.chat_id)
    if message.author_id != by.pk:
        if not moderate or member.role != MemberRole.MODERATOR:
            raise DomainError(_("You may change only your own messages."))
        return message
    if timezone.now() - message.created_at > EDIT_WINDOW:
        raise DomainError(
            _("Messages can be changed for %(minutes)d minutes after sending.")
            % {"minutes": EDIT_WINDOW.seconds // 60}
        )
    return message


@transaction.atomic
def message_edit(*, by: User, message_id: int, text: str) -> Message:
    """Change the text of `by`'s own message within the edit window; publish the change."""
    message = _own_message(by, message_id)
    if message.deleted_at is not None:
        raise DomainError(_("The message was deleted."))
    message.text = _clean_text(text)
    message.text_folded = message.text.lower()
    message.edited_at = timezone.now()
    message.save(update_fields=["text", "text_folded", "edited_at"])
    send_event(
        group_chat(message.chat_id), EventType.CHAT_MESSAGE_CHANGED, message_payload(message)
    )
    return message


@transaction.atomic
def message_delete(*, by: User, message_id: int) -> Message:
    """Delete a message: one's own within the edit window, anyone's for a moderator.

    The row stays (replies and the resume order need it) with its text hidden;
    a moderator's removal of someone else's message is audited.
    """
    message = _own_message(by, message_id, moderate=True)
    if message.deleted_at is not None:
        return message
    message.deleted_at = timezone.now()
    message.save(update_fields=["deleted_at"])
    if message.author_id != by.pk:
        audit_record(
            action="chat_message_remove",
            obj=message,
            before={"text": message.text, "author": message.author_id},
            actor=by,
        )
    send_event(
        group_chat(message.chat_id), EventType.CHAT_MESSAGE_CHANGED, message_payload(message)
    )
    return message


@transaction.atomic
def chat_mark_read(*, by: User, chat_id: int, up_to_id: int) -> ChatMember:
    """Remember that `by` has read chat `chat_id` up to message `up_to_id` (never backwards)."""
    member = access_chat(by, chat_id)
    newest = Message.objects.filter(chat_id=chat_id).order_by("-id").values_list("id", flat=True)
    up_to_id = min(up_to_id, newest.first() or 0)
    if up_to_id > member.last_read_id:
        ChatMember.objects.filter(pk=member.pk, last_read_id__lt=up_to_id).update(
            last_read_id=up_to_id
        )
        member.last_read_id = up_to_id
    return member


@transaction.atomic
def private_chat_open(*, by: User, other: User) -> Chat:
    """The private chat of `by` and `other`, created on first use (Http404 if not allowed)."""
    access_private_chat_with(by, other)
    low, high = sorted((by.pk, other.pk))
    title = f"{by.get_full_name() or by.username} — {other.get_full_name() or other.username}"
    chat, created = Chat.objects.get_or_create(
        pair_key=f"{low}:{high}", defaults={"kind": ChatKind.PRIVATE, "title": title}
    )
    if created:
        ChatMember.objects.bulk_create(
            [ChatMember(chat=chat, user_id=low), ChatMember(chat=chat, user_id=high)]
        )
    return chat
