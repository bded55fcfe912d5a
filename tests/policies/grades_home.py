"""The grades home page: open to everyone signed in; its links follow each one's rights."""

from __future__ import annotations

from tests.policy import SIGNED_IN

POLICY = {"grades:home": SIGNED_IN}
