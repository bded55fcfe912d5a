"""Choosing the media provider by class size (issue 7, item 8)."""

from __future__ import annotations

import pytest
from django.utils import translation

from realtime.classes.media.provider import JoinInfo, MediaProvider, Role, choose_provider

# The reasons are compared with their English source.
pytestmark = pytest.mark.usefixtures("in_english")


class Fake(MediaProvider):
    def __init__(self, name: str, limit: int) -> None:
        super().__init__(max_participants=limit)
        self.name = name

    async def join(self, room: str, participant: str, role: Role) -> JoinInfo:
        return JoinInfo(self.name, "sfu", room, participant, role)

    async def close(self, room: str) -> None:
        return None


BUILTIN = Fake("builtin", 12)
LIVEKIT = Fake("LiveKit", 500)


def test_a_class_that_fits_uses_the_builtin_server():
    choice = choose_provider(12, builtin=BUILTIN, external=LIVEKIT)
    assert choice.provider is BUILTIN and choice.builtin
    assert "up to 12 participants" in str(choice.reason)


def test_a_larger_class_goes_to_the_external_provider_and_says_why():
    choice = choose_provider(13, builtin=BUILTIN, external=LIVEKIT)
    assert choice.provider is LIVEKIT and not choice.builtin
    assert "13 participants" in str(choice.reason) and "LiveKit" in str(choice.reason)


def test_a_larger_class_without_an_external_provider_gets_none():
    choice = choose_provider(13, builtin=BUILTIN)
    assert choice.provider is None
    assert "no external media server is configured" in str(choice.reason)


def test_the_reason_is_translatable():
    with translation.override("en"):
        assert str(choose_provider(1, builtin=BUILTIN).reason).startswith("This class uses")


def test_a_provider_needs_room_for_someone():
    with pytest.raises(ValueError):
        Fake("x", 0)
