"""The fastest server we can write in Python: it answers "ok" to every request.

The harness points the load generator at it to find the generator's own
ceiling (requests/s it can drive on this machine); a measured server should
stay well below that ceiling, or the numbers measure the client.
Run as `python -m tests.bench.ceiling_server PORT`.
"""

from __future__ import annotations

import asyncio
import sys

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


class Answer(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.pending = b""

    def data_received(self, data):
        self.pending += data
        count = self.pending.count(b"\r\n\r\n")
        if count:
            self.pending = self.pending[self.pending.rindex(b"\r\n\r\n") + 4 :]
            self.transport.write(RESPONSE * count)


async def main(port: int) -> None:
    server = await asyncio.get_running_loop().create_server(Answer, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.run(main(int(sys.argv[1])))
    except ImportError:
        asyncio.run(main(int(sys.argv[1])))
