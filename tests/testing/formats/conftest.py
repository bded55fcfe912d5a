"""The formats' problems are compared with their English source."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _in_english(in_english):
    """Problems are translated: these tests read them in English."""
