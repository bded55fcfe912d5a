"""The media worker: the built-in server's rooms in a process of their own, fed by the channel layer.

`manage.py media_worker` runs `MediaWorker.run()`: it receives the class
consumers' requests on MEDIA_CHANNEL (realtime.classes.media.client), carries
each out on this process's rooms with InProcessMedia (the very code the
embedded default runs inside the web process) and answers to the request's
`reply_to`. Requests are handled concurrently, each in a task of its own: a
consumer waits for the answer before it sends its socket's next request, so
one participant's messages keep their order. Server-initiated offers go
straight to the participant's socket channel (rooms.route_signal), learnt at
join.

One worker holds all the rooms: run exactly one per deployment (several would
split a class's participants between them). Stopping it ends every room
(recordings are finished and their paths logged); the browsers see their media
stop and reload.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from channels.layers import get_channel_layer

from realtime.classes.media.client import (
    MEDIA_CHANNEL,
    REPLY_TYPE,
    REQUEST_TYPE,
    InProcessMedia,
    MediaError,
    error_code,
)

logger = logging.getLogger(__name__)

OPERATIONS = ("join", "signal", "moderate", "leave", "close")


class MediaWorker:
    """Consumes `channel` on the channel layer and answers every request; `stop()` ends the rooms."""

    def __init__(self, *, channel: str = MEDIA_CHANNEL, layer=None) -> None:
        self.channel = channel
        self.layer = layer
        self.media = InProcessMedia()
        self.handled = 0
        self._tasks: set[asyncio.Task] = set()
        self._main: asyncio.Task | None = None

    async def run(self) -> None:
        """Receive and handle requests until cancelled, then close every room."""
        layer = self.layer or get_channel_layer()
        logger.debug("media worker: consuming %s", self.channel)
        try:
            while True:
                message = await layer.receive(self.channel)
                if message.get("type") != REQUEST_TYPE:
                    logger.warning("media worker: ignored a %r message", message.get("type"))
                    continue
                task = asyncio.ensure_future(self.handle(layer, message))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        finally:
            await self.shutdown()

    def start(self) -> asyncio.Task:
        """Run in a task of the current event loop (tests, the management command)."""
        self._main = asyncio.ensure_future(self.run())
        return self._main

    async def stop(self) -> None:
        """Cancel the task of `start` and wait until its rooms are closed."""
        main = self._main
        if main is not None and not main.done():
            main.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await main

    async def shutdown(self) -> None:
        """Finish the requests in hand, then end every room of this process."""
        from realtime.classes import rooms

        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for name in list(rooms.builtin_provider().rooms):
            try:
                path = await rooms.room_close(name)
            except Exception:
                logger.exception("media worker: closing %s failed", name)
                continue
            if path:
                logger.warning(
                    "media worker: %s ended by shutdown, its recording is %s", name, path
                )

    async def handle(self, layer, message: dict[str, Any]) -> None:
        """Carry out one request and send its answer (errors become an answer, never a silence)."""
        op, args = message.get("op"), message.get("args") or {}
        if message.get("deadline", float("inf")) < time.time():
            logger.info("media worker: skipped a stale %s", op)
            return
        try:
            if op not in OPERATIONS:
                raise MediaError(f"unknown operation {op!r}")
            result = await getattr(self.media, op)(**args)
            if op == "join":
                result = result.as_dict()
            reply: dict[str, Any] = {"ok": True, "result": result}
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if not isinstance(error, MediaError):
                logger.exception("media worker: %s in %s failed", op, args.get("room"))
            reply = {"ok": False, "error": error_code(error), "detail": str(error)}
        self.handled += 1
        reply_to = message.get("reply_to")
        if reply_to:
            await layer.send(reply_to, {"type": REPLY_TYPE, "id": message.get("id"), **reply})
