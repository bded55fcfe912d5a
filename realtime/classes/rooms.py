"""The media providers of a process and the routing of their signalling to sockets.

Each process holding built-in rooms has one `BuiltinProvider` with a `Room` per
live class (keyed by the class's room name, "class-<id>"). In the embedded
default that is the ASGI process, so a class's sockets must reach it, which a
single server guarantees; with CLASSES_MEDIA_WORKER on it is the media worker
(`manage.py media_worker`), which the consumers of every web process reach
over the channel layer (realtime.classes.media.client). Either way the
process learns each participant's socket channel at join (`socket_register`)
and sends the rooms' server-initiated offers there (`route_signal`).
"""

from __future__ import annotations

from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings

from realtime.classes.media.builtin import BuiltinProvider
from realtime.classes.media.ice import ice_servers
from realtime.classes.media.livekit import LiveKitProvider
from realtime.classes.media.provider import Choice, MediaProvider, choose_provider

# The channel message a class socket receives for a server-initiated offer.
SIGNAL_MESSAGE_TYPE = "class.signal"

_builtin: BuiltinProvider | None = None
# (room, participant) -> the channel name of that participant's socket.
_sockets: dict[tuple[str, str], str] = {}


def _ice(user: str) -> list[dict[str, Any]]:
    return ice_servers(
        stun_urls=settings.CLASSES_STUN_URLS,
        turn_urls=settings.CLASSES_TURN_URLS,
        turn_secret=settings.CLASSES_TURN_SECRET,
        user=user,
    )


def builtin_provider() -> BuiltinProvider:
    """This process's built-in media server, made on first use from the settings."""
    global _builtin
    if _builtin is None:
        _builtin = BuiltinProvider(
            max_participants=max(1, settings.CLASSES_BUILTIN_MAX),
            ice_servers=_ice("server"),
            browser_ice_servers=_ice,
            on_signal=route_signal,
        )
    return _builtin


def external_provider() -> LiveKitProvider | None:
    """LiveKit when all three of its settings are given, else None."""
    if not (settings.LIVEKIT_URL and settings.LIVEKIT_API_KEY and settings.LIVEKIT_API_SECRET):
        return None
    return LiveKitProvider(
        url=settings.LIVEKIT_URL,
        api_key=settings.LIVEKIT_API_KEY,
        api_secret=settings.LIVEKIT_API_SECRET,
        max_participants=10_000,
    )


def choose(size: int) -> Choice:
    """The provider for a class of `size` participants (teacher included), and why."""
    return choose_provider(size, builtin=builtin_provider(), external=external_provider())


def provider_named(name: str) -> MediaProvider | None:
    """The provider a class was started on (by its stored name), if still configured."""
    if name == BuiltinProvider.name:
        return builtin_provider()
    external = external_provider()
    return external if external is not None and external.name == name else None


def socket_register(room: str, participant: str, channel_name: str) -> None:
    """Server offers for `participant` in `room` go to this socket from now on."""
    _sockets[(room, participant)] = channel_name


def socket_forget(room: str, participant: str, channel_name: str) -> bool:
    """Forget the socket; False (and nothing forgotten) when a newer socket of theirs replaced it."""
    if _sockets.get((room, participant)) == channel_name:
        del _sockets[(room, participant)]
        return True
    return False


async def route_signal(participant: str, message: dict[str, Any]) -> None:
    """Deliver a server-initiated signalling message (a renegotiation offer) to its socket."""
    channel = _sockets.get((message.get("room", ""), participant))
    if channel is not None:
        await get_channel_layer().send(channel, {"type": SIGNAL_MESSAGE_TYPE, "signal": message})


async def room_close(room: str) -> str | None:
    """End a built-in room (idempotent); returns the path of its recording, if one was made."""
    provider = builtin_provider()
    found = provider.rooms.get(room)
    path = await found.stop_recording() if found is not None else None
    await provider.close(room)
    return path


def reset() -> None:
    """Drop this process's providers and sockets (tests change the settings between runs)."""
    global _builtin
    _builtin = None
    _sockets.clear()
