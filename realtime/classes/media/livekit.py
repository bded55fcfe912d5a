"""LiveKit as the external SFU for classes larger than the built-in server carries.

LiveKit forwards packets without re-encoding, so one server holds hundreds of
viewers. The browser connects to LiveKit itself with an access token made
here; the rooms are created and removed through LiveKit's server API (Twirp:
POST {url}/twirp/livekit.RoomService/<Method>, JSON body, "Authorization:
Bearer <token>" whose video grant holds the permission the method needs).

Access tokens are JWTs signed HS256 with the API secret: iss = API key, sub =
the participant's identity, name, nbf/exp, and the "video" grant (room,
roomJoin, canPublish, canSubscribe, canPublishData; roomCreate / roomAdmin for
the server's own calls). Built with hmac here: no JWT library is needed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx

from realtime.classes.media.provider import JoinInfo, MediaProvider, Role

SERVICE = "/twirp/livekit.RoomService/"
TOKEN_TTL = 6 * 3600  # a class's length with margin: expiry only stops new connections
SERVER_TOKEN_TTL = 600


class LiveKitError(Exception):
    """LiveKit's server API refused a call or could not be reached."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwt_hs256(claims: dict[str, Any], secret: str) -> str:
    """A compact JWT of `claims` signed with HMAC-SHA256 (RFC 7519 / 7515)."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def access_token(
    *,
    api_key: str,
    api_secret: str,
    identity: str,
    grant: dict[str, Any],
    name: str = "",
    ttl: int = TOKEN_TTL,
    now: float | None = None,
) -> str:
    """A LiveKit access token for `identity` with the video `grant`, valid from now for `ttl` seconds."""
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        "iss": api_key,
        "sub": identity,
        "nbf": issued,
        "exp": issued + ttl,
        "video": grant,
    }
    if name:
        claims["name"] = name
    return jwt_hs256(claims, api_secret)


def join_grant(room: str, *, can_publish: bool) -> dict[str, Any]:
    """The video grant of a class participant: join `room`, watch, chat; publish when allowed."""
    return {
        "room": room,
        "roomJoin": True,
        "canPublish": can_publish,
        "canSubscribe": True,
        "canPublishData": True,
    }


class LiveKitProvider(MediaProvider):
    """Classes on a LiveKit server (self-hosted or cloud), configured by URL, API key and secret."""

    name = "LiveKit"

    def __init__(
        self,
        *,
        url: str,
        api_key: str,
        api_secret: str,
        max_participants: int,
        client_url: str = "",
        empty_timeout: int = 300,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(max_participants=max_participants)
        self.url = url.rstrip("/")
        # The browser's SDK wants the WebSocket form of the same host.
        self.client_url = client_url or self.url.replace("https://", "wss://", 1).replace(
            "http://", "ws://", 1
        )
        self.api_key = api_key
        self.api_secret = api_secret
        self.empty_timeout = empty_timeout
        self.timeout = timeout
        self.transport = transport
        self.created: set[str] = set()

    def token(self, room: str, participant: str, role: Role, *, name: str = "") -> str:
        """The join token of a participant: the teacher publishes, students only once allowed."""
        grant = join_grant(room, can_publish=Role(role) == Role.TEACHER)
        if Role(role) == Role.TEACHER:
            grant["roomAdmin"] = True  # mute and remove from the LiveKit client too
        return access_token(
            api_key=self.api_key,
            api_secret=self.api_secret,
            identity=participant,
            name=name,
            grant=grant,
        )

    async def join(self, room: str, participant: str, role: Role, *, name: str = "") -> JoinInfo:
        """Create the room on first use (so its size limit holds) and hand out a join token."""
        if room not in self.created:
            await self.create_room(room)
        return JoinInfo(
            provider=self.name,
            mode="sfu",
            room=room,
            participant=participant,
            role=Role(role),
            url=self.client_url,
            token=self.token(room, participant, role, name=name),
            can_publish=Role(role) == Role.TEACHER,
        )

    async def close(self, room: str) -> None:
        """Delete the room on LiveKit: everyone in it is disconnected."""
        await self.call("DeleteRoom", {"room": room}, {"roomCreate": True})
        self.created.discard(room)

    async def create_room(self, room: str) -> dict[str, Any]:
        """CreateRoom (idempotent on LiveKit: an existing room is returned as it is)."""
        body = {
            "name": room,
            "empty_timeout": self.empty_timeout,
            "max_participants": self.max_participants,
        }
        found = await self.call("CreateRoom", body, {"roomCreate": True})
        self.created.add(room)
        return found

    async def allow(self, room: str, participant: str, *, allowed: bool = True) -> None:
        """Let a student publish (or stop them) in a running room."""
        permission = {"canPublish": allowed, "canSubscribe": True, "canPublishData": True}
        body = {"room": room, "identity": participant, "permission": permission}
        await self.call("UpdateParticipant", body, {"roomAdmin": True, "room": room})

    async def remove(self, room: str, participant: str) -> None:
        """Disconnect a participant (the teacher removed them)."""
        body = {"room": room, "identity": participant}
        await self.call("RemoveParticipant", body, {"roomAdmin": True, "room": room})

    async def call(
        self, method: str, body: dict[str, Any], grant: dict[str, Any]
    ) -> dict[str, Any]:
        """POST one RoomService method with a short-lived server token carrying `grant`."""
        token = access_token(
            api_key=self.api_key,
            api_secret=self.api_secret,
            identity="ebilim-server",
            grant=grant,
            ttl=SERVER_TOKEN_TTL,
        )
        headers = {"Authorization": f"Bearer {token}"}
        try:
            async with httpx.AsyncClient(timeout=self.timeout, transport=self.transport) as client:
                response = await client.post(
                    self.url + SERVICE + method, json=body, headers=headers
                )
        except httpx.HTTPError as error:
            raise LiveKitError(f"LiveKit {method}: {error}") from error
        if response.status_code != 200:
            raise LiveKitError(
                f"LiveKit {method}: HTTP {response.status_code} {response.text[:200]}"
            )
        return response.json() if response.content else {}
