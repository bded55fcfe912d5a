"""proctoring_upload: upload-to-flag p99 while 300 students send a frame every 3 s (issue 8).

The whole path: each simulated student POSTs a 320x240 JPEG to
/proctoring/attempts/<id>/frame/ on its own keep-alive connection to the
production server, uvicorn (deploy/Procfile's `web` line, one process;
BENCH_PROCTORING_SERVER=daphne tries Daphne) (open loop: a frame every PERIOD
seconds whatever the answers, students spread evenly over the period), the
lean upload path (proctoring.upload, in front of Django in hub.asgi) stores it
and queues the analysis on the broker unless a task is pending, a Celery worker (a subprocess started as deploy/Procfile's `frames`
line: BENCH_PROCTORING_POOL) runs it with every other frame waiting, in one
batch (proctoring.actions.frames_analyse): decode, faces, flags, thumbnail,
baseline, score, and the `proctor.frame` events through the channel layer.
Upload-to-flag is the time from the request's first byte to the frame's
`analysed_at` (one machine, one clock). With REDIS_URL the broker and the channel layer are Redis; without it
the filesystem broker polls once a second and the figure says so.

Baseline, in the same run: `analyse_frame` alone on the same frames, one at a
time in this process — the least any upload-to-flag could take.

Target: upload-to-flag p99 <= 1 s. Run alone:
`REDIS_URL=redis://127.0.0.1:6379/11 .venv/bin/python -m tests.bench.proctoring_upload`
(with DATABASE_URL for PostgreSQL, as production; BENCH_PROCTORING_STUDENTS, _SECONDS,
_SERVERS, _SERVER, _POOL change the load and the processes; BENCH_REUSE_DB=1 skips the seeding).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from tests.bench.report import Row, row
from tests.bench.servers import BIN, HOST, ROOT, Server, process_cpu_seconds

SCENARIO = "proctoring_upload"
STUDENTS = int(os.environ.get("BENCH_PROCTORING_STUDENTS", 300))
PERIOD = 3.0
DURATION = float(os.environ.get("BENCH_PROCTORING_SECONDS", 30))
TARGET_MS = 1000.0
# Server processes behind the students (production runs several behind nginx).
SERVERS = int(os.environ.get("BENCH_PROCTORING_SERVERS", 1))
# The production server (deploy/Procfile, deploy/ebilim-web@.service), as `make bench` chose.
SERVER = os.environ.get("BENCH_PROCTORING_SERVER", "uvicorn")
DRAIN_SECONDS = 60.0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _setup(count: int):
    """A proctored test with `count` attempts in progress, one per seeded student, and each
    student's session cookie; made directly (the bench measures the uploads, not starts)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from academic.records.models import Student
    from hub.accounts.models import Cabinet, User
    from hub.testing.models import Attempt, Test
    from proctoring.models import ProctoringSettings

    owner = User.objects.filter(username="bench-proctor").first() or User.objects.create_user(
        "bench-proctor", cabinet=Cabinet.TEACHER, last_name="Бенчева", first_name="Айгүл"
    )
    now = timezone.now()
    Test.objects.filter(owner=owner).delete()
    test = Test.objects.create(
        owner=owner, title="Bench proctoring", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=3), time_limit=120,
    )  # fmt: skip
    ProctoringSettings.objects.create(test=test, requires_camera=True, frame_interval=3)
    students = list(Student.objects.select_related("user").filter(user__isnull=False)[:count])
    if len(students) < count:
        raise RuntimeError(f"{len(students)} students seeded, {count} needed")
    store = import_module(settings.SESSION_ENGINE).SessionStore
    clients = []
    for student in students:
        attempt = Attempt.objects.create(
            test=test, student=student, started_at=now, deadline=now + timedelta(hours=2)
        )
        session = store()
        session[SESSION_KEY] = str(student.user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = student.user.get_session_auth_hash()
        session.create()
        token = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={token}"
        clients.append((attempt.pk, cookie, token))
    return test, clients


def _request(attempt_id: int, cookie: str, token: str, body: bytes) -> bytes:
    head = (
        f"POST /proctoring/attempts/{attempt_id}/frame/ HTTP/1.1\r\nHost: {HOST}\r\n"
        f"Connection: keep-alive\r\nCookie: {cookie}\r\nX-CSRFToken: {token}\r\n"
        f"Content-Type: image/jpeg\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


async def _student(ports, client, frames, offset, start, sent, failures) -> None:
    from tests.bench.loadgen import read_response

    attempt_id, cookie, token = client
    port = ports[attempt_id % len(ports)]
    reader, writer = await asyncio.open_connection(HOST, port)
    n = 0
    try:
        while True:
            at = start + offset + n * PERIOD
            if at >= start + DURATION:
                return
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            body = frames[(attempt_id + n) % len(frames)]
            wall, began = time.time(), time.perf_counter()
            try:
                writer.write(_request(attempt_id, cookie, token, body))
                status, close, answer = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                failures.append("connection")
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
            else:
                if status == 201:
                    import json

                    sent[json.loads(answer)["frame"]] = (wall, time.perf_counter() - began)
                else:
                    failures.append(str(status))
                if close:
                    writer.close()
                    reader, writer = await asyncio.open_connection(HOST, port)
            n += 1
    finally:
        writer.close()


async def _load(ports, clients, frames):
    sent: dict[int, tuple[float, float]] = {}
    failures: list[str] = []
    start = time.perf_counter() + 1.0
    await asyncio.gather(
        *(
            _student(ports, c, frames, i * PERIOD / len(clients), start, sent, failures)
            for i, c in enumerate(clients)
        )
    )
    return sent, failures


def _p(values: list[float], q: int) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0.0
    )


# The frames worker as deploy/Procfile's `frames` line starts it: four task threads in one
# process, whose batches share its analysis pool (a thread per core); with two the
# worker fell behind at 300 students, with eight Daphne got less CPU (measured 2026-11-27).
# BENCH_PROCTORING_POOL tries another ("threads:2", "prefork:2", "solo").
POOL = os.environ.get("BENCH_PROCTORING_POOL", "threads:4")


def _worker(env: dict[str, str]) -> subprocess.Popen:
    log = ROOT / "var" / "bench" / "proctoring-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    pool, _sep, concurrency = POOL.partition(":")
    options = [f"--pool={pool}"] + ([f"--concurrency={concurrency}"] if concurrency else [])
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(BIN / "celery"), "-A", "hub", "worker", *options, "--loglevel=warning",
             "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def _tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (a prefork worker's), from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.parent.name))
    return process_cpu_seconds(pid) + sum(process_cpu_seconds(child) for child in children)


def run(env: dict[str, str] | None = None) -> list[Row]:
    from proctoring.analysis import analyse_frame
    from proctoring.models import Frame
    from tests.bench.proctoring_frames import bench_frames

    env = dict(env or {})
    frames = bench_frames(variants=4)
    # Baseline: the analysis alone, one frame at a time, on the frames the students send.
    for f in frames[:10]:
        analyse_frame(f)
    alone = []
    for f in frames:
        began = time.perf_counter()
        analyse_frame(f)
        alone.append((time.perf_counter() - began) * 1000)

    test, clients = _setup(STUDENTS)
    broker = "Redis" if os.environ.get("REDIS_URL") else "filesystem broker (polls 1/s)"
    _log(
        f"{SCENARIO}: {len(clients)} students, a frame every {PERIOD:g} s for {DURATION:g} s, {broker}"
    )
    worker = _worker(env)
    try:
        time.sleep(3)  # the worker connects to the broker
        with contextlib.ExitStack() as stack:
            servers = [
                stack.enter_context(Server(SERVER, env, name=f"proctoring-{n}"))
                for n in range(SERVERS)
            ]
            worker_cpu = _tree_cpu_seconds(worker.pid)
            sent, failures = asyncio.run(_load([s.port for s in servers], clients, frames))
            server_cpu = sum(s.cpu_seconds() for s in servers)
        deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < deadline:
            left = Frame.objects.filter(pk__in=list(sent), analysed_at__isnull=True).count()
            if not left:
                break
            time.sleep(0.5)
        worker_cpu = _tree_cpu_seconds(worker.pid) - worker_cpu
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
    done = dict(
        Frame.objects.filter(pk__in=list(sent), analysed_at__isnull=False).values_list(
            "pk", "analysed_at"
        )
    )
    to_flag = [(done[pk].timestamp() - sent[pk][0]) * 1000 for pk in done]
    upload = [seconds * 1000 for _wall, seconds in sent.values()]
    # Frames analysed per second, from the first upload to the last analysis.
    span = max(done.values()).timestamp() - min(wall for wall, _s in sent.values()) if done else 0
    rate = len(done) / span if span > 0 else 0.0
    lost = len(sent) - len(done)
    errors = len(failures)
    shape = (
        f"{len(clients)} students x 1 frame / {PERIOD:g} s for {DURATION:g} s; {SERVERS} {SERVER}, "
        f"1 worker ({POOL}); {broker}"
    )
    p99 = _p(to_flag, 99)
    rows = [
        row(SCENARIO, "analyse_frame alone p99", _p(alone, 99), "ms", compare=False,
            note=f"{len(frames)} frames one at a time in the bench process (baseline)"),
        row(SCENARIO, "upload-to-flag p99", p99, "ms", baseline=_p(alone, 99),
            target=f"<= {TARGET_MS:g} ms, 0 errors, 0 lost",
            met=p99 <= TARGET_MS and errors == 0 and lost == 0,
            note=f"{shape}; {len(done)} frames flagged, {lost} not analysed, {errors} refused"),
        row(SCENARIO, "upload-to-flag p50", _p(to_flag, 50), "ms", compare=False, note=shape),
        row(SCENARIO, "upload p99", _p(upload, 99), "ms", compare=False,
            note="HTTP POST answered (stored + queued)"),
        row(SCENARIO, "frames analysed", rate, "frames/s", compare=False,
            note=f"offered {len(clients) / PERIOD:g} frames/s"),
        row(SCENARIO, f"{SERVER} CPU per upload", 1000 * server_cpu / max(len(sent), 1), "ms",
            compare=False, note=f"all {SERVER} processes, start-up included"),
        row(SCENARIO, "worker CPU per frame", 1000 * worker_cpu / max(len(done), 1), "ms",
            compare=False, note="the Celery worker and its children, analysis included"),
    ]  # fmt: skip
    Frame.objects.filter(attempt__test=test).delete()
    test.delete()
    return rows


def main() -> int:
    from tests.bench.environment import run_alone

    return run_alone(run, "proctoring")


if __name__ == "__main__":
    raise SystemExit(main())
