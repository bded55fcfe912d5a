"""One Redis client per process for the cache (hub/cache.py), whatever the request.

Under ASGI Django builds a cache object per request context; each here is built in a
context of its own, as requests are, and reads once, as a request reads its session.
"""

import contextvars
import os
import uuid

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from hub.cache import SharedRedisCache

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL"
)

READS = 20


def _connections_opened_by(backend) -> int:
    """Connections Redis accepted while READS requests each built `backend` and read."""
    url = os.environ["REDIS_URL"]
    prefix = f"cache-test-{uuid.uuid4().hex}"
    server = redis.Redis.from_url(url)
    before = server.info("stats")["total_connections_received"]
    for _ in range(READS):
        cache = contextvars.copy_context().run(backend, url, {"KEY_PREFIX": prefix})
        assert cache.get("session") is None
    return server.info("stats")["total_connections_received"] - before


def test_requests_share_one_connection_where_djangos_backend_opens_one_each():
    assert _connections_opened_by(RedisCache) >= READS
    assert _connections_opened_by(SharedRedisCache) <= 1


def test_what_one_request_writes_the_next_reads():
    url = os.environ["REDIS_URL"]
    params = {"KEY_PREFIX": f"cache-test-{uuid.uuid4().hex}"}
    writer, reader = SharedRedisCache(url, params), SharedRedisCache(url, params)

    writer.set("ключ", "Күн өтүп жатат", 30)

    assert reader.get("ключ") == "Күн өтүп жатат"
    assert writer._cache is reader._cache


def test_another_server_gets_its_own_client():
    url = os.environ["REDIS_URL"]
    other = url.rsplit("/", 1)[0] + "/15"

    assert SharedRedisCache(url, {})._cache is not SharedRedisCache(other, {})._cache
