"""At most HTTP_CONCURRENCY requests inside Django at once per process (hub/admission.py).

The application behind the gate here is a plain ASGI app that records how many requests
are inside it and answers when the test lets it: the gate is what is tested, and it takes
any ASGI application.
"""

import asyncio

import pytest

from hub.admission import admission_gate

SCOPE = {"type": "http", "method": "GET", "path": "/"}


class Recorder:
    """An ASGI app counting the requests inside it; each answers when `release` is set,
    its body only when `finish` is (so a response can stay open after it started)."""

    def __init__(self):
        self.inside = 0
        self.most_inside = 0
        self.entered = 0
        self.release = asyncio.Event()
        self.finish = asyncio.Event()

    async def __call__(self, scope, receive, send):
        self.entered += 1
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        try:
            await self.release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
        finally:
            self.inside -= 1
        await self.finish.wait()
        await send({"type": "http.response.body", "body": b"ok"})


async def _request(app, answers: list):
    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        answers.append(message["type"])

    await app(SCOPE, receive, send)


async def _settle():
    for _ in range(20):
        await asyncio.sleep(0)


async def test_no_more_than_the_limit_are_inside_at_once_and_every_request_is_answered():
    inner = Recorder()
    gated = admission_gate(inner, 3)
    answers = []
    requests = [asyncio.create_task(_request(gated, answers)) for _ in range(10)]
    await _settle()

    assert inner.entered == 3  # the other seven wait at the gate, in no thread

    inner.release.set()
    inner.finish.set()
    await asyncio.gather(*requests)

    assert inner.most_inside == 3
    assert inner.entered == 10
    assert answers.count("http.response.body") == 10


async def test_a_request_leaves_the_gate_when_its_response_starts_not_when_its_body_ends():
    inner = Recorder()
    gated = admission_gate(inner, 1)
    answers = []
    streaming = asyncio.create_task(_request(gated, answers))
    inner.release.set()  # the first answers its head; its body stays open (a download)
    await _settle()
    waiting = asyncio.create_task(_request(gated, answers))
    await _settle()

    assert inner.entered == 2  # let in while the first still sends its body

    inner.finish.set()
    await asyncio.gather(streaming, waiting)
    assert answers.count("http.response.body") == 2


async def test_a_request_that_fails_before_answering_gives_its_place_back():
    async def failing(scope, receive, send):
        raise RuntimeError("the view failed")

    gated = admission_gate(failing, 1)
    for _ in range(3):  # with its place kept, the second would wait forever
        with pytest.raises(RuntimeError):
            await asyncio.wait_for(_request(gated, []), timeout=5)


async def test_a_client_gone_while_waiting_at_the_gate_takes_no_place():
    inner = Recorder()
    gated = admission_gate(inner, 1)
    first = asyncio.create_task(_request(gated, []))
    await _settle()
    gone = asyncio.create_task(_request(gated, []))  # waits at the gate, then is cancelled
    await _settle()
    gone.cancel()
    await _settle()
    inner.release.set()
    inner.finish.set()
    await first

    answers = []
    await asyncio.wait_for(_request(gated, answers), timeout=5)
    assert answers == ["http.response.start", "http.response.body"]


def test_limit_zero_lets_every_request_through_unwrapped():
    inner = Recorder()
    assert admission_gate(inner, 0) is inner
