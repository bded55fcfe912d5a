"""The benchmark's own database and the environment its servers run with.

Embedded mode: a fresh SQLite file in var/bench/. With DATABASE_URL set, a
fresh PostgreSQL database named after it with a `_bench` suffix on the same
server, so a benchmark never touches the database it was pointed at. With
REDIS_URL set, the channel layer and cache use Redis under their own prefix.
"""

from __future__ import annotations

import io
import os
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse, urlunparse

if TYPE_CHECKING:
    from hub.accounts.models import User

ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = ROOT / "var" / "bench"
DEMO_STUDENTS = 600  # the size `make run` seeds


def bench_env() -> dict[str, str]:
    """Variables for this process and the servers; set before Django is imported."""
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "EBILIM_VAR_DIR": str(VAR_DIR),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-insecure-key-" + "x" * 40,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        "CHANNEL_PREFIX": "ebilim-bench",
    }
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = _bench_database_url(os.environ["DATABASE_URL"])
    return env


def _bench_database_url(url: str) -> str:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "ebilim"
    return urlunparse(parsed._replace(path=f"/{name}_bench"))


def describe(env: dict[str, str]) -> str:
    database = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
    layer = "Redis" if os.environ.get("REDIS_URL") else "in-memory"
    return f"database {database}, channel layer {layer}"


def recreate_database(env: dict[str, str]) -> None:
    if "DATABASE_URL" not in env:
        for suffix in ("", "-wal", "-shm", "-journal"):
            (VAR_DIR / f"db.sqlite3{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parsed = urlparse(env["DATABASE_URL"])
    name = parsed.path.lstrip("/")
    maintenance = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def migrate_and_seed() -> str:
    """Migrate the bench database and seed the demo university; how it was seeded."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", students=DEMO_STUDENTS, stdout=io.StringIO())
    return f"seed_demo --students {DEMO_STUDENTS}"


def student_session_cookie() -> tuple[str, User]:
    """(Cookie header, user) of a signed-in student, made directly in the database."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from hub.accounts.models import Cabinet, User

    user = User.objects.filter(cabinet=Cabinet.STUDENT, is_active=True).order_by("id").first()
    if user is None:
        user = User.objects.create_user(
            "bench-student", cabinet=Cabinet.STUDENT, last_name="Бенчев", first_name="Бакыт"
        )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", user


def run_alone(run, name: str) -> int:
    """Run one bench module's `run(env)` outside `make bench`, on a database of its own.

    SQLite lives in var/t-<name>/bench/ (PostgreSQL: the `_bench` database of
    DATABASE_URL), recreated and seeded like `make bench` does, unless
    BENCH_REUSE_DB=1 keeps an already seeded one for faster reruns.
    """
    import sys

    folder = ROOT / "var" / f"t-{name}" / "bench"
    env = bench_env()
    env["EBILIM_VAR_DIR"] = str(folder)
    os.environ.update(env)
    folder.mkdir(parents=True, exist_ok=True)
    import django

    from tests.bench.report import table

    print(f"bench: {describe(env)}", file=sys.stderr, flush=True)
    reuse = os.environ.get("BENCH_REUSE_DB") == "1"
    if not reuse and "DATABASE_URL" in env:
        recreate_database(env)
    elif not reuse:
        for suffix in ("", "-wal", "-shm", "-journal"):
            (folder / f"db.sqlite3{suffix}").unlink(missing_ok=True)
    django.setup()
    if reuse:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    else:
        print(f"bench: {migrate_and_seed()}", file=sys.stderr, flush=True)
    print(table(run(env)))
    return 0
