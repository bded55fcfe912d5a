"""Admission of HTTP requests into Django: a bounded number at a time per process.

Django runs each synchronous view on a thread of its own (asgiref), so under an ASGI
server every request that arrives is started at once: at an exam's start hundreds of
threads took turns on one interpreter lock, each request as slow as all of them
together, and the answer saves of students already writing waited behind them
(`python -m tests.bench.testing_spike`). A WSGI server bounds this with its workers
and threads; this does the same in front of Django's ASGI application: at most
`limit` requests are inside Django at once, the others wait on the event loop, in
order of arrival, holding no thread and no database connection.

A request leaves the gate when its response starts, so a long download streaming its
body does not hold a place. Lean paths (hub.lean) are not gated: they run on the
loop's own bounded thread pool.
"""

from __future__ import annotations

import asyncio
import weakref


def admission_gate(app, limit: int):
    """`app` (an ASGI application) with at most `limit` HTTP requests inside it at once;
    `limit` 0 lets every request in."""
    if limit <= 0:
        return app
    # One gate per event loop (a semaphore waits on one loop only): a server runs one, a
    # test client may run one per request; a loop closed and gone takes its gate with it.
    gates: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    async def gated(scope, receive, send):
        loop = asyncio.get_running_loop()
        gate = gates.get(loop)
        if gate is None:
            gate = gates[loop] = asyncio.Semaphore(limit)
        await gate.acquire()
        inside = True

        def leave():
            nonlocal inside
            if inside:
                inside = False
                gate.release()

        async def send_leaving_at_start(message):
            if message["type"] == "http.response.start":
                leave()
            await send(message)

        try:
            return await app(scope, receive, send_leaving_at_start)
        finally:
            leave()

    return gated
