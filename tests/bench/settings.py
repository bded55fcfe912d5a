"""Settings of the benchmark servers: the project's own, plus the bench URLs."""

from hub.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
