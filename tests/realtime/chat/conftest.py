import pytest


@pytest.fixture(autouse=True)
def _english(in_english):
    """Messages are compared with their English source here."""
