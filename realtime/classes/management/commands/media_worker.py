"""`manage.py media_worker`: the built-in media server of online classes as a process of its own.

Run exactly one, with CLASSES_MEDIA_WORKER=1 and REDIS_URL set in the web
processes' and its environment (deploy/media-worker.md). SIGTERM or Ctrl-C end
every room and exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.management.base import BaseCommand, CommandError

from realtime.classes.media.client import MEDIA_CHANNEL
from realtime.classes.media.worker import MediaWorker


class Command(BaseCommand):
    help = "Run the online classes' built-in media server, fed by the channel layer."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--channel", default=MEDIA_CHANNEL, help="the channel to consume (default: %(default)s)"
        )

    def handle(self, *args, channel: str, **options) -> None:
        if isinstance(get_channel_layer(), InMemoryChannelLayer):
            raise CommandError(
                "The channel layer is in-memory: web processes cannot reach a media worker. "
                "Set REDIS_URL, or leave CLASSES_MEDIA_WORKER off (the rooms then live in "
                "the web process)."
            )
        asyncio.run(self.serve(channel))
        self.stdout.write("media worker stopped")

    async def serve(self, channel: str) -> None:
        worker = MediaWorker(channel=channel)
        task = worker.start()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, task.cancel)
        self.stdout.write(f"media worker: consuming {channel!r}")
        with contextlib.suppress(asyncio.CancelledError):
            await task
