"""The bare broadcast baseline of the realtime scenarios: a `websockets` server, no Django.

A socket on `/<room>` joins the room; every text frame it sends is relayed
unchanged to every socket of the room (the sender too). No authentication, no
storage, no channel layer: what one Python process on this machine can fan out
at best, so the project's figures can be read as a share of it.
Run as `python -m tests.bench.realtime_bare PORT`; `/healthz` answers 200.
"""

from __future__ import annotations

import asyncio
import sys
from collections import defaultdict
from http import HTTPStatus

from websockets.asyncio.server import broadcast, serve

rooms: dict[str, set] = defaultdict(set)


def healthz(connection, request):
    if request.path == "/healthz":
        return connection.respond(HTTPStatus.OK, "ok\n")
    return None


async def relay(socket) -> None:
    members = rooms[socket.request.path]
    members.add(socket)
    try:
        async for text in socket:
            broadcast(members, text)
    finally:
        members.discard(socket)


async def main(port: int) -> None:
    async with serve(relay, "127.0.0.1", port, process_request=healthz, max_queue=None) as server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.run(main(int(sys.argv[1])))
    except ImportError:
        asyncio.run(main(int(sys.argv[1])))
