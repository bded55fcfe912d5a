"""/healthz: can this process reach everything it needs to serve?

Three real round trips, each timed: a query on the database, a message sent to
and received from a fresh channel of the channel layer, and a connection to the
job broker. 200 when all pass, 503 naming what failed, for the load balancer
and the operator. No authentication, nothing secret in the answer.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Seconds each remote check may take: a health probe must answer fast even when
# a service hangs, and a local service answers in well under a millisecond.
CHANNEL_LAYER_TIMEOUT = 1.0
BROKER_TIMEOUT = 1.0

_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]*@")


class CheckFailed(Exception):
    pass


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise CheckFailed(_("No channel layer is configured."))
    async_to_sync(_channel_layer_round_trip)(layer)


async def _channel_layer_round_trip(layer) -> None:
    # A plain (not process-specific) channel: channels_redis reads it with one
    # BZPOPMIN instead of starting its receive loop for this process.
    channel = f"healthz.{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    try:
        async with asyncio.timeout(CHANNEL_LAYER_TIMEOUT):
            await layer.send(channel, {"type": "healthz.ping", "token": token})
            message = await layer.receive(channel)
    except TimeoutError:
        raise CheckFailed(
            _("No answer within %(seconds)s s.") % {"seconds": CHANNEL_LAYER_TIMEOUT}
        ) from None
    if message.get("token") != token:
        raise CheckFailed(_("The channel layer returned another message than the one sent."))


def check_broker() -> None:
    from hub.celery import app

    if app.conf.broker_url.startswith("filesystem:"):
        _ensure_broker_folders(app.conf.broker_transport_options or {})
    with app.connection_for_write(connect_timeout=BROKER_TIMEOUT) as conn:
        conn.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT
        )


def _ensure_broker_folders(options: dict) -> None:
    # kombu's filesystem transport does not create its folders; a missing or
    # read-only one would only show up when the first job is queued.
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if key not in options:
            continue
        folder = Path(options[key])
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise CheckFailed(_("The broker folder %(folder)s is not writable.") % {"folder": key})


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "channel_layer": check_channel_layer,
    "broker": check_broker,
}


def _run(check: Callable[[], None]) -> dict:
    start = time.perf_counter()
    try:
        check()
    except Exception as exc:  # any failure is a failed check, reported with its reason
        return {"ok": False, "ms": _ms_since(start), "reason": _reason(exc)}
    return {"ok": True, "ms": _ms_since(start)}


def _ms_since(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def _reason(exc: Exception) -> str:
    """A short reason: the error class and message, with any URL credentials masked."""
    text = str(exc) if isinstance(exc, CheckFailed) else f"{type(exc).__name__}: {exc}"
    return _CREDENTIALS.sub("***@", text)[:200]


@never_cache
@require_GET
def healthz(request):
    checks = {name: _run(check) for name, check in CHECKS.items()}
    ok = all(result["ok"] for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503
    )
