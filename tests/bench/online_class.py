"""online_class: one teacher at 640x360, 15 fps, relayed by the built-in aiortc server to N students.

The server side (a `Room`: it decodes the teacher's stream once and encodes it
again for every student, since aiortc has no pass-through) runs in this
process; the teacher's camera and the N students run in two child processes
(multiprocessing), so this process's CPU is the server's alone and the
teacher's encoder does not compete with the students' decoders. They talk
WebRTC over loopback and signal through a JSON-lines socket, as the browser
would through the WebSocket.

For N = 1, 2, 4, 8, 12, 16, ... (until a student receives < 12 fps, or N = 32),
each for a 6 s window after a warm-up: the server's CPU (% of one core, from
getrusage; several cores can add up past 100 %), the median and lowest fps the
students decode, and the students' process CPU. Baseline in the same run:
N = 1 encode-only, one peer connection sending the synthetic stream straight to
one student, with no decoding and no relay: the cost of encoding the stream
once. The answer is the largest N whose every student gets >= 12 fps; the
class page takes its built-in limit from it (configurable) and offers the
external provider beyond.

Video only (no audio), VP8, host candidates on 127.0.0.1. No database.
Run alone: `.venv/bin/python -m tests.bench.online_class`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import resource
import statistics
import sys
import time
from dataclasses import dataclass, field

from tests.bench.report import Row, row

SCENARIO = "online_class"
WIDTH, HEIGHT, FPS = 640, 360, 15
MIN_FPS = 12.0
SIZES = (1, 2, 4, 8, 12, 16, 20, 24, 28, 32)
WARMUP = 3.0
WINDOW = 6.0
CONNECT_TIMEOUT = 30.0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread: the encoders run in a pool
    return usage.ru_utime + usage.ru_stime


@dataclass
class Measure:
    """One N: the server's CPU over the window and what the students received."""

    n: int
    server_cpu: float = 0.0
    server_input_fps: float = 0.0
    students_cpu: float = 0.0
    fps: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.fps) if self.fps else 0.0

    @property
    def lowest(self) -> float:
        return min(self.fps) if self.fps else 0.0

    @property
    def ok(self) -> bool:
        return len(self.fps) == self.n and self.lowest >= MIN_FPS


# -- the server side (this process) ------------------------------------------


class Server:
    """Answers the child's signalling: through a Room, or (encode-only) with one plain sending peer."""

    def __init__(self, n: int, *, encode_only: bool) -> None:
        from realtime.classes.media.builtin import Room

        self.measure = Measure(n)
        self.encode_only = encode_only
        self.room = Room(f"bench-{n}")
        self.direct = []
        self.done = asyncio.Event()
        self._mark: tuple[float, float, int] | None = None
        self.incoming = 0  # the teacher's frames the server decoded
        self._counter: asyncio.Task | None = None

    async def handle(self, request: dict) -> dict:
        kind = request["type"]
        if kind == "running":
            return {"done": self.done.is_set()}
        if kind == "join":
            await self.room.join(request["participant"], request["role"])
            return {}
        if kind == "signal" and self.encode_only:
            return await self._direct(request["message"])
        if kind == "signal":
            return await self.room.signal(request["participant"], request["message"]) or {}
        if kind == "start":
            self._count_incoming()
            self._mark = (time.monotonic(), _cpu_seconds(), self.incoming)
            return {}
        if kind == "end":
            wall, cpu = time.monotonic() - self._mark[0], _cpu_seconds() - self._mark[1]
            self.measure.server_cpu = 100 * cpu / wall
            self.measure.server_input_fps = (self.incoming - self._mark[2]) / wall
            self.measure.students_cpu = request["cpu"]
            self.measure.fps = request["fps"]
            self.done.set()
            return {}
        raise ValueError(kind)

    def _count_incoming(self) -> None:
        # Whether the teacher's stream reaches the server at full rate: if it
        # does and the students get less, the loss is in the fan-out.
        teacher = self.room.participants.get("teacher")
        if self._counter is not None or teacher is None or "camera" not in teacher.sources:
            return
        copy = self.room.relay.subscribe(teacher.sources["camera"].track, buffered=False)

        async def count() -> None:
            with contextlib.suppress(Exception):
                while True:
                    await copy.recv()
                    self.incoming += 1

        self._counter = asyncio.ensure_future(count())

    async def _direct(self, message: dict) -> dict:
        from aiortc import RTCPeerConnection, RTCSessionDescription

        from tests.realtime.classes.peers import SyntheticVideo

        pc = RTCPeerConnection()
        self.direct.append(pc)
        await pc.setRemoteDescription(RTCSessionDescription(sdp=message["sdp"], type="offer"))
        pc.getTransceivers()[0].sender.replaceTrack(SyntheticVideo(WIDTH, HEIGHT, FPS))
        pc.getTransceivers()[0].direction = "sendonly"
        await pc.setLocalDescription(await pc.createAnswer())
        return {"type": "answer", "sdp": pc.localDescription.sdp, "tracks": {}}

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            reply = await self.handle(json.loads(line))
            writer.write(json.dumps(reply).encode() + b"\n")
            await writer.drain()
        writer.close()

    async def close(self) -> None:
        if self._counter is not None:
            self._counter.cancel()
        for pc in self.direct:
            await pc.close()
        await self.room.close()


async def _measure(n: int, *, encode_only: bool) -> Measure:
    server = Server(n, encode_only=encode_only)
    listener = await asyncio.start_server(server.serve, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    spawn = multiprocessing.get_context("spawn")
    children = []
    try:
        if not encode_only:
            children.append(spawn.Process(target=_teacher_main, args=(port,), daemon=True))
            children[-1].start()
            await _until(
                lambda: "camera" in getattr(server.room.participants.get("teacher"), "sources", {})
            )
        children.append(
            spawn.Process(target=_students_main, args=(port, n, encode_only), daemon=True)
        )
        children[-1].start()
        await asyncio.wait_for(server.done.wait(), CONNECT_TIMEOUT + WARMUP + WINDOW + 30)
    except TimeoutError:
        _log(f"{SCENARIO}: N={n} timed out")
    finally:
        server.done.set()  # the teacher's process stops when it sees this
        for child in children:
            await asyncio.get_running_loop().run_in_executor(None, child.join, 30)
            if child.is_alive():
                child.terminate()
        listener.close()
        await server.close()
    return server.measure


async def _until(predicate, timeout: float = CONNECT_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.05)


# -- the teacher's camera and the students (two child processes) ------------


class RemoteRoom:
    """The Room's `signal` over the socket, so tests' Peer works unchanged in the child."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.lock = asyncio.Lock()

    async def call(self, request: dict) -> dict:
        async with self.lock:
            self.writer.write(json.dumps(request).encode() + b"\n")
            await self.writer.drain()
            return json.loads(await self.reader.readline())

    async def join(self, participant: str, role: str) -> None:
        await self.call({"type": "join", "participant": participant, "role": role})

    async def signal(self, participant: str, message: dict) -> dict:
        return await self.call({"type": "signal", "participant": participant, "message": message})


def _teacher_main(port: int) -> None:
    asyncio.run(_teacher(port))


async def _teacher(port: int) -> None:
    # Alone in its process, so its one encoder never waits for the students' decoders.
    from tests.realtime.classes.peers import Peer, SyntheticVideo

    room = RemoteRoom(*await asyncio.open_connection("127.0.0.1", port))
    await room.join("teacher", "teacher")
    teacher = Peer(room, "teacher")
    await teacher.connect(send=[SyntheticVideo(WIDTH, HEIGHT, FPS)], video=0, audio=0)
    while not (await room.call({"type": "running"}))["done"]:
        await asyncio.sleep(0.5)
    await teacher.close()
    room.writer.close()


def _students_main(port: int, n: int, encode_only: bool) -> None:
    asyncio.run(_students(port, n, encode_only))


async def _students(port: int, n: int, encode_only: bool) -> None:
    from tests.realtime.classes.peers import Peer, wait_for

    room = RemoteRoom(*await asyncio.open_connection("127.0.0.1", port))
    students = []
    for k in range(n):
        name = f"student{k}"
        if not encode_only:
            await room.join(name, "student")
        students.append(Peer(room, name))
        await students[-1].connect(video=1, audio=0)

    def video(peer):
        return next((r for r in peer.received.values() if r.kind == "video"), None)

    await wait_for(lambda: all(video(s) and video(s).frames for s in students), CONNECT_TIMEOUT)
    await asyncio.sleep(WARMUP)  # the encoders' bitrate settles
    before = [video(s).frames if video(s) else 0 for s in students]
    await room.call({"type": "start"})
    started, cpu = time.monotonic(), _cpu_seconds()
    await asyncio.sleep(WINDOW)
    wall = time.monotonic() - started
    after = [video(s).frames if video(s) else 0 for s in students]
    await room.call(
        {
            "type": "end",
            "cpu": 100 * (_cpu_seconds() - cpu) / wall,
            "fps": [(b - a) / wall for a, b in zip(before, after, strict=True)],
        }
    )
    for peer in students:
        await peer.close()
    room.writer.close()


# -- rows --------------------------------------------------------------------


async def _curve() -> tuple[Measure, list[Measure]]:
    baseline = await _measure(1, encode_only=True)
    _log(f"{SCENARIO}: encode-only N=1: {baseline.server_cpu:.0f}% CPU, {baseline.median:.1f} fps")
    curve = []
    for n in SIZES:
        m = await _measure(n, encode_only=False)
        curve.append(m)
        _log(
            f"{SCENARIO}: N={n}: server {m.server_cpu:.0f}% CPU, in {m.server_input_fps:.1f} fps, students {m.students_cpu:.0f}% CPU, "
            f"fps median {m.median:.1f} min {m.lowest:.1f}"
        )
        if not m.ok:
            break
    return baseline, curve


def run(env: dict[str, str] | None = None) -> list[Row]:
    """Measure the curve (about 15 s per N) and return the rows; no database."""
    _log(f"{SCENARIO}: {WIDTH}x{HEIGHT} at {FPS} fps, N up to {SIZES[-1]}, {WINDOW:g} s each")
    baseline, curve = asyncio.run(_curve())
    fine = [m.n for m in curve if m.ok]
    best = max(fine) if fine else 0
    rows = [
        row(SCENARIO, "encode-only N=1 CPU", baseline.server_cpu, "% core",
            note=f"one peer sending {WIDTH}x{HEIGHT}@{FPS} straight to one student, no relay; "
            f"received {baseline.median:.1f} fps"),
    ]  # fmt: skip
    for m in curve:
        rows.append(
            row(SCENARIO, f"N={m.n} server CPU", m.server_cpu, "% core", baseline=baseline.server_cpu,
                note=f"decode once ({m.server_input_fps:.1f} fps in) + {m.n} encodes; the students' "
                f"process (decoding, not counted) {m.students_cpu:.0f}% core")
        )  # fmt: skip
        rows.append(
            row(SCENARIO, f"N={m.n} received fps min", m.lowest, "fps", target=f">= {MIN_FPS:g}",
                met=m.ok, compare=False, note=f"median {m.median:.1f} fps over {len(m.fps)} students")
        )  # fmt: skip
    fit = [m for m in curve if m.ok]
    if len(fit) >= 2:
        slope = statistics.linear_regression([m.n for m in fit], [m.server_cpu for m in fit]).slope
        note = f"least-squares slope over N = {', '.join(str(m.n) for m in fit)}"
        if slope > 0:
            note += f"; one free core would carry about {100 / slope:.0f} students"
        rows.append(
            row(SCENARIO, "server CPU per added student", slope, "% core", compare=False, note=note)
        )
    rows.append(
        row(SCENARIO, "largest N at >= 12 fps", best, "students", compare=False,
            note=f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
            "the built-in limit of the class page comes from this")
    )  # fmt: skip
    return rows


def main() -> int:
    from tests.bench.report import table

    rows = run({})
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
