"""What the class consumer asks of the built-in media server, in the server process or in the media worker.

`media_client()` picks by CLASSES_MEDIA_WORKER:

- off (the embedded default): `InProcessMedia`, the rooms live in this ASGI
  process (realtime.classes.rooms) and are called directly. A class's sockets
  must then reach one process, which a single server guarantees.
- on: `ChannelMedia`, every request goes over the channel layer to the media
  worker (`manage.py media_worker`, realtime.classes.media.worker), which holds
  the rooms; any web process can serve any socket of a class.

A request is a channel message on MEDIA_CHANNEL:

    {"type": "media.request", "id": "<hex>", "reply_to": "<channel>", "deadline": <unix time>,
     "op": "join" | "signal" | "moderate" | "leave" | "close", "args": {...}}

and its answer, sent to `reply_to` (a channel of its own per request, so the
waiting consumer does not have to dispatch it):

    {"type": "media.reply", "id": "<hex>", "ok": true, "result": ...}
    {"type": "media.reply", "id": "<hex>", "ok": false, "error": "full" | "gone" | ..., "detail": "..."}

The server-initiated offers do not come back this way: the worker learns each
participant's socket channel at `join` and sends them there as `class.signal`
(rooms.route_signal), as the in-process rooms do. With no answer within
CLASSES_MEDIA_TIMEOUT seconds a request raises MediaUnavailable.
"""

from __future__ import annotations

import abc
import asyncio
import dataclasses
import time
import uuid
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings

from realtime.classes.media.builtin import MediaError, NotInRoom, RoomFull
from realtime.classes.media.provider import JoinInfo, Role

# The channel the media worker consumes.
MEDIA_CHANNEL = "classes-media"
REQUEST_TYPE = "media.request"
REPLY_TYPE = "media.reply"
MODERATION_KINDS = ("allow", "mute", "remove")


class RoomGone(MediaError):
    """The class's room is not on the media server (it ended, or the worker restarted)."""


class MediaUnavailable(MediaError):
    """The media worker did not answer in time."""


class MediaFailed(MediaError):
    """The media server failed on the request (its log says why)."""


# Error codes of a worker's reply <-> the exceptions raised to the caller.
ERRORS: dict[str, type[MediaError]] = {
    "full": RoomFull,
    "gone": RoomGone,
    "not_in_room": NotInRoom,
    "refused": MediaError,
    "failed": MediaFailed,
}


def error_code(error: BaseException) -> str:
    """The reply's code for `error` (the most specific class first)."""
    for code, kind in ERRORS.items():
        if kind is not MediaError and isinstance(error, kind):
            return code
    return "refused" if isinstance(error, MediaError) else "failed"


class MediaClient(abc.ABC):
    """The built-in server's rooms as the class consumer uses them; rooms are named "class-<id>"."""

    @abc.abstractmethod
    async def join(
        self,
        room: str,
        participant: str,
        role: Role | str,
        *,
        channel: str,
        record_to: str | None = None,
        allowed: bool = False,
    ) -> JoinInfo:
        """Admit `participant` whose socket is `channel`; `record_to` starts recording the teacher
        there once they publish; `allowed` lets a student publish from the start (the answer's
        can_publish then says so to their page). Raises RoomFull."""

    @abc.abstractmethod
    async def signal(self, room: str, participant: str, data: dict[str, Any]) -> dict | None:
        """One signalling message from the participant; the answer to send back, if any.

        Raises RoomGone when the room is not live, MediaError when the message is refused."""

    @abc.abstractmethod
    async def moderate(self, room: str, participant: str, kind: str) -> None:
        """Apply the teacher's "allow", "mute" or "remove"; nothing when they are not in the room."""

    @abc.abstractmethod
    async def leave(self, room: str, participant: str, channel: str) -> bool:
        """The socket `channel` closed: drop the participant's media, unless a newer socket of
        theirs took over (then False, and nothing changes)."""

    @abc.abstractmethod
    async def close(self, room: str) -> str | None:
        """End the room (idempotent); the path of its recording, to the first caller only."""


class InProcessMedia(MediaClient):
    """The rooms of this process (the embedded default, and what the media worker runs)."""

    async def join(self, room, participant, role, *, channel, record_to=None, allowed=False):
        from realtime.classes import rooms

        rooms.socket_register(room, participant, channel)
        provider = rooms.builtin_provider()
        info = await provider.join(room, participant, Role(role))
        if record_to:
            provider.room(room).record_to = record_to
        if allowed:
            # A student the teacher allowed before a reconnect: the page publishes again at once.
            await provider.room(room).allow(participant)
            info = dataclasses.replace(info, can_publish=True)
        return info

    async def signal(self, room, participant, data):
        from realtime.classes import rooms

        found = rooms.builtin_provider().rooms.get(room)
        if found is None:
            raise RoomGone(f"room {room} is not live")
        return await found.signal(participant, data)

    async def moderate(self, room, participant, kind):
        from realtime.classes import rooms

        if kind not in MODERATION_KINDS:
            raise MediaError(f"unknown moderation {kind!r}")
        found = rooms.builtin_provider().rooms.get(room)
        if found is None or participant not in found.participants:
            return
        if kind == "remove":
            await found.remove(participant)
        else:
            await found.allow(participant, allowed=kind == "allow")

    async def leave(self, room, participant, channel):
        from realtime.classes import rooms

        if not rooms.socket_forget(room, participant, channel):
            return False
        found = rooms.builtin_provider().rooms.get(room)
        if found is not None:
            await found.remove(participant)
        return True

    async def close(self, room):
        from realtime.classes import rooms

        return await rooms.room_close(room)


class ChannelMedia(MediaClient):
    """The rooms of the media worker, reached over the channel layer."""

    def __init__(self, *, timeout: float, channel: str = MEDIA_CHANNEL) -> None:
        self.timeout = timeout
        self.channel = channel

    async def request(self, op: str, **args: Any) -> Any:
        """Send one request and wait for its answer; raises the worker's error, or MediaUnavailable."""
        layer = get_channel_layer()
        reply_to = await layer.new_channel()
        request_id = uuid.uuid4().hex
        await layer.send(
            self.channel,
            {
                "type": REQUEST_TYPE,
                "id": request_id,
                "reply_to": reply_to,
                # A worker that comes back later skips what nobody waits for any more.
                "deadline": time.time() + self.timeout,
                "op": op,
                "args": args,
            },
        )
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    reply = await layer.receive(reply_to)
                    if reply.get("type") == REPLY_TYPE and reply.get("id") == request_id:
                        break
        except TimeoutError:
            raise MediaUnavailable(f"no answer to {op} within {self.timeout} s") from None
        if not reply.get("ok"):
            kind = ERRORS.get(reply.get("error"), MediaFailed)
            raise kind(reply.get("detail") or op)
        return reply.get("result")

    async def join(self, room, participant, role, *, channel, record_to=None, allowed=False):
        info = await self.request(
            "join",
            room=room,
            participant=participant,
            role=str(role),
            channel=channel,
            record_to=record_to,
            allowed=allowed,
        )
        return JoinInfo.from_dict(info)

    async def signal(self, room, participant, data):
        return await self.request("signal", room=room, participant=participant, data=data)

    async def moderate(self, room, participant, kind):
        await self.request("moderate", room=room, participant=participant, kind=kind)

    async def leave(self, room, participant, channel):
        return bool(
            await self.request("leave", room=room, participant=participant, channel=channel)
        )

    async def close(self, room):
        return await self.request("close", room=room)


def media_client() -> MediaClient:
    """The media worker over the channel layer when CLASSES_MEDIA_WORKER is on, else this process."""
    if settings.CLASSES_MEDIA_WORKER:
        return ChannelMedia(timeout=settings.CLASSES_MEDIA_TIMEOUT)
    return InProcessMedia()
