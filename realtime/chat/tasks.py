"""Periodic work of the chats, run by Celery beat (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from hub.celery import app
from realtime.chat.membership import group_chats_sync


@app.task(name="chat.sync_group_chats")
def sync_group_chats() -> int:
    """Bring every active group's chat in step with the records today; returns how many."""
    return group_chats_sync()
