"""Typed readers of environment variables.

A missing or wrong value stops start-up with one line that names the variable
and says how to fix it (ConfigurationError), rather than a traceback deep in a
library: manage.py, Daphne, uvicorn and Celery all print it and exit with 1.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse


class ConfigurationError(SystemExit):
    """Start-up stops here; Python prints the one-line message and exits with 1."""

    def __init__(self, message: str) -> None:
        super().__init__(f"eBilim configuration error: {message}")


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(
        f"{name}={raw!r} is not a boolean: set it to 1/0, true/false or yes/no."
    )


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(
            f"{name}={raw!r} is not a whole number: set it to e.g. {default}."
        ) from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envurl(name: str, schemes: tuple[str, ...], example: str) -> str:
    """An URL variable: empty when unset, otherwise checked for one of `schemes`."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    parsed = urlparse(raw)
    if parsed.scheme not in schemes:
        raise ConfigurationError(
            f"{name}={raw!r} is not a valid URL: expected a {'/'.join(schemes)} URL such as {example}."
        )
    return raw
