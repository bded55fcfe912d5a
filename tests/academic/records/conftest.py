"""Records fixtures live in tests/conftest.py (other apps' tests need enrolled students too)."""

import pytest

from tests.conftest import ADMITTED_ON, Enrolled, admit, personal_file


@pytest.fixture(autouse=True)
def _english(in_english):
    """Messages are compared with their English source here."""


__all__ = ["ADMITTED_ON", "Enrolled", "admit", "personal_file"]
