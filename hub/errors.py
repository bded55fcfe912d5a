"""The one error every action raises for a request the domain refuses."""

from __future__ import annotations


class DomainError(Exception):
    """Bad input or a forbidden transition; the message is translated and safe to show.

    Views re-render with the message, the API answers 400 with it as `detail`.
    """

    def __init__(self, message: str, *, messages: list[str] | None = None) -> None:
        super().__init__(message)
        self.messages = messages or [message]


# Seconds a client is asked to wait (Retry-After) when the server is overloaded.
RETRY_AFTER_SECONDS = 5


def is_overload(error: BaseException | None) -> bool:
    """Whether `error` (or what caused it) is the database pool having no connection to
    give within its timeout: the server is overloaded, not broken, and the request is
    worth retrying (503 with Retry-After) rather than a 500."""
    try:
        from psycopg_pool import PoolTimeout
    except ImportError:  # no pool (SQLite): nothing to run out of
        return False
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, PoolTimeout):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False
