"""Database calls of sockets: on the loop's thread pool where the database allows it."""

from __future__ import annotations

import functools

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection, connections


def may_run_in_parallel() -> bool:
    """Whether socket database calls may leave the one shared sync thread.

    SQLite (the embedded mode) has one writer at a time anyway: it keeps the
    shared thread. REALTIME_PARALLEL_DB=False keeps it too (the test suite
    does, for tests inside one transaction that another connection cannot see).
    """
    return connection.vendor != "sqlite" and settings.REALTIME_PARALLEL_DB


def _returning_connections(func):
    """`func`, closing the thread's connections after it: each goes back to the pool.

    Pool threads come and go with their event loop's executor; a connection
    left open on a thread that ends is never given back to psycopg's pool.
    """

    @functools.wraps(func)
    def run(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        finally:
            connections.close_all()

    return run


def parallel_database(func):
    """`database_sync_to_async` on the loop's thread pool rather than the one shared thread.

    Authenticating, posting, joining and catching up are the hot paths (a
    class sending at once, a lecture hall reconnecting): each is a few queries
    that wait on the database, and on the single thread-sensitive thread they
    queued behind one another, process-wide. Each call here is self-contained
    (its own connection from the pool, its own transaction), and one socket's
    messages are still handled one at a time, in order, by its consumer.
    """
    shared = database_sync_to_async(func)
    parallel = database_sync_to_async(_returning_connections(func), thread_sensitive=False)

    @functools.wraps(func)
    async def call(*args, **kwargs):
        chosen = parallel if may_run_in_parallel() else shared
        return await chosen(*args, **kwargs)

    return call
