"""`/ws/proctor/<test_id>/`: the live grid of one test's proctors.

On connect the socket is authenticated and checked against the test
(permissions.access_proctored_test: its owner, chosen proctors and managers),
joined to `proctor.<test id>`, and sent `proctor.synced` with every attempt in
progress as the database has it (so a reconnect loses nothing). It then
forwards the test's proctoring events (proctor.frame, proctor.page_event,
proctor.attempt). A missing test and a stranger are both closed with
CLOSE_NOT_PROCTOR (no probing of ids).

The client sends `{"type": "ping"}` (answered `pong`) and `{"type": "sync"}`
(answered by a fresh `proctor.synced`).
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.http import Http404

from proctoring.permissions import access_proctored_test
from proctoring.selectors import live_snapshot
from realtime.consumers import CLOSE_UNAUTHENTICATED, Command, CommandConsumer, event_text
from realtime.events import EventType
from realtime.groups import group_proctor

# The test does not exist or the user is none of its proctors (same code: no probing).
CLOSE_NOT_PROCTOR = 4404
SYNCED = "proctor.synced"
PROCTOR_EVENTS = {
    EventType.PROCTOR_FRAME.value,
    EventType.PROCTOR_PAGE_EVENT.value,
    EventType.PROCTOR_ATTEMPT.value,
}


class ProctorConsumer(CommandConsumer):
    rate_limit = 20
    rate_window = 10.0

    group: str | None = None
    test = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        # Accept first, then close: a refused handshake reaches the browser as 1006.
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        test_id = self.scope["url_route"]["kwargs"]["test_id"]
        try:
            test = await database_sync_to_async(access_proctored_test)(user, test_id)
        except Http404:
            await self.close(code=CLOSE_NOT_PROCTOR)
            return
        # Join before reading the snapshot, so nothing published in between is lost.
        self.user, self.test, self.group = user, test, group_proctor(test.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.sync({})

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None

    def commands(self) -> dict[str, Command]:
        return {"sync": self.sync}

    async def sync(self, content: dict) -> None:
        rows = await database_sync_to_async(live_snapshot)(self.test)
        await self.send_json({"type": SYNCED, "data": {"test": self.test.pk, "attempts": rows}})

    async def live_event(self, message: dict) -> None:
        if message["event"].get("type") in PROCTOR_EVENTS:
            await self.send(text_data=event_text(message))
