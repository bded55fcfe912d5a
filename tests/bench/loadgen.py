"""A small HTTP/1.1 load generator: keep-alive connections over raw asyncio streams.

Each of `clients` connections sends one request, reads the whole response and
sends the next (closed loop), for `duration` seconds; connections are opened
before the clock starts. The client runs on uvloop when it is installed. It
measures its own CPU time, so the report can show it was not the bottleneck.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

try:
    import uvloop
except ImportError:  # plain asyncio is slower but still correct
    uvloop = None


@dataclass
class RunResult:
    seconds: float
    cpu_seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    connection_errors: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        bad = sum(n for status, n in self.statuses.items() if not 200 <= status < 300)
        return bad + self.connection_errors

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_share(self) -> float:
        """Share of one core the load generator used during the run."""
        return self.cpu_seconds / self.seconds if self.seconds else 0.0

    def percentile_ms(self, q: int) -> float:
        if len(self.latencies) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1] * 1000


def build_request(path: str, *, host: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """(status, server closes the connection, body) of one response."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    close = b"\r\nconnection: close" in lower
    start = lower.find(b"\r\ncontent-length:")
    if start >= 0:
        end = lower.index(b"\r\n", start + 2)
        body = await reader.readexactly(int(lower[start + 17 : end]))
    elif b"\r\ntransfer-encoding: chunked" in lower:
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            parts.append((await reader.readexactly(size + 2))[:-2])
            if size == 0:
                break
        body = b"".join(parts)
    else:
        body = await reader.read()
        close = True
    return status, close, body


async def _client(host, port, request, conn, start_at, deadline, result: RunResult) -> None:
    reader, writer = conn
    clock = time.perf_counter
    latencies, statuses = result.latencies, result.statuses
    await asyncio.sleep(max(0.0, start_at - clock()))
    try:
        while True:
            began = clock()
            if began >= deadline:
                return
            try:
                writer.write(request)
                status, close, _body = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                result.connection_errors += 1
                close = True
            else:
                latencies.append(clock() - began)
                statuses[status] += 1
            if close:
                writer.close()
                await asyncio.sleep(0.01)
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


async def _run(host, port, request, clients, duration) -> RunResult:
    conns = await asyncio.gather(*(asyncio.open_connection(host, port) for _ in range(clients)))
    result = RunResult(seconds=0.0, cpu_seconds=0.0)
    cpu0 = time.process_time()
    start_at = time.perf_counter() + 0.01
    deadline = start_at + duration
    await asyncio.gather(
        *(_client(host, port, request, c, start_at, deadline, result) for c in conns)
    )
    # Requests begun before the deadline finish after it: count the real span.
    result.seconds = time.perf_counter() - start_at
    result.cpu_seconds = time.process_time() - cpu0
    return result


def run_load(
    *,
    host: str,
    port: int,
    path: str,
    clients: int,
    duration: float,
    headers: dict[str, str] | None = None,
) -> RunResult:
    request = build_request(path, host=host, headers=headers)
    coro = _run(host, port, request, clients, duration)
    if uvloop is not None:
        return uvloop.run(coro)
    return asyncio.run(coro)


def fetch(*, host: str, port: int, path: str, headers: dict[str, str] | None = None):
    """One request on its own connection: (status, body), for checks before a run."""

    async def once():
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(build_request(path, host=host, headers=headers))
            status, _close, body = await read_response(reader)
            return status, body
        finally:
            writer.close()

    return asyncio.run(once())
