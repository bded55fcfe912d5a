"""Tests of proctoring; the camera-frame fixtures are in fixtures/ (see its README)."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def frame(name: str) -> bytes:
    """A committed 320x240 JPEG fixture by name (one_face, two_faces, dark, ...)."""
    return (FIXTURES / f"{name}.jpg").read_bytes()
