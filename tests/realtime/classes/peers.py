"""In-process WebRTC peers for the media tests and the online-class bench.

A synthetic teacher camera (moving numpy frames -> av.VideoFrame at a chosen
size and rate), a tone for the microphone, and a `Peer` that plays a browser:
it offers, answers the server's renegotiation offers and counts what it
receives, track by track.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from dataclasses import dataclass, field

import av
import numpy as np
from aiortc import (
    MediaStreamTrack,
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError

VIDEO_CLOCK = 90000
AUDIO_RATE = 48000
AUDIO_PTIME = 0.02


class SyntheticVideo(MediaStreamTrack):
    """A camera of `width`x`height` at `fps`: a gradient with a moving bar, so the encoder has motion."""

    kind = "video"

    def __init__(
        self, width: int = 320, height: int = 240, fps: int = 15, distinct: int = 30
    ) -> None:
        super().__init__()
        self.fps = fps
        self._frames = [self._frame(width, height, n, distinct) for n in range(distinct)]
        self._count = 0
        self._start: float | None = None

    @staticmethod
    def _frame(width: int, height: int, n: int, distinct: int) -> av.VideoFrame:
        x = np.linspace(0, 255, width, dtype=np.uint8)
        image = np.empty((height, width, 3), dtype=np.uint8)
        image[:, :, 0] = x
        image[:, :, 1] = x[::-1]
        image[:, :, 2] = (n * 255 // distinct) & 0xFF
        bar = (n * width // distinct) % max(width - 20, 1)
        image[:, bar : bar + 20, :] = 255
        return av.VideoFrame.from_ndarray(image, format="rgb24").reformat(format="yuv420p")

    async def recv(self) -> av.VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        due = self._start + self._count / self.fps
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        frame = self._frames[self._count % len(self._frames)]
        frame.pts = int(self._count * VIDEO_CLOCK / self.fps)
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK)
        self._count += 1
        return frame


class Tone(MediaStreamTrack):
    """A 440 Hz microphone in 20 ms frames of 48 kHz mono."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        samples = int(AUDIO_RATE * AUDIO_PTIME)
        t = np.arange(samples) / AUDIO_RATE
        self._pcm = (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16).reshape(1, -1)
        self._count = 0
        self._start: float | None = None

    async def recv(self) -> av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._start is None:
            self._start = time.monotonic()
        due = self._start + self._count * AUDIO_PTIME
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        frame = av.AudioFrame.from_ndarray(self._pcm, format="s16", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = self._count * self._pcm.shape[1]
        frame.time_base = fractions.Fraction(1, AUDIO_RATE)
        self._count += 1
        return frame


@dataclass
class Received:
    """What one peer got on one incoming track."""

    kind: str
    frames: int = 0
    sizes: set[tuple[int, int]] = field(default_factory=set)
    times: list[float] = field(default_factory=list)
    ended: bool = False


class Peer:
    """A browser stand-in talking to a Room through its dict signalling."""

    def __init__(
        self, room, name: str, *, keep_times: bool = False, max_bundle: bool = False
    ) -> None:
        self.room = room
        self.name = name
        self.keep_times = keep_times
        # max_bundle: one transport for every m-line, as a browser's offer has.
        policy = RTCBundlePolicy.MAX_BUNDLE if max_bundle else RTCBundlePolicy.BALANCED
        self.pc = RTCPeerConnection(RTCConfiguration(bundlePolicy=policy))
        self.received: dict[str, Received] = {}
        self.tracks: dict[str, dict[str, str]] = {}
        self._tasks: list[asyncio.Task] = []
        self.pc.on("track", self._on_track)

    def _on_track(self, track: MediaStreamTrack) -> None:
        mid = next(t.mid for t in self.pc.getTransceivers() if t.receiver.track is track)
        got = self.received.setdefault(mid, Received(track.kind))
        self._tasks.append(asyncio.ensure_future(self._count(track, got)))

    async def _count(self, track: MediaStreamTrack, got: Received) -> None:
        try:
            while True:
                frame = await track.recv()
                got.frames += 1
                if self.keep_times:
                    got.times.append(time.monotonic())
                if got.kind == "video":
                    got.sizes.add((frame.width, frame.height))
        except MediaStreamError:
            got.ended = True

    async def connect(
        self,
        *,
        send: list[MediaStreamTrack] = (),
        video: int = 2,
        audio: int = 1,
        names: list[str] | None = None,
    ) -> None:
        """Offer `send` (named `names` in the offer's "sources" when given) plus receive-only
        slots (`video` and `audio` of them), and apply the answer."""
        sending = [self.pc.addTransceiver(track, direction="sendrecv") for track in send]
        for _ in range(video):
            self.pc.addTransceiver("video", direction="recvonly")
        for _ in range(audio):
            self.pc.addTransceiver("audio", direction="recvonly")
        await self.pc.setLocalDescription(await self.pc.createOffer())
        offer = {"type": "offer", "sdp": self.pc.localDescription.sdp}
        if names:
            offer["sources"] = {t.mid: name for t, name in zip(sending, names, strict=True)}
        answer = await self.room.signal(self.name, offer)
        self.tracks = dict(answer["tracks"])  # the server sends the whole current map
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))

    async def on_server_offer(self, message: dict) -> None:
        """Answer a renegotiation offer from the server, as the page would."""
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=message["sdp"], type="offer"))
        self.tracks = dict(message["tracks"])
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        await self.room.signal(self.name, {"type": "answer", "sdp": self.pc.localDescription.sdp})

    def of(self, participant: str, source: str) -> Received:
        """What arrived from `participant`'s `source` (empty when nothing did)."""
        for mid, label in self.tracks.items():
            if label == {"participant": participant, "source": source} and mid in self.received:
                return self.received[mid]
        return Received("?")

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await self.pc.close()


class Switchboard:
    """Routes the room's server-initiated offers to the right in-process peer."""

    def __init__(self) -> None:
        self.peers: dict[str, Peer] = {}
        self._tasks: set[asyncio.Task] = set()

    async def __call__(self, participant: str, message: dict) -> None:
        peer = self.peers.get(participant)
        if peer is not None:
            # As over a socket: the server's send returns before the answer comes back.
            task = asyncio.ensure_future(peer.on_server_offer(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)


async def wait_for(predicate, timeout: float = 8.0, step: float = 0.05) -> bool:
    """Poll `predicate` until it holds or `timeout` passes; returns whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(step)
    return predicate()


async def settled(count, quiet: float = 0.6, timeout: float = 8.0) -> int:
    """Wait until `count()` stops changing for `quiet` seconds (frames in flight have landed)."""
    deadline = time.monotonic() + timeout
    last = count()
    while time.monotonic() < deadline:
        await asyncio.sleep(quiet)
        now = count()
        if now == last:
            return now
        last = now
    return last
