"""`manage.py check --deploy` finds nothing with the production environment variables."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The test settings (pytest-env) switch these off for the test client's plain HTTP.
TEST_ONLY = ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS", "DEBUG")


def check_deploy(**production: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(
        DJANGO_SETTINGS_MODULE="hub.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="ebilim.example.kg",
        **production,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = check_deploy()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_check_does_find_a_weak_setting():
    # The same command fails when a production safeguard is off: the test above can fail.
    result = check_deploy(SECURE_COOKIES="0")

    assert result.returncode != 0
    assert "security.W012" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("name", "value"),
    [("SESSION_COOKIE_SECURE", True), ("CSRF_COOKIE_SECURE", True), ("SECURE_SSL_REDIRECT", True)],
)
def test_production_turns_on_the_secure_cookies_and_https(name, value):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="ebilim.example.kg")
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "hub.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip().splitlines()[-1] == str(value), result.stderr
