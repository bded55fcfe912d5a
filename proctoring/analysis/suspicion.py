"""The suspicion score of an attempt, 0..100, from its flags and their times.

Frames come every few seconds, so one event — the student leaving for a
minute — flags twenty frames in a row. The score therefore counts episodes:
runs of the same flag with no gap longer than `episode_gap` seconds. Each
episode is worth its flag's weight, more the longer it lasts (up to 3x for
`long_episode` seconds and more). The points add up over the attempt and are
squashed into 0..100 so that the score never overflows and a few severe
episodes are enough to approach 100:

    score = 100 * (1 - exp(-points / SCALE))

With SCALE = 50: one short episode of a second face (25 points) scores 39,
two score 63; a short no-face episode (12) scores 21, an off-centre one (4) 8.

The weights are keyed by flag value, so the caller may add the browser's page
events (a tab hidden, the window left) with weights of its own; a kind with
no weight counts for nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import NamedTuple

from proctoring.analysis.frames import Flag

WEIGHTS: Mapping[str, float] = {
    # Another person in the picture: the clearest sign of help.
    Flag.MANY_FACES: 25.0,
    # Lens covered or light off: hides everything else, on purpose more often than not.
    Flag.DARK: 15.0,
    # Student not in the picture: left the seat or the camera was turned.
    Flag.NO_FACE: 12.0,
    # Looking away or sitting back: often innocent (stretching, thinking), so light.
    Flag.OFF_CENTRE: 4.0,
    Flag.FACE_SMALLER: 4.0,
}
EPISODE_GAP = 15.0
LONG_EPISODE = 60.0
SCALE = 50.0


class FlagEvent(NamedTuple):
    """A flag (or page event) raised at a time: seconds, or a datetime."""

    at: float | datetime
    flag: str


def suspicion(
    events: Iterable[FlagEvent | tuple[float | datetime, str]],
    *,
    weights: Mapping[str, float] = WEIGHTS,
    episode_gap: float = EPISODE_GAP,
    long_episode: float = LONG_EPISODE,
) -> float:
    """The attempt's score, 0 (nothing flagged) to 100; the events may come in any order."""
    points = sum(
        weights.get(flag, 0.0) * (1 + 2 * min(duration / long_episode, 1.0))
        for flag, duration in episodes(events, episode_gap=episode_gap)
    )
    return 100.0 * (1.0 - math.exp(-points / SCALE))


def episodes(
    events: Iterable[FlagEvent | tuple[float | datetime, str]], *, episode_gap: float = EPISODE_GAP
) -> list[tuple[str, float]]:
    """(flag, duration in seconds) for each run of one flag, in order of flag then time."""
    times: dict[str, list[float]] = defaultdict(list)
    for at, flag in events:
        times[str(flag)].append(_seconds(at))
    found = []
    for flag, moments in sorted(times.items()):
        moments.sort()
        start = previous = moments[0]
        for moment in moments[1:]:
            if moment - previous > episode_gap:
                found.append((flag, previous - start))
                start = moment
            previous = moment
        found.append((flag, previous - start))
    return found


def _seconds(at: float | datetime) -> float:
    return at.timestamp() if isinstance(at, datetime) else float(at)
