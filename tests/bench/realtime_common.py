"""What the realtime scenarios share: bench users and sessions, the clock, servers.

The load generator is this process: every simulated browser is a `websockets`
client task on one event loop (uvloop when installed). Its own CPU time is
measured (`CpuMeter`) so a report can say whether the generator, sharing the
machine's cores with the servers, was the limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from dataclasses import dataclass, field

try:
    import uvloop
except ImportError:  # plain asyncio is slower but still correct
    uvloop = None

# Server kind and process count of the realtime scenarios: production runs
# uvicorn, several processes behind nginx (deploy/SCALING.md).
SERVER_KIND = os.environ.get("BENCH_RT_SERVER", "uvicorn")
PROCESSES = int(os.environ.get("BENCH_RT_PROCESSES", "2"))
# uvicorn negotiates permessage-deflate by default: every delivery is then
# compressed once per socket. Off unless BENCH_RT_DEFLATE=1 (see SCALING.md).
DEFLATE = os.environ.get("BENCH_RT_DEFLATE", "0") == "1"


def log(scenario: str, message: str) -> None:
    print(f"{scenario}: {message}", file=sys.stderr, flush=True)


def run_async(coro):
    """Run the generator's coroutine on uvloop when it is installed."""
    if uvloop is not None:
        return uvloop.run(coro)
    return asyncio.run(coro)


def bench_users(count: int, *, prefix: str = "rt-bench") -> list:
    """`count` active student users: the seeded ones first, then made up as needed."""
    from hub.accounts.models import Cabinet, User

    users = list(
        User.objects.filter(cabinet=Cabinet.STUDENT, is_active=True).order_by("id")[:count]
    )
    missing = count - len(users)
    if missing > 0:
        existing = set(
            User.objects.filter(username__startswith=f"{prefix}-").values_list(
                "username", flat=True
            )
        )
        names = [
            f"{prefix}-{n:05d}" for n in range(count * 2) if f"{prefix}-{n:05d}" not in existing
        ]
        User.objects.bulk_create(
            [
                User(username=name, cabinet=Cabinet.STUDENT, first_name="Bench", last_name=name)
                for name in names[:missing]
            ]
        )
        users += list(
            User.objects.filter(username__in=names[:missing], is_active=True).order_by("id")
        )
    return users[:count]


def session_cookies(users) -> list[str]:
    """One signed-in session per user, as the browser's Cookie header."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = []
    for user in users:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return cookies


def server_args(kind: str) -> tuple[str, ...]:
    if kind == "uvicorn" and not DEFLATE:
        return ("--ws-per-message-deflate", "false")
    return ()


@contextlib.contextmanager
def project_servers(env: dict[str, str], *, kind: str = "", processes: int = 0):
    """`processes` ASGI servers of `kind` on the bench database (a list of Server)."""
    from tests.bench.servers import Server

    kind = kind or SERVER_KIND
    with contextlib.ExitStack() as stack:
        yield [
            stack.enter_context(Server(kind, env, name=str(n), extra_args=server_args(kind)))
            for n in range(processes or PROCESSES)
        ]


def percentile_ms(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class CpuMeter:
    """CPU used by this process and by the given server processes over a stretch of time."""

    servers: list = field(default_factory=list)
    wall: float = 0.0
    own: float = 0.0
    server_cpu: float = 0.0

    def __enter__(self) -> CpuMeter:
        self._t0 = time.monotonic()
        self._own0 = time.process_time()
        self._srv0 = sum(s.cpu_seconds() for s in self.servers)
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.monotonic() - self._t0
        self.own = time.process_time() - self._own0
        self.server_cpu = sum(s.cpu_seconds() for s in self.servers) - self._srv0

    @property
    def own_share(self) -> float:
        """Cores the generator used on average."""
        return self.own / self.wall if self.wall else float("nan")

    @property
    def server_share(self) -> float:
        """Cores the servers used on average, all processes together."""
        return self.server_cpu / self.wall if self.wall else float("nan")
