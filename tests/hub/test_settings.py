"""Start-up with missing or wrong environment variables stops with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start_django(**overrides: str) -> subprocess.CompletedProcess[str]:
    """Load the settings in a fresh interpreter; an empty override unsets the variable."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings"}
    for name, value in overrides.items():
        if value:
            env[name] = value
        else:
            env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("overrides", "names"),
    [
        ({"DEBUG": "0", "SECRET_KEY": ""}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "0", "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL"),
        ({"CHANNEL_CAPACITY": "lots"}, "CHANNEL_CAPACITY"),
    ],
)
def test_a_bad_variable_stops_start_up_with_one_line_naming_it(overrides, names):
    result = start_django(**overrides)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("eBilim configuration error: " + names)


def test_good_variables_start_django():
    result = start_django(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="ebilim.example.kg")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"
