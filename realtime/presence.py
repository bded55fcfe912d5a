"""Who is online now (issue 5, presence): kept in the shared cache, expiring without heartbeats.

Each open tab's socket touches the user's key when it connects and on every
ping (about every 25 s); the key lives PRESENCE_TTL seconds. With Redis the
cache is shared by every server process, so presence is right across
processes; a crashed process simply stops touching and its users fade out
within PRESENCE_TTL. The embedded default (one process) keeps it in memory.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache

PRESENCE_TTL = 70  # seconds: two missed pings and a little slack


def _key(user_id: int) -> str:
    return f"presence:{user_id}"


def presence_touch(user_id: int) -> None:
    """Mark the user online for the next PRESENCE_TTL seconds."""
    cache.set(_key(user_id), int(time.time()), timeout=PRESENCE_TTL)


def online_among(user_ids: Iterable[int]) -> set[int]:
    """Which of `user_ids` are online now (one cache round trip)."""
    ids = list(user_ids)
    found = cache.get_many([_key(i) for i in ids])
    return {i for i in ids if _key(i) in found}
