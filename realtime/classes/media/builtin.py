"""The built-in media server: one aiortc peer connection per participant, tracks fanned out by MediaRelay.

A `Room` holds the teacher (camera, microphone and optionally the screen as a
second video track) and the students, who watch and may publish their own
microphone and camera once the teacher allows them. Every frame that reaches a
viewer is decoded once from its publisher and re-encoded for that viewer:
aiortc has no pass-through, so a room's cost grows with its size and one
process serves only small rooms (see tests/bench/online_class.py).

Signalling is plain dicts, so a Channels consumer (or anything else) carries it:

    client -> room.signal(p, {"type": "offer", "sdp": ..., "sources": {mid: "screen"}})
                                    -> {"type": "answer", "sdp": ..., "tracks": {...}}
    client -> room.signal(p, {"type": "answer", "sdp": ...})      (to a server offer)
    client -> room.signal(p, {"type": "ice", "candidate": "candidate:...", "sdpMid": "0"})
    server -> on_signal(p, {"type": "offer", "sdp": ..., "tracks": {...}})

"tracks" maps each mid the server sends on to {"participant", "source"} so the
page knows which video is the teacher's camera and which the screen. The
server gathers its ICE candidates before answering (aiortc does not trickle):
its answers and offers carry them all. Nothing here touches the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiortc import (
    MediaStreamTrack,
    RTCBundlePolicy,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.contrib.media import MediaRecorder, MediaRelay
from aiortc.exceptions import InvalidStateError
from aiortc.mediastreams import MediaStreamError
from aiortc.sdp import SessionDescription, candidate_from_sdp

from realtime.classes.media.provider import JoinInfo, MediaProvider, Role

logger = logging.getLogger(__name__)

Signal = Callable[[str, dict[str, Any]], Awaitable[None]]

CAMERA = "camera"
SCREEN = "screen"
MICROPHONE = "microphone"


class MediaError(Exception):
    """A signalling request the room refuses; the message is safe to show the sender."""


class NotInRoom(MediaError):
    """The sender is not (or no longer) a participant of the room."""


class RoomFull(MediaError):
    """The room already holds its maximum number of participants."""


def rtc_configuration(ice_servers: Iterable[dict[str, Any]] = ()) -> RTCConfiguration:
    """aiortc's configuration from browser-style entries {"urls", "username"?, "credential"?}.

    With no entries aiortc uses host candidates only, which is what a LAN needs.
    Every m-line goes on one transport (max-bundle), as browsers offer: with
    aiortc's default ("balanced") the second video of an offer whose first
    m-line is audio (Chrome's order: microphone, camera, screen) stays on a
    transport that never connects, and the teacher's screen never arrives.
    """
    servers = [
        RTCIceServer(
            urls=entry["urls"],
            username=entry.get("username"),
            credential=entry.get("credential"),
        )
        for entry in ice_servers
    ]
    return RTCConfiguration(iceServers=servers, bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)


class PeerConnection(RTCPeerConnection):
    """aiortc's connection whose renegotiation offers keep what the browser negotiated.

    aiortc's createOffer numbers every m-line with its own payload types and
    header-extension ids, also those already negotiated on the browser's
    numbering (the browser offered first). Chrome refuses an offer that
    renumbers an m-line it sends on ("RTP extension ID reassignment not
    supported"): the teacher's page, or an allowed student's, would never take
    the server's offer of another participant's tracks. Here every m-line of a
    kind already negotiated, old and new alike (one BUNDLE, one numbering), is
    offered with the negotiated codecs and extensions.
    """

    async def createOffer(self) -> RTCSessionDescription:
        negotiated: dict[str, tuple[list, list]] = {}
        for t in self.getTransceivers():
            if t.mid is not None and t._codecs and t.kind not in negotiated:
                negotiated[t.kind] = (list(t._codecs), list(t._headerExtensions))
        offer = await super().createOffer()
        if not negotiated:
            return offer
        description = SessionDescription.parse(offer.sdp)
        for media in description.media:
            if media.kind not in negotiated:
                continue
            codecs, extensions = negotiated[media.kind]
            media.rtp.codecs, media.rtp.headerExtensions = list(codecs), list(extensions)
            media.fmt = [codec.payloadType for codec in codecs]
        for t in self.getTransceivers():
            if t.kind in negotiated:
                t._codecs, t._headerExtensions = (list(x) for x in negotiated[t.kind])
        return RTCSessionDescription(sdp=str(description), type="offer")


class GatedTrack(MediaStreamTrack):
    """A viewer's copy of a source that drops the frames while the source is muted.

    Frames keep being read while muted so nothing piles up in the relay; on
    unmute the viewer gets the next live frame, not stale ones.
    """

    def __init__(self, source: Source, proxy: MediaStreamTrack) -> None:
        super().__init__()
        self.kind = proxy.kind
        self._source = source
        self._proxy = proxy

    async def recv(self):
        while True:
            frame = await self._proxy.recv()
            if not self._source.muted:
                return frame

    def stop(self) -> None:
        super().stop()
        self._proxy.stop()


@dataclass(eq=False)
class Source:
    """One incoming track of a participant (camera, screen or microphone)."""

    participant: str
    name: str
    track: MediaStreamTrack
    muted: bool = False
    drain: asyncio.Task | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.participant, self.name)

    @property
    def kind(self) -> str:
        return self.track.kind


@dataclass(eq=False)
class Participant:
    """A member of the room: their peer connection, their sources and what they receive."""

    name: str
    role: Role
    allowed: bool = False
    pc: RTCPeerConnection | None = None
    sources: dict[str, Source] = field(default_factory=dict)
    senders: dict[tuple[str, str], RTCRtpSender] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    needs_offer: bool = False
    offered_sources: dict[str, str] = field(default_factory=dict)

    @property
    def publishes(self) -> bool:
        """Whether this participant's tracks go to the others: the teacher's always, a student's when allowed."""
        return self.role == Role.TEACHER or self.allowed


async def _drain(track: MediaStreamTrack) -> None:
    # The source is read even when nobody watches it, so the decoded frames
    # do not accumulate in the receiving track's queue.
    with contextlib.suppress(MediaStreamError):
        while True:
            await track.recv()


class Room:
    """One class's media: who is in it, who publishes, and the relay between them.

    The room trusts its caller: who may join, allow, mute or remove is decided
    before (realtime permissions, in the class consumer), not here.
    """

    def __init__(
        self,
        name: str,
        *,
        ice_servers: Iterable[dict[str, Any]] = (),
        on_signal: Signal | None = None,
        max_participants: int | None = None,
        record_to: str | None = None,
    ) -> None:
        self.name = name
        self.ice_servers = list(ice_servers)
        self.on_signal = on_signal
        self.max_participants = max_participants
        self.record_to = record_to
        self.relay = MediaRelay()
        self.participants: dict[str, Participant] = {}
        self.recorder: MediaRecorder | None = None
        self.recording_path: str | None = None
        self._tasks: set[asyncio.Future] = set()

    # -- membership -------------------------------------------------------

    async def join(self, participant: str, role: Role) -> None:
        """Admit `participant`; a rejoin replaces their previous connection. Raises RoomFull."""
        if participant in self.participants:
            await self.remove(participant)
        if self.max_participants is not None and len(self.participants) >= self.max_participants:
            raise RoomFull(f"room {self.name} is full")
        self.participants[participant] = Participant(participant, Role(role))

    async def remove(self, participant: str) -> None:
        """Disconnect `participant` (leaving or removed by the teacher): their media stops both ways."""
        p = self.participants.pop(participant, None)
        if p is None:
            return
        for source in p.sources.values():
            if source.drain is not None:
                source.drain.cancel()
        if p.pc is not None:
            # Closing ends p's incoming tracks; the relay then ends every
            # viewer's copy of them, and p's own senders stop their copies.
            await p.pc.close()
        for other in self.participants.values():
            for key in [k for k in other.senders if k[0] == participant]:
                other.senders.pop(key)

    async def allow(self, participant: str, *, allowed: bool = True) -> None:
        """Let a student publish (or stop them): their tracks are offered to everyone else."""
        p = self._member(participant)
        p.allowed = allowed
        for source in p.sources.values():
            source.muted = not allowed
        if allowed:
            await self._offer_to_others(p)

    async def mute(
        self, participant: str, source: str | None = None, *, muted: bool = True
    ) -> None:
        """Stop relaying `participant`'s source (all of them when None); muted=False undoes it."""
        p = self._member(participant)
        for name, s in p.sources.items():
            if source is None or name == source:
                s.muted = muted

    async def close(self) -> None:
        """End the room: stop the recording and every connection."""
        await self.stop_recording()
        for task in list(self._tasks):
            task.cancel()
        for name in list(self.participants):
            await self.remove(name)

    # -- signalling -------------------------------------------------------

    async def signal(self, participant: str, message: dict[str, Any]) -> dict[str, Any] | None:
        """Handle one signalling message from `participant`; returns the reply to send them, if any.

        Raises NotInRoom for a stranger and MediaError for a malformed message.
        """
        p = self._member(participant)
        kind = message.get("type")
        if kind == "offer":
            return await self._on_offer(p, message)
        if kind == "answer":
            await self._on_answer(p, message)
            return None
        if kind == "ice":
            await self._on_ice(p, message)
            return None
        raise MediaError(f"unknown signalling message {kind!r}")

    async def _on_offer(self, p: Participant, message: dict[str, Any]) -> dict[str, Any]:
        async with p.lock:
            if p.pc is None:
                p.pc = self._connection(p)
            p.offered_sources = dict(message.get("sources") or {})
            before = set(p.sources)
            try:
                offer = RTCSessionDescription(sdp=message["sdp"], type="offer")
                await p.pc.setRemoteDescription(offer)
            except (KeyError, ValueError) as error:
                raise MediaError(f"bad offer: {error}") from error
            except InvalidStateError as error:
                # The client offered while our own offer waits for its answer:
                # it answers ours first, then offers again.
                raise MediaError("offer collision: answer the pending offer first") from error
            self._attach_to_answer(p, message["sdp"])
            await p.pc.setLocalDescription(await p.pc.createAnswer())
            reply = {"type": "answer", "sdp": p.pc.localDescription.sdp, "tracks": self._labels(p)}
        if set(p.sources) - before and p.publishes:
            await self._offer_to_others(p)
        if p.role == Role.TEACHER and self.record_to and self.recorder is None:
            await self.start_recording(self.record_to)
        if self._unsent(p):
            self._background(self._renegotiate_when_connected(p))
        return reply

    async def _on_answer(self, p: Participant, message: dict[str, Any]) -> None:
        async with p.lock:
            if p.pc is None or p.pc.signalingState != "have-local-offer":
                raise MediaError("no offer is waiting for an answer")
            answer = RTCSessionDescription(sdp=message["sdp"], type="answer")
            await p.pc.setRemoteDescription(answer)
            again = p.needs_offer
        if again:
            await self._renegotiate(p)

    async def _on_ice(self, p: Participant, message: dict[str, Any]) -> None:
        line = message.get("candidate") or ""
        if p.pc is None or not line:
            return  # end of candidates, or a candidate before any offer: nothing to add
        candidate = candidate_from_sdp(
            line.split(":", 1)[1] if line.startswith("candidate:") else line
        )
        candidate.sdpMid = message.get("sdpMid")
        candidate.sdpMLineIndex = message.get("sdpMLineIndex")
        await p.pc.addIceCandidate(candidate)

    # -- tracks -----------------------------------------------------------

    def _connection(self, p: Participant) -> RTCPeerConnection:
        pc = PeerConnection(configuration=rtc_configuration(self.ice_servers))

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            self._add_source(p, pc, track)

        return pc

    def _add_source(self, p: Participant, pc: RTCPeerConnection, track: MediaStreamTrack) -> None:
        mid = next((t.mid for t in pc.getTransceivers() if t.receiver.track is track), None)
        name = p.offered_sources.get(mid or "") or self._default_source_name(p, track.kind)
        source = Source(p.name, name, track, muted=not p.publishes)
        source.drain = asyncio.ensure_future(_drain(self.relay.subscribe(track, buffered=False)))
        p.sources[name] = source

    @staticmethod
    def _default_source_name(p: Participant, kind: str) -> str:
        # Without a "sources" map: the first video is the camera, the second the screen.
        if kind == "audio":
            return MICROPHONE if MICROPHONE not in p.sources else f"{MICROPHONE}-{len(p.sources)}"
        if CAMERA not in p.sources:
            return CAMERA
        return SCREEN if SCREEN not in p.sources else f"video-{len(p.sources)}"

    def _published(self, viewer: Participant) -> list[Source]:
        """The sources `viewer` should receive: everyone else's published tracks, teacher first."""
        ordered = sorted(self.participants.values(), key=lambda m: m.role != Role.TEACHER)
        return [
            s
            for m in ordered
            if m is not viewer and m.publishes
            for s in m.sources.values()
            if s.track.readyState == "live"
        ]

    def _unsent(self, viewer: Participant) -> list[Source]:
        return [s for s in self._published(viewer) if s.key not in viewer.senders]

    def _copy(self, source: Source) -> GatedTrack:
        return GatedTrack(source, self.relay.subscribe(source.track, buffered=False))

    def _attach_to_answer(self, p: Participant, offer_sdp: str) -> None:
        """Put published sources on the m-lines the client offered to receive on, by kind."""
        receiving = {
            m.rtp.muxId: m.direction
            for m in SessionDescription.parse(offer_sdp).media
            if m.kind in ("audio", "video")
        }
        free = [
            t
            for t in p.pc.getTransceivers()
            if t.sender.track is None and receiving.get(t.mid) in ("recvonly", "sendrecv")
        ]
        for source in self._unsent(p):
            slot = next((t for t in free if t.kind == source.kind), None)
            if slot is None:
                continue  # sent after this answer, by a server offer
            free.remove(slot)
            slot.sender.replaceTrack(self._copy(source))
            slot.direction = (
                "sendrecv" if slot.direction in ("recvonly", "sendrecv") else "sendonly"
            )
            p.senders[source.key] = slot.sender

    async def _renegotiate(self, p: Participant) -> None:
        """Offer `p` the published sources it does not receive yet, through on_signal."""
        async with p.lock:
            if p.pc is None or self.participants.get(p.name) is not p:
                return
            if p.pc.signalingState != "stable":
                p.needs_offer = True  # sent once the client answers the pending offer
                return
            p.needs_offer = False
            unsent = self._unsent(p)
            if not unsent:
                return
            for source in unsent:
                transceiver = p.pc.addTransceiver(self._copy(source), direction="sendonly")
                p.senders[source.key] = transceiver.sender
            await p.pc.setLocalDescription(await p.pc.createOffer())
            message = {"type": "offer", "sdp": p.pc.localDescription.sdp, "tracks": self._labels(p)}
        if self.on_signal is None:
            logger.warning("room %s: no on_signal, %s misses new tracks", self.name, p.name)
            return
        await self.on_signal(p.name, message)

    async def _renegotiate_when_connected(self, p: Participant, timeout: float = 15.0) -> None:
        # More sources than the client offered slots for: offer the rest once
        # the client has applied our answer, which it has when ICE connects;
        # an offer sent before that would cross the answer (glare).
        deadline = asyncio.get_running_loop().time() + timeout
        while p.pc is not None and p.pc.connectionState in ("new", "connecting"):
            if asyncio.get_running_loop().time() > deadline:
                return
            await asyncio.sleep(0.05)
        if p.pc is not None and p.pc.connectionState == "connected":
            await self._renegotiate(p)

    def _background(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _offer_to_others(self, publisher: Participant) -> None:
        for other in list(self.participants.values()):
            if other is not publisher and other.pc is not None and self._unsent(other):
                await self._renegotiate(other)

    def _labels(self, p: Participant) -> dict[str, dict[str, str]]:
        """mid -> whose track and which source, for the page to lay the videos out."""
        labels = {}
        for (owner, source), sender in p.senders.items():
            mid = next((t.mid for t in p.pc.getTransceivers() if t.sender is sender), None)
            if mid is not None:
                labels[mid] = {"participant": owner, "source": source}
        return labels

    def _member(self, participant: str) -> Participant:
        p = self.participants.get(participant)
        if p is None:
            raise NotInRoom(f"{participant} is not in room {self.name}")
        return p

    # -- recording --------------------------------------------------------

    async def start_recording(self, path: str) -> bool:
        """Record the teacher's current tracks to `path` (container from its suffix: .mp4, .mkv, .webm).

        Returns False when there is no teacher track to record yet or a recording runs.
        """
        if self.recorder is not None:
            return False
        teacher = next((m for m in self.participants.values() if m.role == Role.TEACHER), None)
        if teacher is None or not teacher.sources:
            return False
        recorder = MediaRecorder(path)
        for source in teacher.sources.values():
            recorder.addTrack(self.relay.subscribe(source.track, buffered=False))
        await recorder.start()
        self.recorder, self.recording_path = recorder, path
        return True

    async def stop_recording(self) -> str | None:
        """Finish the file; returns its path (None when nothing was recorded)."""
        recorder, path = self.recorder, self.recording_path
        if recorder is None:
            return None
        self.recorder = self.recording_path = None
        await recorder.stop()
        return path


class BuiltinProvider(MediaProvider):
    """The default provider: rooms on this process's aiortc server, signalling over the project's WebSocket."""

    name = "builtin"

    def __init__(
        self,
        *,
        max_participants: int,
        ice_servers: Iterable[dict[str, Any]] = (),
        browser_ice_servers: Callable[[str], list[dict[str, Any]]] | None = None,
        on_signal: Signal | None = None,
    ) -> None:
        super().__init__(max_participants=max_participants)
        self.ice_servers = list(ice_servers)
        # Per participant, e.g. TURN credentials minted for each (ice.ice_servers);
        # without it the browsers get the server's own list.
        self.browser_ice_servers = browser_ice_servers
        self.on_signal = on_signal
        self.rooms: dict[str, Room] = {}

    def room(self, name: str) -> Room:
        """The live room called `name`, made on first use."""
        if name not in self.rooms:
            self.rooms[name] = Room(
                name,
                ice_servers=self.ice_servers,
                on_signal=(lambda p, m, _n=name: self._forward(_n, p, m)),
                max_participants=self.max_participants,
            )
        return self.rooms[name]

    async def _forward(self, room: str, participant: str, message: dict[str, Any]) -> None:
        if self.on_signal is not None:
            await self.on_signal(participant, {**message, "room": room})

    async def join(self, room: str, participant: str, role: Role) -> JoinInfo:
        """Admit the participant to the room on this server; the browser then signals over the WebSocket."""
        await self.room(room).join(participant, role)
        return JoinInfo(
            provider=self.name,
            mode="signalling",
            room=room,
            participant=participant,
            role=Role(role),
            ice_servers=(
                self.browser_ice_servers(participant)
                if self.browser_ice_servers
                else self.ice_servers
            ),
            can_publish=Role(role) == Role.TEACHER,
        )

    async def close(self, room: str) -> None:
        """End the room and drop it from this server."""
        found = self.rooms.pop(room, None)
        if found is not None:
            await found.close()
