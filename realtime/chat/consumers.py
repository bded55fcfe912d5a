"""`/ws/chat/`: one socket per page for every chat the user opens.

The client speaks JSON:

    {"type": "subscribe", "chat": 7, "after": 120}    join chat 7, replay messages after 120
    {"type": "send", "chat": 7, "text": "…", "key": "uuid", "reply_to": 118}
    {"type": "edit", "message": 131, "text": "…"}     one's own, within the edit window
    {"type": "delete", "message": 131}                one's own, or anyone's for a moderator
    {"type": "read", "chat": 7, "up_to": 131}
    {"type": "typing", "chat": 7}
    {"type": "ping"}

and receives `chat.subscribed`, `chat.message`, `chat.message_changed`,
`chat.ack` (key and id: the message is stored), `chat.error` (key and a
translated detail), `chat.typing`, `chat.membership` and `pong`. Every check
is the app's permissions; every write is an action (stored before it is
acknowledged). Leaving a chat (the records moved the student) unsubscribes at once.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.http import Http404
from django.utils.translation import gettext as _

from hub.errors import DomainError
from realtime.chat import actions
from realtime.chat.models import Message
from realtime.chat.permissions import membership
from realtime.chat.selectors import message_payload, messages_after
from realtime.consumers import CLOSE_UNAUTHENTICATED, Command, CommandConsumer, event_text
from realtime.db import parallel_database
from realtime.events import EventType
from realtime.groups import group_chat, group_user


class ChatConsumer(CommandConsumer):
    # A person types fast, but not sixty messages in ten seconds.
    rate_limit = 60
    rate_window = 10.0

    async def connect(self) -> None:
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.chats: set[int] = set()
        self.replayed_up_to: dict[int, int] = {}
        await self.channel_layer.group_add(group_user(user.pk), self.channel_name)

    async def disconnect(self, code: int) -> None:
        if self.user is None:
            return
        await self.channel_layer.group_discard(group_user(self.user.pk), self.channel_name)
        for chat_id in list(self.chats):
            await self.channel_layer.group_discard(group_chat(chat_id), self.channel_name)
        self.chats.clear()

    def commands(self) -> dict[str, Command]:
        return {
            "subscribe": self.subscribe,
            "send": self.send_message,
            "read": self.mark_read,
            "typing": self.typing,
            "edit": self.edit_message,
            "delete": self.delete_message,
        }

    # --- client messages ---------------------------------------------------------------

    async def subscribe(self, content: dict) -> None:
        chat_id, after = _int(content.get("chat")), _int(content.get("after"), default=0)
        if chat_id is None:
            await self.error(content, _("This chat is not available."))
            return
        joining = chat_id not in self.chats
        if joining:
            # Join before reading the backlog: nothing published in between is lost,
            # and what arrives twice is dropped by replayed_up_to. Until the check
            # below passes, the chat's events are not forwarded (live_event).
            await self.channel_layer.group_add(group_chat(chat_id), self.channel_name)
        caught_up = await _catch_up(self.user, chat_id, after)
        if caught_up is None:
            if joining:
                await self.channel_layer.group_discard(group_chat(chat_id), self.channel_name)
            await self.error(content, _("This chat is not available."))
            return
        self.chats.add(chat_id)
        missed, newest = caught_up
        # A client's `after` beyond the newest message (a stale or foreign id) must
        # not hide the messages still to come.
        self.replayed_up_to[chat_id] = missed[-1]["id"] if missed else min(after, newest)
        for payload in missed:
            await self.send_event(EventType.CHAT_MESSAGE, payload)
        await self.send_json(
            {
                "type": "chat.subscribed",
                "data": {"chat": chat_id, "last_id": self.replayed_up_to[chat_id]},
            }
        )

    async def send_message(self, content: dict) -> None:
        key = str(content.get("key") or "")[:64]
        chat_id = _int(content.get("chat"))
        try:
            message = await _post(
                self.user,
                chat_id,
                str(content.get("text") or ""),
                key,
                _int(content.get("reply_to")),
            )
        except (DomainError, Http404, TypeError) as error:
            detail = (
                str(error) if isinstance(error, DomainError) else _("This chat is not available.")
            )
            await self.error(content, detail)
            return
        await self.send_json(
            {"type": "chat.ack", "data": {"key": key, "id": message.pk, "chat": message.chat_id}}
        )

    async def edit_message(self, content: dict) -> None:
        await self._change(content, actions.message_edit, text=str(content.get("text") or ""))

    async def delete_message(self, content: dict) -> None:
        await self._change(content, actions.message_delete)

    async def _change(self, content: dict, action, **fields) -> None:
        # The change reaches every member (the sender too) as chat.message_changed.
        message_id = _int(content.get("message"))
        try:
            await database_sync_to_async(action)(by=self.user, message_id=message_id, **fields)
        except (DomainError, Http404) as error:
            detail = (
                str(error) if isinstance(error, DomainError) else _("This chat is not available.")
            )
            await self.error(content, detail)

    async def mark_read(self, content: dict) -> None:
        chat_id, up_to = _int(content.get("chat")), _int(content.get("up_to"), default=0)
        try:
            await database_sync_to_async(actions.chat_mark_read)(
                by=self.user, chat_id=chat_id, up_to_id=up_to
            )
        except (Http404, TypeError):
            await self.error(content, _("This chat is not available."))

    async def typing(self, content: dict) -> None:
        chat_id = _int(content.get("chat"))
        if chat_id in self.chats:
            # Ephemeral: nothing is stored, a missed "is typing" matters to no one.
            await self.channel_layer.group_send(
                group_chat(chat_id),
                {
                    "type": "live.event",
                    "event": {
                        "type": EventType.CHAT_TYPING.value,
                        "data": {
                            "chat": chat_id,
                            "user": self.user.pk,
                            "name": self.user.get_full_name() or self.user.get_username(),
                        },
                    },
                },
            )

    async def error(self, content: dict, detail: str) -> None:
        data = {"key": str(content.get("key") or ""), "chat": content.get("chat"), "detail": detail}
        await self.send_json({"type": "chat.error", "data": data})

    # --- events from the channel layer ----------------------------------------------

    async def live_event(self, message: dict) -> None:
        event = message["event"]
        data = event.get("data", {})
        kind = event.get("type")
        if kind == EventType.CHAT_MESSAGE and data.get("id", 0) <= self.replayed_up_to.get(
            data.get("chat"), 0
        ):
            return
        if kind == EventType.CHAT_TYPING and data.get("user") == self.user.pk:
            return
        if kind == EventType.CHAT_MEMBERSHIP and data.get("status") == "left":
            chat_id = data.get("chat")
            if chat_id in self.chats:
                await self.channel_layer.group_discard(group_chat(chat_id), self.channel_name)
                self.chats.discard(chat_id)
        if kind in CHAT_IN_CHAT_EVENTS and data.get("chat") not in self.chats:
            return  # a chat this socket is still joining, or was refused
        if kind in CHAT_EVENTS:
            await self.send(text_data=event_text(message))

    async def send_event(self, event_type: EventType, data: dict) -> None:
        await self.send_json({"type": event_type.value, "data": data})


# Events published to a chat's group (the others come through the user's own group).
CHAT_IN_CHAT_EVENTS = {
    EventType.CHAT_MESSAGE,
    EventType.CHAT_MESSAGE_CHANGED,
    EventType.CHAT_TYPING,
}
CHAT_EVENTS = {
    EventType.CHAT_MESSAGE,
    EventType.CHAT_MESSAGE_CHANGED,
    EventType.CHAT_TYPING,
    EventType.CHAT_MEMBERSHIP,
}


def _int(value, default: int | None = None) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number >= 0 else default


@parallel_database
def _catch_up(user, chat_id: int, after: int) -> tuple[list[dict], int] | None:
    """The messages after `after` and the chat's newest id, or None if `user` is not a member.

    One call for the membership check and the backlog: a reconnecting socket
    waits for the database once.
    """
    if membership(user, chat_id) is None:
        return None
    missed = [message_payload(m) for m in messages_after(chat_id, after)]
    if missed:  # the newest id only matters when nothing was missed
        return missed, missed[-1]["id"]
    newest = Message.objects.filter(chat_id=chat_id).order_by("-id").values_list("id", flat=True)
    return missed, newest.first() or 0


@parallel_database
def _post(user, chat_id, text, key, reply_to):
    if chat_id is None:
        raise TypeError("chat")
    return actions.message_post(
        by=user, chat_id=chat_id, text=text, client_key=key, reply_to=reply_to
    )
