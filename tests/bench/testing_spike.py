"""testing_spike: 500 students start the same test within 10 s, then save answers (issue 8).

The exam start spike, through the very requests the browser makes, each simulated
student on its own keep-alive connection to the production server, uvicorn
(deploy/Procfile's `web` line, two processes, one per core of this machine, as
deploy/SCALING.md runs them; BENCH_TESTING_SERVERS, _SERVER change them):

- start: the "Start" form of My tests, POST /testing/tests/<id>/start/ with the
  form's `csrfmiddlewaretoken`, answered with the attempt's page (200: the questions,
  the saved versions, the page's CSRF token and its own address). A start is timed
  from the POST's first byte to the page's last: when the student sees the first
  question. Starts are spread evenly over SPREAD (10 s), open loop.
- answer saves: what frontend/static/js/test-attempt.js sends when a choice is
  made, POST /testing/attempts/<id>/answer/ with the JSON `{question, response,
  version}` and the page's token in X-CSRFToken, every PERIOD (3 s) after the
  student's start for DURATION (30 s), open loop (a save late on its schedule is
  sent at once, none is skipped), going through the attempt's questions with one of
  the options the page shows. A save counts when answered 200 with the version sent.

The test: a teacher's bank of 2 topics x 20 single-choice questions (4 options), a
test drawing 10 of each topic per attempt (20 questions, shuffled), a 60-minute
limit, open now, given to the groups of the students (the first STUDENTS studying
today, by group), no camera (frames are proctoring_upload's load). Sessions and CSRF
cookies are made directly in the database, as a signed-in browser holds them.

Baseline, in the same run, before the exam on the same connections and students:
/bench/insert (tests/bench/urls.py; production never serves it), a view behind the
same session, authentication and CSRF middleware as the save that does one plain
INSERT into a table the bench creates, under the same open-loop schedule (each
student from its offset in SPREAD, every PERIOD, as many times as it saves answers).
Order: a short warm-up (a few My tests pages and bare inserts), the baseline phase,
then the exam phase. uvicorn closes a connection idle for 5 s (between the phases):
the student opens a new one, as a browser does, and the errors row counts them.

Targets: start p95 <= 1 s and answer save p95 <= 200 ms with 0 errors (any status
other than the expected one, a refused start, a timeout or a broken connection, by
kind), and 0 answers lost (every acknowledged save found in the database with its
version); refusals are also printed on stderr by kind. Run alone:
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/ebilim_sp REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python -m tests.bench.testing_spike`
(BENCH_TESTING_STUDENTS, _SECONDS change the load; BENCH_REUSE_DB=1 skips the seeding).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import secrets
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module

from tests.bench.report import Row, row
from tests.bench.servers import HOST, Server

try:
    import uvloop
except ImportError:  # plain asyncio is slower but still correct
    uvloop = None

SCENARIO = "testing_spike"
STUDENTS = int(os.environ.get("BENCH_TESTING_STUDENTS", 500))
SPREAD = 10.0  # the starts, evenly over it
PERIOD = 3.0  # between two saves of a student
DURATION = float(os.environ.get("BENCH_TESTING_SECONDS", 30))
SAVES = max(1, int(DURATION // PERIOD))  # per student
TOPICS, PER_TOPIC, DRAWN, OPTIONS = 2, 20, 10, 4
TIME_LIMIT = 60  # minutes
START_TARGET_MS = 1000.0
SAVE_TARGET_MS = 200.0
REQUEST_TIMEOUT = 30.0
WARM_UP = 5  # students whose My tests page and a bare insert warm the server up
SERVERS = int(os.environ.get("BENCH_TESTING_SERVERS", 2))
SERVER = os.environ.get("BENCH_TESTING_SERVER", "uvicorn")
OWNER = "bench-testing"
ATTEMPT_PATH = re.compile(r"/testing/attempts/(\d+)/")


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Client:
    cookie: str
    token: str  # the CSRF cookie's secret, as the start form carries it
    session_key: str


def _setup(count: int):
    """The bank, the test given to the groups of `count` students studying today, and
    each student's session and CSRF cookies; made directly, the test through the actions."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from academic.records.models import Status, StudentState
    from academic.records.selectors import covering
    from academic.structure.models import Group
    from hub.accounts.models import Cabinet, User
    from hub.testing import actions
    from hub.testing.models import Bank, Kind, Option, Question, Test, Topic

    owner = User.objects.filter(username=OWNER).first() or User.objects.create_user(
        OWNER, cabinet=Cabinet.TEACHER, last_name="Тестова", first_name="Асель"
    )
    Test.objects.filter(owner=owner).delete()
    Bank.objects.filter(owner=owner).delete()
    bank = Bank.objects.create(owner=owner, title="Bench exam bank")
    topics, options = [], []
    for t in range(TOPICS):
        topic = Topic.objects.create(bank=bank, name=f"Бөлүм {t + 1}")
        topics.append(topic)
        for q in range(PER_TOPIC):
            n = t * PER_TOPIC + q + 1
            question = Question.objects.create(
                bank=bank, topic=topic, kind=Kind.SINGLE, name=f"Суроо {n}",
                text={"ky": f"<p>Суроо {n}: {n} + {n} канча?</p>",
                      "ru": f"<p>Вопрос {n}: сколько будет {n} + {n}?</p>",
                      "en": f"<p>Question {n}: what is {n} + {n}?</p>"},
            )  # fmt: skip
            options += [
                Option(
                    question=question,
                    order=o,
                    text=dict.fromkeys(("ky", "ru", "en"), str(2 * n + o)),
                    fraction=int(o == 0),
                )
                for o in range(OPTIONS)
            ]
    Option.objects.bulk_create(options)
    states = list(
        StudentState.objects.filter(
            covering(timezone.localdate()), status=Status.STUDYING, student__user__is_active=True
        )
        .select_related("student__user")
        .order_by("group_id", "student_id")[:count]
    )
    if len(states) < count:
        raise RuntimeError(f"{len(states)} students studying, {count} needed")
    groups = Group.objects.filter(pk__in={s.group_id for s in states})
    now = timezone.now()
    test = actions.test_create(
        by=owner, title="Bench exam", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=3), time_limit=TIME_LIMIT,
        draws=[actions.Draw(topic, DRAWN) for topic in topics],
    )  # fmt: skip
    actions.test_assign(by=owner, test=test, groups=list(groups))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    clients = []
    for state in states:
        user = state.student.user
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        token = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={token}"
        )
        clients.append(Client(cookie, token, session.session_key))
    return test, bank, clients, len(groups)


def _bare_table(*, create: bool) -> None:
    """The baseline's table, made fresh (or dropped): what /bench/insert writes into."""
    from django.db import connection

    key = "bigserial PRIMARY KEY" if connection.vendor == "postgresql" else "integer PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_insert")
        if create:
            cursor.execute(
                f"CREATE TABLE bench_insert (id {key}, user_id bigint NOT NULL, "
                "body text NOT NULL, saved_at timestamp DEFAULT CURRENT_TIMESTAMP NOT NULL)"
            )


def _bare_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_insert")
        return cursor.fetchone()[0]


# --- The simulated browsers --------------------------------------------------------------


def _get(path: str, cookie: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: keep-alive\r\n"
        f"Cookie: {cookie}\r\nAccept: text/html\r\n\r\n"
    ).encode("latin-1")


def _post(path: str, cookie: str, body: bytes, content_type: str, token: str = "") -> bytes:
    csrf = f"X-CSRFToken: {token}\r\n" if token else ""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: keep-alive\r\n"
        f"Cookie: {cookie}\r\nOrigin: http://{HOST}\r\n{csrf}"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class _Tap:
    """A stream reader that keeps the head `read_response` reads (for Location)."""

    def __init__(self, reader: asyncio.StreamReader):
        self.reader = reader
        self.head = b""

    async def readuntil(self, separator: bytes) -> bytes:
        self.head = await self.reader.readuntil(separator)
        return self.head

    def __getattr__(self, name):
        return getattr(self.reader, name)


class _Connection:
    """One student's keep-alive connection, reopened after the server closes it.

    uvicorn closes a connection idle for 5 s (its --timeout-keep-alive), as between the
    two phases; like a browser, the student then opens a new one (`reopened` counts
    them), and resends a request once if a reused connection closed before any byte of
    the answer (closed while the request was on its way: it was not served).
    """

    reopened = 0

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def exchange(self, request: bytes) -> tuple[int, bytes, bytes]:
        """(status, head, body); a broken connection or a timeout raises, closed."""
        from tests.bench.loadgen import read_response

        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                for last in (False, True):
                    reused = self.reader is not None and not self.reader.at_eof()
                    if not reused:
                        self.close()
                        await self.open()
                        _Connection.reopened += 1
                    tap = _Tap(self.reader)
                    self.writer.write(request)
                    try:
                        status, close, body = await read_response(tap)
                        break
                    except (asyncio.IncompleteReadError, ConnectionResetError) as error:
                        if last or not reused or getattr(error, "partial", b"") or tap.head:
                            raise
                        self.close()
        except BaseException:
            self.close()
            raise
        if close:
            self.close()
        return status, tap.head, body


BROKEN = (OSError, asyncio.IncompleteReadError, ValueError)


@dataclass
class Page:
    """What the attempt page gives the browser's script."""

    attempt: int
    answer_url: str
    csrf: str
    questions: list[int]
    options: dict[int, list[int]]
    versions: dict[int, int]


def _page(attempt: int, body: bytes) -> Page | None:
    url = re.search(rb'data-answer-url="([^"]+)"', body)
    csrf = re.search(rb'data-csrf="([^"]+)"', body)
    versions = re.search(rb'id="attempt-versions">(.*?)</script>', body, re.S)
    questions = [int(q) for q in re.findall(rb'data-question="(\d+)"', body)]
    options: dict[int, list[int]] = {}
    for q, o in re.findall(rb'name="q(\d+)" value="(\d+)"', body):
        options.setdefault(int(q), []).append(int(o))
    if not (url and csrf and versions and questions) or set(options) != set(questions):
        return None
    return Page(
        attempt=attempt,
        answer_url=url.group(1).decode(),
        csrf=csrf.group(1).decode(),
        questions=questions,
        options=options,
        versions={int(k): v for k, v in json.loads(versions.group(1)).items()},
    )


@dataclass
class Results:
    bare: list[float] = field(default_factory=list)
    bare_acked: int = 0
    starts: list[float] = field(default_factory=list)
    saves: list[float] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)
    # (attempt, question) -> (version, option) of the last acknowledged save
    acked: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    starts_done: int = 0
    # Server CPU seconds and saves answered when the last start was answered.
    at_last_start: tuple[float, int] = (0.0, 0)
    bare_cpu: float = 0.0
    exam_cpu: float = 0.0
    bare_seconds: float = 0.0
    exam_seconds: float = 0.0
    client_cpu_share: float = 0.0
    reopened: int = 0  # connections the server had closed, opened again


async def _until(at: float) -> None:
    await asyncio.sleep(max(0.0, at - time.perf_counter()))


def _answer(question: int, option: int, version: int) -> bytes:
    return json.dumps(
        {"question": question, "response": {"option": option}, "version": version}
    ).encode()


async def _warm_up(conns, clients, out: Results) -> None:
    for conn, client in zip(conns, clients, strict=False):
        with contextlib.suppress(*BROKEN, TimeoutError):
            await conn.exchange(_get("/testing/", client.cookie))
            request = _post("/bench/insert", client.cookie, _answer(1, 1, 1), "application/json",
                            client.token)  # fmt: skip
            status, _head, _body = await conn.exchange(request)
            out.bare_acked += status == 200


async def _timed(conn, request: bytes, out: Results, kind: str) -> tuple[bytes, float] | None:
    """Send `request` and time it: (body, seconds) when answered 200; else None, the
    failure counted under `kind` (a timeout, a broken connection, another status)."""
    began = time.perf_counter()
    try:
        status, _head, body = await conn.exchange(request)
    except TimeoutError:
        out.failures[f"{kind} timeout"] += 1
        return None
    except BROKEN:
        out.failures[f"{kind} connection"] += 1
        return None
    if status != 200:
        out.failures[f"{kind} {status}"] += 1
        return None
    return body, time.perf_counter() - began


async def _bare_student(i: int, n: int, conn, client: Client, t0: float, out: Results) -> None:
    offset = i * SPREAD / n
    for k in range(SAVES):
        await _until(t0 + offset + k * PERIOD)
        body = _answer(1000 + k, 4000 + k, 1)
        request = _post("/bench/insert", client.cookie, body, "application/json", client.token)
        answered = await _timed(conn, request, out, "bare insert")
        if answered is None:
            continue
        out.bare.append(answered[1])
        out.bare_acked += 1


async def _start(test_id: int, conn, client: Client, out: Results) -> Page | None:
    began = time.perf_counter()
    body = f"csrfmiddlewaretoken={client.token}".encode()
    try:
        request = _post(f"/testing/tests/{test_id}/start/", client.cookie, body,
                        "application/x-www-form-urlencoded")  # fmt: skip
        status, _head, body = await conn.exchange(request)
    except TimeoutError:
        out.failures["start timeout"] += 1
        return None
    except BROKEN:
        out.failures["start connection"] += 1
        return None
    if status != 200:
        out.failures[f"start {status}"] += 1
        return None
    found = re.search(rb'data-page-url="([^"]+)"', body)
    match = ATTEMPT_PATH.fullmatch(found.group(1).decode()) if found else None
    page = _page(int(match.group(1)), body) if match else None
    if page is None:
        out.failures["attempt page without its questions"] += 1
        return None
    out.starts.append(time.perf_counter() - began)
    return page


async def _exam_student(
    i: int, n: int, conn, client: Client, test_id: int, t1: float, out: Results, cpu
) -> None:
    offset = i * SPREAD / n
    await _until(t1 + offset)
    try:
        page = await _start(test_id, conn, client, out)
    finally:
        out.starts_done += 1
        if out.starts_done == n:
            out.at_last_start = (cpu(), len(out.saves))
    if page is None:
        return
    rng = random.Random(i)
    for k in range(SAVES):
        await _until(t1 + offset + (k + 1) * PERIOD)
        question = page.questions[k % len(page.questions)]
        option = rng.choice(page.options[question])
        version = page.versions[question] = page.versions.get(question, 0) + 1
        request = _post(page.answer_url, client.cookie, _answer(question, option, version),
                        "application/json", page.csrf)  # fmt: skip
        answered = await _timed(conn, request, out, "save")
        if answered is None:
            continue
        body, elapsed = answered
        stored = None
        with contextlib.suppress(ValueError, AttributeError):
            stored = json.loads(body).get("version")
        if stored != version:
            out.failures["save answered without its version"] += 1
            continue
        out.saves.append(elapsed)
        out.acked[(page.attempt, question)] = (version, option)


async def _load(ports: list[int], clients: list[Client], test_id: int, cpu) -> Results:
    out = Results()
    n = len(clients)
    _Connection.reopened = 0
    conns = [_Connection(ports[i % len(ports)]) for i in range(n)]
    await asyncio.gather(*(c.open() for c in conns))
    await _warm_up(conns[:WARM_UP], clients[:WARM_UP], out)
    client_cpu, wall = time.process_time(), time.perf_counter()

    cpu0 = cpu()
    t0 = time.perf_counter() + 1.0
    await asyncio.gather(*(_bare_student(i, n, conns[i], clients[i], t0, out) for i in range(n)))
    out.bare_cpu, out.bare_seconds = cpu() - cpu0, time.perf_counter() - t0
    _log(f"{SCENARIO}: baseline phase done, {len(out.bare)} bare inserts")

    cpu1 = cpu()
    t1 = time.perf_counter() + 1.0
    await asyncio.gather(
        *(_exam_student(i, n, conns[i], clients[i], test_id, t1, out, cpu) for i in range(n))
    )
    out.exam_cpu, out.exam_seconds = cpu() - cpu1, time.perf_counter() - t1
    out.at_last_start = (out.at_last_start[0] - cpu1, out.at_last_start[1])
    out.client_cpu_share = (time.process_time() - client_cpu) / (time.perf_counter() - wall)
    for conn in conns:
        conn.close()
    out.reopened = _Connection.reopened
    return out


def _run_async(coro):
    if uvloop is not None:
        return uvloop.run(coro)
    return asyncio.run(coro)


def _p(values: list[float], q: int) -> float:
    """The q-th percentile in ms (NaN, never met, without enough values)."""
    if len(values) < 2:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def _lost(test, acked: dict[tuple[int, int], tuple[int, int]]) -> tuple[int, int]:
    """(acknowledged answers missing or older in the database, answer rows stored)."""
    from hub.testing.models import Answer

    stored = {
        (attempt, question): (version, (response or {}).get("option"))
        for attempt, question, version, response in Answer.objects.filter(
            attempt__test=test
        ).values_list("attempt_id", "question_id", "version", "response")
    }
    lost = 0
    for key, (version, option) in acked.items():
        have = stored.get(key)
        if have is None or have[0] < version or (have[0] == version and have[1] != option):
            lost += 1
    return lost, len(stored)


def _cleanup(test, bank, clients: list[Client]) -> None:
    from django.contrib.sessions.models import Session

    test.delete()  # its assignments, draws, attempts and answers
    bank.delete()
    Session.objects.filter(session_key__in=[c.session_key for c in clients]).delete()
    _bare_table(create=False)
    _vacuum()


def _vacuum() -> None:
    """Leave the database as autovacuum would in time: a run deletes what it wrote (30,000
    answers, 500 attempts and sessions), and the next run, minutes later, otherwise walked
    their dead rows in every index lookup (its figures drifting from run to run)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def run(env: dict[str, str] | None = None) -> list[Row]:
    from django.db import connection

    env = dict(env or {})
    test, bank, clients, groups = _setup(STUDENTS)
    try:
        _bare_table(create=True)
        connection.close()  # the servers write; this process only reads afterwards
        _log(
            f"{SCENARIO}: {len(clients)} students of {groups} groups start within {SPREAD:g} s, "
            f"then save an answer every {PERIOD:g} s ({SAVES} saves); {SERVERS} {SERVER}"
        )
        with contextlib.ExitStack() as stack:
            servers = [
                stack.enter_context(Server(SERVER, env, name=f"testing-{k}"))
                for k in range(SERVERS)
            ]

            def cpu() -> float:
                return sum(s.cpu_seconds() for s in servers)

            out = _run_async(_load([s.port for s in servers], clients, test.pk, cpu))
        if out.failures:
            _log(f"{SCENARIO}: refused: {dict(out.failures)}")
        lost, stored = _lost(test, out.acked)
        bare_rows = _bare_rows()
        return _rows(out, lost, stored, bare_rows, len(clients), groups)
    finally:
        _cleanup(test, bank, clients)


def _rows(out: Results, lost: int, stored: int, bare_rows: int, n: int, groups: int) -> list[Row]:
    errors = sum(out.failures.values())
    start_errors = sum(v for k, v in out.failures.items() if k.startswith(("start", "attempt")))
    save_errors = sum(v for k, v in out.failures.items() if k.startswith("save"))
    bare_lost = max(out.bare_acked - bare_rows, 0)
    kinds = ", ".join(f"{k}: {v}" for k, v in sorted(out.failures.items())) or "none"
    shape = (
        f"{n} students ({groups} groups), starts over {SPREAD:g} s, a save every {PERIOD:g} s "
        f"x {SAVES}; {SERVERS} {SERVER}"
    )
    start95, save95, bare95 = _p(out.starts, 95), _p(out.saves, 95), _p(out.bare, 95)
    # Server CPU: the saves answered after the last start was answered, alone; the
    # starts then get what is left of the exam phase's CPU.
    cpu_at_start, saves_at_start = out.at_last_start
    later = len(out.saves) - saves_at_start
    per_save = (out.exam_cpu - cpu_at_start) / later if later > 0 else float("nan")
    per_start = (
        (cpu_at_start - saves_at_start * per_save) / len(out.starts)
        if out.starts and later > 0
        else float("nan")
    )
    per_bare = out.bare_cpu / len(out.bare) if out.bare else float("nan")
    return [
        row(SCENARIO, "start p95", start95, "ms",
            target=f"<= {START_TARGET_MS:g} ms, 0 errors",
            met=start95 <= START_TARGET_MS and start_errors == 0,
            note=f"POST start, answered with the attempt page (200); {len(out.starts)} of "
                 f"{n} started, {start_errors} refused; {shape}"),
        row(SCENARIO, "start p50", _p(out.starts, 50), "ms", compare=False),
        row(SCENARIO, "answer save p95", save95, "ms", baseline=bare95,
            target=f"<= {SAVE_TARGET_MS:g} ms, 0 errors",
            met=save95 <= SAVE_TARGET_MS and save_errors == 0,
            note=f"POST answer (200 with its version), {len(out.saves)} answered, {save_errors} "
                 "refused; baseline: the bare insert p95"),
        row(SCENARIO, "answer save p50", _p(out.saves, 50), "ms", baseline=_p(out.bare, 50),
            note="baseline: the bare insert p50"),
        row(SCENARIO, "bare insert p95", bare95, "ms", compare=False,
            note=f"/bench/insert: session, user, CSRF and one INSERT; {len(out.bare)} answered, "
                 "same students, connections and schedule, before the exam (baseline)"),
        row(SCENARIO, "bare insert p50", _p(out.bare, 50), "ms", compare=False),
        row(SCENARIO, "errors", errors, "requests", target="0", met=errors == 0,
            note=f"{kinds}; {out.reopened} idle connections closed by the server and reopened"),
        row(SCENARIO, "answers lost", lost, "answers", target="0", met=lost == 0 and bare_lost == 0,
            note=f"{len(out.acked)} answers acknowledged (last version each), {stored} stored; "
                 f"bare inserts: {out.bare_acked} acknowledged, {bare_rows} rows"),
        row(SCENARIO, f"{SERVER} CPU per save", 1000 * per_save, "ms", baseline=1000 * per_bare,
            note=f"saves answered after the last start ({later}); baseline: per bare insert"),
        row(SCENARIO, f"{SERVER} CPU per start", 1000 * per_start, "ms", compare=False,
            note="POST + page: the exam phase's CPU until the last start, less its saves"),
        row(SCENARIO, f"{SERVER} CPU use", out.exam_cpu / out.exam_seconds, "cores",
            baseline=out.bare_cpu / out.bare_seconds,
            note=f"CPU time / wall time of the {SERVERS} server process(es) over the exam phase "
                 f"({out.exam_seconds:.0f} s); baseline: over the bare insert phase "
                 f"({out.bare_seconds:.0f} s); one process runs Python on one core at most"),
        row(SCENARIO, "client CPU share", out.client_cpu_share, "cores", compare=False,
            note="the load generator's CPU time / wall time over both phases"),
    ]  # fmt: skip


def main() -> int:
    from tests.bench.environment import run_alone

    return run_alone(run, "testing")


if __name__ == "__main__":
    raise SystemExit(main())
