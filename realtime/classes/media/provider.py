"""The media provider interface and the choice between the built-in server and an external SFU.

aiortc decodes and re-encodes video for every viewer (there is no pass-through),
so the built-in server only carries small rooms; beyond its limit a class goes
to an external SFU when one is configured. Nothing here touches the database.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    """Who a participant is in a class: the teacher publishes, students watch unless allowed."""

    TEACHER = "teacher"
    STUDENT = "student"


@dataclass(frozen=True)
class JoinInfo:
    """What the browser needs to join a class's media.

    mode "signalling": talk WebRTC to the built-in server over the project's
    WebSocket, with `ice_servers` as the RTCPeerConnection's iceServers;
    mode "sfu": connect to `url` with `token` using the provider's client SDK.
    """

    provider: str
    mode: str
    room: str
    participant: str
    role: Role
    url: str = ""
    token: str = ""
    ice_servers: list[dict[str, Any]] = field(default_factory=list)
    can_publish: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The JSON-ready form sent to the class page."""
        return {
            "provider": self.provider,
            "mode": self.mode,
            "room": self.room,
            "participant": self.participant,
            "role": str(self.role),
            "url": self.url,
            "token": self.token,
            "ice_servers": self.ice_servers,
            "can_publish": self.can_publish,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JoinInfo:
        """The inverse of as_dict (a media worker's answer to a join)."""
        return cls(**{**data, "role": Role(data["role"])})


class MediaProvider(abc.ABC):
    """A place where a class's audio and video flow: the built-in server or an external SFU."""

    name: str = ""

    def __init__(self, *, max_participants: int) -> None:
        if max_participants < 1:
            raise ValueError("max_participants must be at least 1")
        self.max_participants = max_participants

    @abc.abstractmethod
    async def join(self, room: str, participant: str, role: Role) -> JoinInfo:
        """Admit `participant` to `room` (made on first use); returns what their browser needs."""

    @abc.abstractmethod
    async def close(self, room: str) -> None:
        """End `room`: every participant's media stops. Closing an unknown room does nothing."""


@dataclass(frozen=True)
class Choice:
    """The provider a class of a given size goes to, and why, in words for the teacher."""

    provider: MediaProvider | None
    reason: str | Promise
    builtin: bool


def choose_provider(
    size: int, *, builtin: MediaProvider, external: MediaProvider | None = None
) -> Choice:
    """The built-in server while `size` (teacher included) fits it, else the external SFU if configured.

    Without an external provider a class larger than the built-in limit gets no
    provider: the page says so rather than starting a class that would stall.
    """
    if size <= builtin.max_participants:
        reason = _("This class uses the built-in media server (up to %(limit)d participants).") % {
            "limit": builtin.max_participants
        }
        return Choice(builtin, reason, True)
    if external is not None:
        reason = _(
            "This class has %(size)d participants, more than the built-in media server's "
            "%(limit)d: it uses the external media server %(name)s."
        ) % {"size": size, "limit": builtin.max_participants, "name": external.name}
        return Choice(external, reason, False)
    reason = _(
        "This class has %(size)d participants, more than the built-in media server's "
        "%(limit)d, and no external media server is configured. Reduce the class or ask "
        "the administrator to configure one."
    ) % {"size": size, "limit": builtin.max_participants}
    return Choice(None, reason, False)
