"""Start an ASGI server (or the ceiling server) as a subprocess on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.loadgen import fetch

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
APP = "hub.asgi:application"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def command(kind: str, port: int) -> list[str]:
    """One worker process each, no access log (it would cost as much as the page)."""
    if kind == "bare":
        return [sys.executable, "-m", "tests.bench.realtime_bare", str(port)]
    if kind == "daphne":
        return [str(BIN / "daphne"), "-b", HOST, "-p", str(port), "-v", "0", APP]
    if kind == "uvicorn":
        return [
            str(BIN / "uvicorn"),
            APP,
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-access-log",
            "--log-level",
            "warning",
            "--lifespan",
            "off",
        ]
    if kind == "ceiling":
        return [sys.executable, "-m", "tests.bench.ceiling_server", str(port)]
    raise ValueError(kind)


class Server:
    """`with Server("daphne", env) as server:` → server.port answers until the block ends."""

    def __init__(
        self,
        kind: str,
        env: dict[str, str],
        *,
        ready_path: str = "/bench/noop",
        name: str = "",
        extra_args: tuple[str, ...] = (),
    ):
        self.kind = kind
        self.env = env
        self.ready_path = ready_path
        self.extra_args = extra_args
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        # A file, not a pipe: a pipe nobody reads would block a chatty server.
        self.log = ROOT / "var" / "bench" / f"{kind}{'-' + name if name else ''}.log"

    def __enter__(self) -> Server:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [*command(self.kind, self.port), *self.extra_args],
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_ready(timeout=30)
        return self

    def __exit__(self, *exc) -> None:
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server process has used so far (Linux /proc)."""
        assert self.process is not None
        return process_cpu_seconds(self.process.pid)

    def rss_bytes(self) -> int:
        """Resident memory of the server process now (Linux /proc)."""
        assert self.process is not None
        return process_rss_bytes(self.process.pid)

    def _wait_ready(self, *, timeout: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{self.kind} exited at start-up:\n{tail}")
            try:
                status, _body = fetch(host=HOST, port=self.port, path=self.ready_path)
            except OSError:
                time.sleep(0.1)
                continue
            if status == 200:
                return
            raise RuntimeError(f"{self.kind}: {self.ready_path} answered {status}")
        raise RuntimeError(f"{self.kind} did not answer within {timeout} s")


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of process `pid` so far, from /proc (0.0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_rss_bytes(pid: int) -> int:
    """Resident memory of process `pid` now, from /proc (0 where there is none)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
