"""`/ws/class/<id>/`: one socket per participant of a live online class.

On connect the socket is authenticated, checked against the class
(permissions.access_class: the lesson's teacher, the students of its group
today), joined to `class.<id>` and its presence recorded (a Participation
span); it then receives `class.joined` with what the browser needs for the
media (JoinInfo: signalling to the built-in server, or an external SFU's URL
and token), who is in, and the recent chat. A stranger is closed with
CLOSE_NOT_MEMBER, a class that is not live with CLOSE_NOT_LIVE.

The client speaks JSON:

    {"type": "signal", "data": {"type": "offer" | "answer" | "ice", ...}}   built-in server only
    {"type": "chat", "text": "…"}
    {"type": "hand", "raised": true}
    {"type": "allow" | "mute" | "remove", "user": 12}                         teacher only
    {"type": "end"}                                                           teacher only
    {"type": "ping"}

and receives `class.signal` (the server's answers and renegotiation offers),
`class.error` (a translated detail), `pong` and the live events of the class
(class.presence, class.hand, class.message, class.moderated, class.ended).

Media: everything this consumer asks of the built-in server (join, signal,
allow/mute/remove, recording, leave, close) goes through a MediaClient
(realtime.classes.media.client). In the embedded default its rooms live in
this process (realtime.classes.rooms) and are called directly; with
CLASSES_MEDIA_WORKER on they live in the media worker (`manage.py
media_worker`), reached over the channel layer with a request per call and an
answer awaited for at most CLASSES_MEDIA_TIMEOUT seconds (then the user gets
`class.error`, never a hang). Either way the server-initiated offers reach
this socket as `class.signal` channel messages (rooms.route_signal). An
external SFU (LiveKit) is called through its provider.
"""

from __future__ import annotations

import logging

from channels.db import database_sync_to_async
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from hub.errors import DomainError
from realtime.classes import actions, rooms
from realtime.classes.media.builtin import BuiltinProvider, MediaError, RoomFull
from realtime.classes.media.client import MediaUnavailable, RoomGone, media_client
from realtime.classes.media.provider import Role
from realtime.classes.models import ClassStatus
from realtime.classes.permissions import access_class
from realtime.classes.selectors import (
    message_payload,
    participant_payload,
    participants,
    recent_messages,
)
from realtime.consumers import CLOSE_UNAUTHENTICATED, Command, CommandConsumer, event_text
from realtime.events import EventType
from realtime.groups import group_class

logger = logging.getLogger(__name__)

# The class does not exist or the user is not one of its members (same code: no probing).
CLOSE_NOT_MEMBER = 4404
# The teacher removed this participant.
CLOSE_REMOVED = 4403
# The class has not started or is over.
CLOSE_NOT_LIVE = 4410
# The media server's room is full.
CLOSE_FULL = 4413

CLASS_EVENTS = {
    EventType.CLASS_PRESENCE,
    EventType.CLASS_HAND,
    EventType.CLASS_MESSAGE,
    EventType.CLASS_MODERATED,
    EventType.CLASS_ENDED,
    EventType.CLASS_STARTED,
}
MODERATION = {
    "allow": actions.participant_allow,
    "mute": actions.participant_mute,
    "remove": actions.participant_remove,
}


class ClassConsumer(CommandConsumer):
    # ICE candidates come in bursts at the start; a person chats and raises hands slowly.
    rate_limit = 200
    rate_window = 10.0

    online_class = None
    role: Role | None = None
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        # Accept first, then close: a refused handshake reaches the browser as 1006.
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        class_id = self.scope["url_route"]["kwargs"]["class_id"]
        try:
            online_class, role = await _access(user, class_id)
        except Http404:
            await self.close(code=CLOSE_NOT_MEMBER)
            return
        if online_class.status != ClassStatus.LIVE:
            await self.close(code=CLOSE_NOT_LIVE)
            return
        self.user, self.online_class, self.role = user, online_class, role
        self.participant = str(user.pk)
        self.group = group_class(online_class.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        with translation.override(getattr(user, "language", None)):
            await self.join()

    async def join(self) -> None:
        try:
            span = await database_sync_to_async(actions.class_join)(
                by=self.user, online_class=self.online_class
            )
        except DomainError:
            await self.close(code=CLOSE_NOT_LIVE)
            return
        room = self.online_class.room_name
        try:
            if _builtin(self.online_class):
                record = self.online_class.record and self.role == Role.TEACHER
                info = await media_client().join(
                    room,
                    self.participant,
                    self.role,
                    channel=self.channel_name,
                    record_to=await _recording_path(self.online_class) if record else None,
                    allowed=span.allowed_to_speak,
                )
            else:
                rooms.socket_register(room, self.participant, self.channel_name)
                provider = rooms.provider_named(self.online_class.provider)
                if provider is None:
                    raise MediaError("provider not configured")
                info = await provider.join(room, self.participant, self.role, name=_name(self.user))
        except RoomFull:
            await self.close(code=CLOSE_FULL)
            return
        except Exception as error:
            if isinstance(error, MediaUnavailable):
                logger.warning("class %s: the media worker did not answer", self.online_class.pk)
            else:
                logger.exception("class %s: media join failed", self.online_class.pk)
            await self.error(_("The media server is not available. Try again in a minute."))
            await self.close(code=CLOSE_NOT_LIVE)
            return
        who, messages = await _state(self.online_class)
        await self.send_json(
            {
                "type": "class.joined",
                "data": {
                    "class": self.online_class.pk,
                    "role": str(self.role),
                    "user": self.user.pk,
                    "join": info.as_dict(),
                    "participants": who,
                    "messages": messages,
                },
            }
        )

    async def disconnect(self, code: int) -> None:
        if self.group is None:
            return
        await self.channel_layer.group_discard(self.group, self.channel_name)
        self.group = None
        room = self.online_class.room_name
        # A newer socket of the same person (a reconnect) took over: leave it in.
        if _builtin(self.online_class):
            try:
                left = await media_client().leave(room, self.participant, self.channel_name)
            except MediaError:
                # The media server is gone or silent: the span ends with the socket.
                logger.warning("class %s: media leave failed", self.online_class.pk)
                left = True
        else:
            left = rooms.socket_forget(room, self.participant, self.channel_name)
        if left:
            await database_sync_to_async(actions.class_leave)(
                by=self.user, online_class=self.online_class
            )

    def commands(self) -> dict[str, Command]:
        return {
            "signal": lambda content: self.signal(content.get("data")),
            "chat": lambda content: self.act(
                actions.class_message_post, text=str(content.get("text") or "")
            ),
            "hand": lambda content: self.act(
                actions.hand_raise if content.get("raised") else actions.hand_lower
            ),
            "allow": lambda content: self.moderate("allow", content.get("user")),
            "mute": lambda content: self.moderate("mute", content.get("user")),
            "remove": lambda content: self.moderate("remove", content.get("user")),
            "end": lambda content: self.act(actions.class_end),
        }

    # --- client messages ---------------------------------------------------------------

    async def signal(self, data) -> None:
        if not isinstance(data, dict) or not _builtin(self.online_class):
            return
        try:
            reply = await media_client().signal(self.online_class.room_name, self.participant, data)
        except RoomGone:
            await self.error(_("The class's media has stopped. Reload the page."))
            return
        except MediaUnavailable:
            logger.warning("class %s: the media worker did not answer", self.online_class.pk)
            await self.error(_("The media server is not available. Try again in a minute."))
            return
        except MediaError as error:
            logger.info("class %s: signalling refused: %s", self.online_class.pk, error)
            await self.error(_("The connection could not be set up. Reload the page."))
            return
        if reply is not None:
            await self.send_json({"type": "class.signal", "data": reply})

    async def act(self, action, **fields) -> None:
        try:
            await database_sync_to_async(action)(
                by=self.user, online_class=self.online_class, **fields
            )
        except DomainError as error:
            await self.error(str(error))

    async def moderate(self, kind: str, user_id) -> None:
        if self.role != Role.TEACHER or not isinstance(user_id, int):
            await self.error(_("Only the teacher of the lesson can do this."))
            return
        try:
            await database_sync_to_async(MODERATION[kind])(
                by=self.user, online_class=self.online_class, user_id=user_id
            )
        except DomainError as error:
            await self.error(str(error))
            return
        await _media_moderate(self.online_class, kind, str(user_id))

    async def error(self, detail: str) -> None:
        await self.send_json({"type": "class.error", "data": {"detail": detail}})

    # --- messages from the channel layer ---------------------------------------------

    async def class_signal(self, message: dict) -> None:
        """A server-initiated offer of the built-in room, routed here by rooms.route_signal."""
        await self.send_json({"type": "class.signal", "data": message["signal"]})

    async def live_event(self, message: dict) -> None:
        event = message["event"]
        kind, data = event.get("type"), event.get("data", {})
        if kind not in CLASS_EVENTS:
            return
        await self.send(text_data=event_text(message))
        if kind == EventType.CLASS_MODERATED and data.get("user") == self.user.pk:
            if data.get("action") == "remove":
                await self.close(code=CLOSE_REMOVED)
        elif kind == EventType.CLASS_ENDED:
            await _media_close(self.online_class)
            await self.close(code=CLOSE_NOT_LIVE)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _builtin(online_class) -> bool:
    """Whether the class's media is on the built-in server (in this process or the media worker)."""
    return online_class.provider == BuiltinProvider.name


async def _media_moderate(online_class, kind: str, participant: str) -> None:
    """Apply the teacher's command to the media: the built-in room, or LiveKit's API."""
    room = online_class.room_name
    try:
        if _builtin(online_class):
            await media_client().moderate(room, participant, kind)
            return
        provider = rooms.provider_named(online_class.provider)
        if provider is not None:
            if kind == "remove":
                await provider.remove(room, participant)
            else:
                await provider.allow(room, participant, allowed=kind == "allow")
    except Exception:
        # The span is already changed and the socket told; the media follows on rejoin.
        logger.exception("class %s: media %s of %s failed", online_class.pk, kind, participant)


async def _media_close(online_class) -> None:
    """End the class's media room (idempotent: every socket of the class calls it)."""
    try:
        if _builtin(online_class):
            path = await media_client().close(online_class.room_name)
            if path:
                await _attach(online_class, path)
            return
        provider = rooms.provider_named(online_class.provider)
        if provider is not None:
            await provider.close(online_class.room_name)
    except Exception:
        logger.exception("class %s: closing the media room failed", online_class.pk)


@database_sync_to_async
def _access(user, class_id: int):
    return access_class(user, class_id)


@database_sync_to_async
def _state(online_class) -> tuple[list[dict], list[dict]]:
    who = [participant_payload(span) for span in participants(online_class)]
    return who, [message_payload(m) for m in recent_messages(online_class)]


@database_sync_to_async
def _recording_path(online_class) -> str:
    from django.conf import settings

    folder = settings.MEDIA_ROOT / "classes" / "recordings"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / f"class-{online_class.pk}.mp4")


@database_sync_to_async
def _attach(online_class, path: str) -> None:
    from pathlib import Path

    from django.conf import settings

    relative = Path(path).relative_to(settings.MEDIA_ROOT).as_posix()
    actions.class_recording_attach(online_class=online_class, name=relative)
