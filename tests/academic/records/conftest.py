"""Records fixtures live in tests/conftest.py (other apps' tests need enrolled students too)."""

from tests.conftest import ADMITTED_ON, Enrolled, admit, personal_file

__all__ = ["ADMITTED_ON", "Enrolled", "admit", "personal_file"]
