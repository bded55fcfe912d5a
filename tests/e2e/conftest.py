"""A real Daphne serving hub.asgi on the test database, and one Chromium for the package.

The server is a subprocess, so what the browser sees went through the same
ASGI app, middleware and static files as production. Tests that use it must be
`django_db(transaction=True)`: rows they create are committed, so the server's
own connections can read them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Chromium's fake capture devices (a moving test pattern and a beep) and its
# permission prompt answered "allow": the camera of online classes and proctoring.
MEDIA_ARGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]
DAPHNE = Path(sys.executable).with_name("daphne")


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """Keep the real argon2 hasher here (overrides the suite's MD5 fixture).

    The Daphne subprocess checks passwords with the hashers in settings, so
    users created by these tests must be hashed the same way.
    """


@pytest.fixture(scope="package", autouse=True)
def _orm_beside_playwright():
    # Playwright's sync API keeps an asyncio loop running in this thread while
    # the browser is open, and Django refuses ORM calls when it sees a running
    # loop. The calls here are plain synchronous ones (creating users, the
    # transactional flush), so the check is lifted for this package only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def playwright_driver(_orm_beside_playwright):
    """The package's one Playwright (sync API): every browser of the package is launched from it."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def media_browser(playwright_driver):
    """A Chromium with fake media devices, beside the plain one."""
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *MEDIA_ARGS]
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _database_url() -> str:
    """The URL of the test database this process set up, for the server process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Daphne exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"Daphne did not answer {url} within 30 s:\n{log.read_text()}")


@contextmanager
def daphne(django_db_blocker, **overrides: str) -> Iterator[str]:
    """Daphne on a free port on the test database (with `overrides` in its environment);
    yields its base URL and stops it after."""
    with django_db_blocker.unblock():
        database_url = _database_url()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", **overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = Path(settings.VAR_DIR).resolve() / f"e2e-daphne-{port}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(DAPHNE), "-b", "127.0.0.1", "-p", str(port), "hub.asgi:application"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(f"{url}/login/", process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def live_server_url(django_db_setup, django_db_blocker):
    """Start Daphne on a free port for the module; yield its base URL."""
    with daphne(django_db_blocker) as url:
        yield url


@pytest.fixture(scope="module")
def eager_live_server_url(django_db_setup, django_db_blocker):
    """As live_server_url, but the server runs Celery tasks where they are queued
    (tests/e2e/settings_eager.py), as the suite's `eager` fixtures do.

    For pages that wait on a task's live event: without Redis a worker process
    would publish into its own in-memory channel layer, which the server's
    sockets never see.
    """
    with daphne(django_db_blocker, DJANGO_SETTINGS_MODULE="tests.e2e.settings_eager") as url:
        yield url


@pytest.fixture
def screenshot_dir() -> Path:
    path = Path(settings.VAR_DIR).resolve() / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
