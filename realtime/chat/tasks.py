"""Periodic work of the chats, run by Celery beat (settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from hub.celery import app
from realtime.chat.membership import group_chats_sync, stream_chats_sync


@app.task(name="chat.sync_group_chats")
def sync_group_chats() -> int:
    """Bring every active group's chat, and every current course stream's chat, in step with
    the records today (orders effective today, courses made in bulk); returns how many chats."""
    return group_chats_sync() + stream_chats_sync()
