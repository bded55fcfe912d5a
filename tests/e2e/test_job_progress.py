"""A background job's progress bar, live in a real browser, with a real Celery worker.

Daphne (tests/e2e/conftest.py) serves the pages and the socket; a `celery
worker` subprocess on the same test database and broker (the folder under
EBILIM_VAR_DIR, or Redis with REDIS_URL) runs the job. Nothing is mocked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from hub.celery import app
from hub.demo.seed import MAX_STUDENTS
from tests.e2e.conftest import _database_url
from tests.e2e.test_cabinets import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CELERY = Path(sys.executable).with_name("celery")
# The form's maximum. Without Redis the worker's events stay in its own
# in-memory channel layer, so the page learns progress only by polling every
# 2 s; seeding 20,000 students runs about 2.3 s on SQLite here, which still
# puts one poll inside the run (and about 7 s on PostgreSQL with live events).
STUDENTS = MAX_STUDENTS
JOB_TIMEOUT_S = 40

BAR_STATE = """() => {
  const bar = document.querySelector("[data-job-bar]");
  return bar && {
    value: bar.value,
    max: bar.max,
    marker: window.__e2eNotReloaded === true,
    status: document.querySelector("[data-job-status]").textContent.trim(),
  };
}"""


@pytest.fixture
def celery_worker_process(live_server_url, django_db_blocker):
    """`celery worker` in its own process, on the test database and the shared broker."""
    with django_db_blocker.unblock():
        database_url = _database_url()
    app.control.purge()  # messages of earlier runs would name rows of another database
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = Path(settings.VAR_DIR).resolve() / f"e2e-celery-{os.getpid()}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(CELERY), "-A", "hub", "worker", "--pool=solo", "--concurrency=1", "-l", "warning"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_admin_watches_the_seed_job_progress_live_until_its_result(
    page, live_server_url, cast, celery_worker_process
):
    worker, worker_log = celery_worker_process
    frames: list[dict] = []
    sockets: list[str] = []

    def on_websocket(ws):
        sockets.append(ws.url)
        ws.on("framereceived", lambda payload: frames.append(json.loads(payload)))

    page.on("websocket", on_websocket)

    sign_in(page, live_server_url, "admin")
    page.wait_for_url(re.compile(r".*/cabinet/"))
    page.goto(f"{live_server_url}/jobs/")
    page.fill("input[name=students]", str(STUDENTS))
    page.get_by_role("button", name="Seed demo university").click()

    page.wait_for_url(re.compile(rf"{re.escape(live_server_url)}/jobs/(\d+)/$"))
    job_id = int(re.search(r"/jobs/(\d+)/$", page.url).group(1))
    # Gone after any reload: a value seen while it is set came without one.
    page.evaluate("() => { window.__e2eNotReloaded = true; }")

    seen: list[float] = []
    live_values: list[float] = []  # seen on the very page that was first loaded
    state = None
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline:
        assert worker.poll() is None, f"celery worker exited:\n{worker_log.read_text()}"
        try:
            state = page.evaluate(BAR_STATE)
        except PlaywrightError:
            state = None  # the page is reloading to show the result
        if state:
            seen.append(state["value"])
            if state["marker"]:
                live_values.append(state["value"])
            if state["value"] == state["max"] and not state["marker"]:
                break
        time.sleep(0.1)
    else:
        pytest.fail(f"job {job_id} not shown finished in {JOB_TIMEOUT_S} s; bar values {seen}")

    # The bar moved on the page without a reload, and only upwards.
    assert state["max"] == 100
    intermediate = [value for value in live_values if 0 < value < 100]
    assert intermediate, f"no value between 0 and 100 was shown live: {live_values}"
    assert live_values == sorted(live_values), live_values

    # The page reloaded once the job finished and shows the result.
    assert state["status"] == "Succeeded"
    page.wait_for_selector("table.demo-logins")
    assert page.locator("table.demo-logins tbody tr").count() > 0
    assert (
        page.locator(".job-result")
        .inner_text()
        .startswith(f"Demo university with {STUDENTS} students")
    )

    # The per-user socket was connected on the job's page.
    assert any(
        url.startswith(live_server_url.replace("http", "ws") + "/ws/notifications/")
        for url in sockets
    ), sockets
    job_events = [
        frame
        for frame in frames
        if frame.get("type") in ("job.progress", "job.finished")
        and frame.get("data", {}).get("id") == job_id
    ]
    # Without Redis the worker publishes to its own in-memory channel layer, which
    # Daphne never sees: there the bar above moved through status.json polling.
    if settings.REDIS_URL:
        # Worker -> Redis channel layer -> Daphne -> browser: the socket delivered it.
        percents = [f["data"]["percent"] for f in job_events if f["type"] == "job.progress"]
        assert any(0 < percent < 100 for percent in percents), percents
        assert any(f["type"] == "job.finished" for f in job_events), job_events
