"""Settings of the e2e server that runs Celery tasks where they are queued
(tests/e2e/conftest.py: eager_live_server_url): the project's own, plus eager tasks."""

from hub.settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = True
