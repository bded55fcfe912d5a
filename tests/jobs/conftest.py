"""A real Celery worker on the configured broker, and a listener on the real channel layer.

The worker runs in a thread of the test process (celery.contrib.testing), so it
shares the in-memory channel layer in embedded mode; with REDIS_URL both the
broker and the channel layer are Redis.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import async_to_sync
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from channels.layers import get_channel_layer
from django.db import connections
from django.utils import translation

import tests.jobs.kinds  # noqa: F401  (registers the test job kinds)
from hub.celery import app
from hub.jobs.models import Job
from realtime.groups import group_user


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in English; outside a request the default is Kyrgyz.
    with translation.override("en"):
        yield


def _close_worker_connections(**kwargs) -> None:
    # The `celery worker` command does this through Celery's Django fixup; the
    # embedded test worker does not, and an open connection would block the
    # flush and the drop of the test database.
    connections.close_all()


@pytest.fixture
def celery_worker(transactional_db):
    app.control.purge()  # messages left by earlier runs would hit a fresh database
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        task_postrun.disconnect(_close_worker_connections)


def wait_until_finished(job: Job, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job.pk} still {job.status} after {timeout} s: {job.message}")


class GroupListener:
    """A channel of the real channel layer, added to one group."""

    def __init__(self, group: str) -> None:
        self.layer = get_channel_layer()
        self.group = group
        self.channel = async_to_sync(self.layer.new_channel)()
        async_to_sync(self.layer.group_add)(group, self.channel)

    def events(self, *, quiet: float = 1.0) -> list[dict]:
        """Every event received until none arrives for `quiet` seconds."""

        async def drain() -> list[dict]:
            received = []
            while True:
                try:
                    message = await asyncio.wait_for(self.layer.receive(self.channel), quiet)
                except TimeoutError:
                    return received
                received.append(message["event"])

        return async_to_sync(drain)()

    def close(self) -> None:
        async_to_sync(self.layer.group_discard)(self.group, self.channel)


@pytest.fixture
def listen():
    listeners = []

    def listen_to(user) -> GroupListener:
        listener = GroupListener(group_user(user.pk))
        listeners.append(listener)
        return listener

    yield listen_to
    for listener in listeners:
        listener.close()
