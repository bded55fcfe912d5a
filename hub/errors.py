"""The one error every action raises for a request the domain refuses."""

from __future__ import annotations


class DomainError(Exception):
    """Bad input or a forbidden transition; the message is translated and safe to show.

    Views re-render with the message, the API answers 400 with it as `detail`.
    """

    def __init__(self, message: str, *, messages: list[str] | None = None) -> None:
        super().__init__(message)
        self.messages = messages or [message]
