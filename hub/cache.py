"""Django's Redis cache with one client, so one connection pool, per server process.

Django keeps its cache objects per request under ASGI: the cache handler's storage
follows the request's context (asgiref's Local, not thread-critical), so every request
built a RedisCache of its own, with its own client and connection pool, and its first
read (the session, on every request) opened a new connection to Redis: a TCP connect
and a health check each time. At an exam's start that was 4 % of a server's CPU
(py-spy on `python -m tests.bench.testing_spike`) and one connection opened and dropped
per request. Here the cache objects of one process with the same location and options
share one client; redis-py's pool is thread-safe and opens itself anew after a fork.
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property

_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


class SharedRedisCache(RedisCache):
    """RedisCache whose client is the process's one for its servers and options."""

    @cached_property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = self._class(self._servers, **self._options)
        return client
