"""Reads of proctoring, with the joins that keep a page's query count constant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch

from hub.testing.models import Attempt, AttemptStatus, Test
from proctoring.analysis.suspicion import episodes
from proctoring.labels import label, labels
from proctoring.models import CAMERA_SILENT, CameraSilence, Frame, PageEvent, ProctoredAttempt


def live_attempts(test: Test) -> list[Attempt]:
    """The test's attempts in progress, with the student and the proctoring row (latest
    frame, score, counts) joined: three queries whatever their number."""
    return list(
        Attempt.objects.filter(test=test, status=AttemptStatus.IN_PROGRESS)
        .select_related("student__user")
        .prefetch_related(
            Prefetch(
                "proctoring",
                queryset=ProctoredAttempt.objects.select_related("latest_frame"),
            )
        )
        .order_by("student__user__last_name", "student__user__first_name", "pk")
    )


def proctoring_of(attempt: Attempt) -> ProctoredAttempt | None:
    try:
        return attempt.proctoring
    except ProctoredAttempt.DoesNotExist:
        return None


def is_silent(row: ProctoredAttempt | None) -> bool:
    """Is the attempt's camera silent now: a silence flagged and no frame analysed since?"""
    if row is None or row.silent_since is None:
        return False
    frame = row.latest_frame
    return frame is None or frame.received_at <= row.silent_since


def tile_flags(row: ProctoredAttempt | None) -> list[str]:
    """What a tile of the live grid shows: "camera silent" while it is, else the latest
    frame's flags."""
    if is_silent(row):
        return [CAMERA_SILENT]
    frame = row.latest_frame if row is not None else None
    return list(frame.flags) if frame is not None else []


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str  # "frame", "page" or "silence"
    flags: tuple[str, ...]
    frame: Frame | None = None
    event: PageEvent | None = None
    silence: CameraSilence | None = None

    @property
    def label(self) -> str:
        return labels(self.flags)


@dataclass(frozen=True)
class Review:
    items: list[TimelineItem]
    # (what, seconds) for each run of one flag or page event, by what and time.
    episodes: list[tuple[str, float]]
    frames: list[Frame]
    row: ProctoredAttempt | None


def attempt_review(attempt: Attempt) -> Review:
    """Flagged frames, page events and silences of the camera in time order, the episodes
    they make, every frame with a thumbnail, and the stored score: four queries."""
    frames = list(
        Frame.objects.filter(attempt=attempt).only(
            "pk", "attempt_id", "taken_at", "flags", "face_count", "thumbnail", "error"
        )
    )
    events = list(PageEvent.objects.filter(attempt=attempt))
    silences = list(CameraSilence.objects.filter(attempt=attempt))
    items = [
        TimelineItem(at=f.taken_at, kind="frame", flags=tuple(f.flags), frame=f)
        for f in frames
        if f.flags or f.error
    ] + [TimelineItem(at=e.at, kind="page", flags=(e.kind,), event=e) for e in events]
    items += [
        TimelineItem(at=s.started_at, kind="silence", flags=(CAMERA_SILENT,), silence=s)
        for s in silences
    ]
    items.sort(key=lambda item: item.at)
    raw = (
        [(f.taken_at, flag) for f in frames for flag in f.flags]
        + [(e.at, e.kind) for e in events]
        + [(s.started_at, CAMERA_SILENT) for s in silences]
    )
    row = ProctoredAttempt.objects.filter(attempt=attempt).first()
    return Review(
        items=items,
        episodes=[(label(flag), seconds) for flag, seconds in episodes(raw)],
        frames=[f for f in frames if f.thumbnail],
        row=row,
    )


def live_row(attempt: Attempt, row: ProctoredAttempt | None) -> dict:
    """One tile of the live grid as JSON (the consumer's `proctor.synced`)."""
    from proctoring.actions import thumbnail_url

    frame = row.latest_frame if row is not None else None
    return {
        "attempt": attempt.pk,
        "student": str(attempt.student),
        "status": attempt.status,
        "deadline": attempt.deadline.isoformat(),
        "thumbnail": thumbnail_url(frame) if frame is not None else "",
        "taken_at": frame.taken_at.isoformat() if frame is not None else None,
        "flags": tile_flags(row),
        "suspicion": round(row.suspicion, 1) if row is not None else 0.0,
        "flag_count": row.flag_count if row is not None else 0,
        "event_count": row.event_count if row is not None else 0,
    }


def live_snapshot(test: Test) -> list[dict]:
    """Every tile of the test's live grid, as a reconnecting socket gets them."""
    return [live_row(a, proctoring_of(a)) for a in live_attempts(test)]
