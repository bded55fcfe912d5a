"""Writes of proctoring (TS-8).

- Settings: `proctoring_settings_save` (camera required, frame interval, chosen proctors).
- Frames: `frame_receive` (the upload stored, its analysis queued after commit unless a
  task is pending), `frames_analyse_waiting` (the Celery task's body: batch after batch
  of `frames_analyse`: the frames waiting in one batch; flags, thumbnail, baseline,
  score; published to the proctors), `analysis_queue_if_waiting` (a worker's start),
  `frame_analyse` (one frame, for callers that want it back), `frames_purge` (retention).
- Page events: `page_events_record` (validated, stored, scored, published).
- A camera gone quiet: `camera_silences_flag` (the Celery beat's sweep: a flag for each
  attempt whose camera-required test has had no frame from it for too long).
- The proctor: `proctor_message`, `attempt_extend`, `attempt_end`.

Frames and page events are not audited: 300 students sending a frame every
3 seconds would be a hundred audit rows a second; each row carries its own
times. Every act of a proctor is audited.
"""

from __future__ import annotations

import functools
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import cv2
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from hub.accounts.models import User
from hub.audit.log import audit_record, snapshot
from hub.errors import DomainError
from hub.testing import actions as testing_actions
from hub.testing.models import Attempt, AttemptStatus, Test
from proctoring.analysis import (
    Baseline,
    Flag,
    FrameError,
    FrameResult,
    analyse_batch,
    analyse_frame,
)
from proctoring.analysis.batch import default_workers
from proctoring.analysis.frames import FRAME_SIZE, MAX_FRAME_BYTES, jpeg_size
from proctoring.analysis.suspicion import WEIGHTS, suspicion
from proctoring.models import (
    CAMERA_SILENT,
    CameraSilence,
    Frame,
    PageEvent,
    PageEventKind,
    ProctoredAttempt,
    ProctoringSettings,
)
from realtime.events import EventType, send_event, send_events
from realtime.groups import group_proctor

log = logging.getLogger(__name__)

# Page events count towards the score with weights of their own (see
# proctoring.analysis.suspicion): a second screen or a paste says more than a
# window that lost focus for a notification.
PAGE_EVENT_WEIGHTS = {
    PageEventKind.SECOND_SCREEN: 20.0,
    PageEventKind.PASTE: 8.0,
    PageEventKind.TAB_HIDDEN: 6.0,
    PageEventKind.COPY: 4.0,
    PageEventKind.FULLSCREEN_EXIT: 3.0,
    PageEventKind.WINDOW_BLUR: 2.0,
}
# A camera that stops sending frames hides everything, as a covered one does.
SILENCE_WEIGHTS = {CAMERA_SILENT: WEIGHTS[Flag.DARK]}
SCORE_WEIGHTS = {str(k): v for k, v in {**WEIGHTS, **PAGE_EVENT_WEIGHTS, **SILENCE_WEIGHTS}.items()}
MAX_PAGE_EVENTS = 100
# A browser's clock may be off; a time further than this from the server's is replaced by it.
CLOCK_SKEW = timedelta(minutes=10)
MAX_EXTENSION_MINUTES = 240
SETTINGS_FIELDS = ("requires_camera", "frame_interval")


class AttemptFinished(DomainError):
    """The attempt is no longer in progress: nothing more is received for it."""


class FrameTooLarge(DomainError):
    """The upload is larger than a camera frame can be."""


def settings_of(test: Test) -> ProctoringSettings:
    """The test's proctoring settings (defaults, not stored, for a test that has none)."""
    try:
        return test.proctoring
    except ProctoringSettings.DoesNotExist:
        return ProctoringSettings(test=test)


@transaction.atomic
def proctoring_settings_save(
    *, by: User, test: Test, requires_camera: bool, frame_interval: int, proctors: list[User]
) -> ProctoringSettings:
    """Set whether `test` needs the camera, the seconds between frames and its chosen
    proctors. Audited; nobody is notified (the chosen proctors find the test's live grid
    on its page)."""
    row, _created = ProctoringSettings.objects.select_for_update().get_or_create(test=test)
    before = snapshot(row, SETTINGS_FIELDS) | {
        "proctors": sorted(row.proctors.values_list("pk", flat=True))
    }
    row.requires_camera = requires_camera
    row.frame_interval = frame_interval
    row.full_clean()
    row.save()
    row.proctors.set(proctors)
    audit_record(
        action="proctoring_settings_save",
        obj=row,
        before=before,
        after=snapshot(row, SETTINGS_FIELDS) | {"proctors": sorted(p.pk for p in proctors)},
        actor=by,
    )
    return row


def _in_progress(attempt: Attempt) -> Attempt:
    attempt = testing_actions.expire_if_due(attempt)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AttemptFinished(_("This attempt is finished: nothing more is received for it."))
    return attempt


def _client_time(value, now: datetime) -> datetime:
    """A browser's time (ISO text or epoch milliseconds), or now if missing or implausible."""
    at = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            at = datetime.fromtimestamp(value / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            at = None
    elif isinstance(value, str):
        try:
            at = parse_datetime(value)
        except ValueError:
            at = None
        if at is not None and timezone.is_naive(at):
            at = None
    if at is None or abs(at - now) > CLOCK_SKEW:
        return now
    return at


def frame_receive(*, by: User, attempt: Attempt, jpeg: bytes, taken_at=None) -> Frame:
    """Store a camera frame of `by`'s attempt in progress and queue its analysis.

    Refused: not the attempt's student (DomainError), an attempt no longer in
    progress (AttemptFinished), more than MAX_FRAME_BYTES (FrameTooLarge),
    anything but a 320x240 JPEG (FrameError, read from its header only).
    The analysis (proctoring.tasks.analyse) is queued after commit. Not audited.
    One INSERT committed by itself: no transaction of its own, whose BEGIN and COMMIT
    would be two more round trips to the database for each of 100 frames a second.
    """
    if attempt.student.user_id != by.pk:
        raise DomainError(_("This attempt is not yours."))
    _in_progress(attempt)
    if len(jpeg) > MAX_FRAME_BYTES:
        raise FrameTooLarge(_("A frame is at most %(size)s bytes.") % {"size": MAX_FRAME_BYTES})
    declared = jpeg_size(bytes(jpeg))
    if declared != FRAME_SIZE:
        raise FrameError(f"frame of {declared[0]}x{declared[1]}, expected 320x240")
    now = timezone.now()
    frame = Frame(attempt=attempt, taken_at=_client_time(taken_at, now), received_at=now)
    frame.raw.save("frame.jpg", ContentFile(bytes(jpeg)), save=False)
    frame.save()
    frame_id = frame.pk
    # At once in autocommit; after the caller's commit inside its transaction.
    transaction.on_commit(lambda: _queue_analysis(frame_id))
    return frame


# The mark of an analysis task queued and not started yet (a Redis SET NX through the shared
# cache): the frames stored meanwhile wait for that task instead of each queuing its own,
# which at 100 frames a second was a Celery message and an empty batch for most frames.
# It expires in case that task is lost: the next upload queues another.
ANALYSIS_PENDING_KEY = "proctoring:analysis-pending"
ANALYSIS_PENDING_SECONDS = 2


@functools.cache
def _shared_cache():
    """The cache the web processes and the workers share (Redis), or None in the embedded
    mode: a mark in a cache of one process's own would never be cleared by the worker.
    One instance for the process: `django.core.cache.cache` is one per request context,
    each with its own connection pool, so each upload would open a Redis connection."""
    from django.core.cache import caches
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches.create_connection("default")
    return None if isinstance(cache, LocMemCache | DummyCache) else cache


def _analysis_pending_mark() -> bool:
    """Mark an analysis task as queued; False if one already is (it will take the frame)."""
    cache = _shared_cache()
    if cache is None:
        return True
    try:
        return cache.add(ANALYSIS_PENDING_KEY, 1, ANALYSIS_PENDING_SECONDS)
    except Exception:
        log.exception("the pending analysis could not be marked: queued anyway")
        return True


def analysis_pending_clear() -> None:
    """Clear the mark of a queued analysis task: the next frame stored queues another. The
    task clears it before it looks for the frames waiting, so a frame stored after that
    look is never left to it."""
    cache = _shared_cache()
    if cache is not None:
        try:
            cache.delete(ANALYSIS_PENDING_KEY)
        except Exception:
            log.exception("the pending analysis mark could not be cleared; it expires")


def _queue_analysis(frame_id: int | None = None) -> None:
    """Queue an analysis task for the frames waiting, unless one is queued and not started."""
    from proctoring.tasks import analyse

    if not _analysis_pending_mark():
        return
    # Production routes frames to a queue of their own (deploy/Procfile: `frames`), so
    # that a test of 300 students does not hold up reports; `make run` has one queue.
    try:
        analyse.apply_async((), queue=settings.PROCTORING_FRAMES_QUEUE or None)
    except Exception:
        # The frame and the attempt are stored: the next upload (or a worker's start) queues.
        log.exception("analysis of frame %s was not queued", frame_id)
        analysis_pending_clear()


def analysis_queue_if_waiting() -> bool:
    """Queue an analysis task if any frame waits (a worker starting: the frames stored while
    none ran, or whose task was lost). Whether one was queued. Nobody is notified."""
    if not Frame.objects.filter(analysed_at__isnull=True).exists():
        return False
    analysis_pending_clear()
    _queue_analysis()
    return True


def _baseline(row: ProctoredAttempt) -> Baseline | None:
    if row.baseline_area is None or row.baseline_offset is None:
        return None
    return Baseline(face_area_ratio=row.baseline_area, offset=row.baseline_offset)


def _scores(attempt_ids) -> dict[int, tuple[float, int, int]]:
    """Per attempt: the suspicion over every flag (of its frames, and its camera's silences)
    and page event, and their counts (a silence counts as a flag)."""
    events: dict[int, list] = {pk: [] for pk in attempt_ids}
    flags: dict[int, int] = dict.fromkeys(events, 0)
    pages: dict[int, int] = dict.fromkeys(events, 0)
    for attempt_id, taken_at, frame_flags in (
        Frame.objects.filter(attempt_id__in=events)
        .exclude(flags=[])
        .values_list("attempt_id", "taken_at", "flags")
    ):
        events[attempt_id].extend((taken_at, flag) for flag in frame_flags)
        flags[attempt_id] += len(frame_flags)
    for attempt_id, at, kind in PageEvent.objects.filter(attempt_id__in=events).values_list(
        "attempt_id", "at", "kind"
    ):
        events[attempt_id].append((at, kind))
        pages[attempt_id] += 1
    for attempt_id, started_at in CameraSilence.objects.filter(attempt_id__in=events).values_list(
        "attempt_id", "started_at"
    ):
        events[attempt_id].append((started_at, CAMERA_SILENT))
        flags[attempt_id] += 1
    return {
        pk: (suspicion(found, weights=SCORE_WEIGHTS), flags[pk], pages[pk])
        for pk, found in events.items()
    }


def _score(attempt_id: int) -> tuple[float, int, int]:
    """The suspicion over every flag and page event of the attempt, and their counts."""
    return _scores([attempt_id])[attempt_id]


def thumbnail_url(frame: Frame) -> str:
    return reverse("proctoring:thumbnail", args=[frame.pk]) if frame.thumbnail else ""


# How many waiting frames one task analyses at most: a few tenths of a second of both
# cores, so the batch's transaction (which holds its frames) stays short.
FRAME_BATCH = 64

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _analysis_pool() -> ThreadPoolExecutor:
    """The worker process's analysis threads, one per core, shared by its tasks (made on
    first use, so each process of a prefork worker has its own). These threads are the
    parallelism: OpenCV's own threads are turned off, as they slowed the small batches
    of a worker keeping up (78 against 113 frames/s in batches of 8, the same CPU)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            cv2.setNumThreads(1)
            _executor = ThreadPoolExecutor(default_workers(), thread_name_prefix="frames")
        return _executor


def _read_raw(frame: Frame) -> bytes | str:
    """The stored upload, or why it cannot be read."""
    if not frame.raw:
        return "the upload is missing"
    try:
        with frame.raw.open("rb") as raw:
            return raw.read()
    except OSError as problem:
        return str(problem)[:255]


def _analyse(
    jpegs: list[bytes], baselines: list[Baseline | None]
) -> list[FrameResult | FrameError]:
    """analyse_batch on the worker's pool. Should a frame break OpenCV itself (not a
    refused frame, a FrameError in place), each is analysed alone so that only that
    frame is lost, with its error."""
    try:
        return analyse_batch(jpegs, baselines=baselines, executor=_analysis_pool())
    except Exception:
        log.exception("batch analysis failed: analysing its %s frames one by one", len(jpegs))
    results: list[FrameResult | FrameError] = []
    for jpeg, baseline in zip(jpegs, baselines, strict=True):
        try:
            results.append(analyse_frame(jpeg, baseline=baseline))
        except FrameError as error:
            results.append(error)
        except Exception as error:
            log.exception("analysis of a frame failed")
            results.append(FrameError(f"analysis failed: {error}"))
    return results


def _proctored_rows(attempt_ids: set[int]) -> dict[int, ProctoredAttempt]:
    """The attempts' proctoring rows, made where missing, locked in one order (by pk: two
    batches sharing attempts wait for one another instead of deadlocking)."""

    def locked():
        return {
            row.attempt_id: row
            for row in ProctoredAttempt.objects.select_for_update(of=("self",))
            .select_related("latest_frame")
            .filter(attempt_id__in=attempt_ids)
            .order_by("pk")
        }

    rows = locked()
    if len(rows) < len(attempt_ids):
        # Two batches may meet an attempt's first frames at once: the second insert is a no-op.
        ProctoredAttempt.objects.bulk_create(
            [ProctoredAttempt(attempt_id=pk) for pk in attempt_ids - rows.keys()],
            ignore_conflicts=True,
        )
        rows = locked()
    return rows


def _frame_event(frame: Frame, row: ProctoredAttempt) -> tuple[str, EventType, dict]:
    return (
        group_proctor(frame.test_id),
        EventType.PROCTOR_FRAME,
        {
            "attempt": frame.attempt_id,
            "frame": frame.pk,
            "taken_at": frame.taken_at.isoformat(),
            "flags": frame.flags,
            "face_count": frame.face_count,
            "error": frame.error,
            "thumbnail": thumbnail_url(frame),
            "suspicion": round(row.suspicion, 1),
            "flag_count": row.flag_count,
            "baseline": row.baseline_frame_id == frame.pk,
        },
    )


def _update_each(objs, fields: list[str]) -> None:
    """Save `fields` of each of `objs` (rows of one model): one UPDATE by primary key sent
    for all of them at once (executemany, a pipeline on PostgreSQL). bulk_update's CASE
    expressions cost about 4 ms of Python a frame, half the frame's analysis."""
    if not objs:
        return
    meta = objs[0]._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 - names of the model
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
        + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


FRAME_FIELDS = ["analysed_at", "error", "flags", "face_count", "thumbnail", "raw"]
ROW_FIELDS = [
    "baseline_area", "baseline_offset", "baseline_frame", "latest_frame", "suspicion",
    "flag_count", "event_count",
]  # fmt: skip


def frames_analyse(*, frame_id: int | None = None, limit: int = FRAME_BATCH) -> list[Frame]:
    """Analyse the frames waiting, `limit` at most: `frame_id` first, then the oldest.

    Each frame is taken with FOR UPDATE SKIP LOCKED (on PostgreSQL), so concurrent
    tasks share the waiting frames and each is analysed once; the frames go through
    analyse_batch together on the worker's threads. A task whose frame is already
    analysed, or being analysed by another, returns at once with nothing.
    Per frame: flags, face count and thumbnail stored, the raw upload dropped after
    commit, an unreadable upload analysed with its error; per attempt, in the frames' time
    order: the first good frame becomes the baseline (the later frames of the
    batch are flagged against it), the latest frame and the suspicion are kept.
    Publishes `proctor.frame` for every frame to its test's proctors after commit.
    Returns the frames analysed.
    """
    with transaction.atomic():
        waiting = Frame.objects.filter(analysed_at__isnull=True)
        if frame_id is not None:
            mine = Case(When(pk=frame_id, then=Value(0)), default=Value(1))
            waiting = waiting.alias(mine=mine).order_by("mine", "pk")
        else:
            waiting = waiting.order_by("pk")
        frames = list(
            waiting.select_for_update(skip_locked=True, of=("self",)).annotate(
                test_id=F("attempt__test_id")
            )[:limit]
        )
        if not frames or (frame_id is not None and frames[0].pk != frame_id):
            return []
        # Time order within each attempt: the first good frame is the baseline.
        frames.sort(key=lambda f: (f.attempt_id, f.taken_at, f.pk))
        rows = _proctored_rows({f.attempt_id for f in frames})
        jpegs = [_read_raw(f) for f in frames]
        readable = [i for i, jpeg in enumerate(jpegs) if isinstance(jpeg, bytes)]
        used = {i: _baseline(rows[frames[i].attempt_id]) for i in readable}
        analysed = _analyse([jpegs[i] for i in readable], [used[i] for i in readable])
        results: dict[int, FrameResult | FrameError] = dict(zip(readable, analysed, strict=True))
        now = timezone.now()
        raw_names, flagged = [], set()
        for i, frame in enumerate(frames):
            row = rows[frame.attempt_id]
            result = results.get(i)
            if isinstance(result, FrameResult):
                baseline = _baseline(row)
                if baseline != used[i]:
                    # A frame before it in this batch became the attempt's baseline.
                    result = analyse_frame(jpegs[i], baseline=baseline)
                frame.error = ""
                frame.flags = [str(flag) for flag in result.flags]
                frame.face_count = len(result.faces)
                frame.thumbnail.save("thumb.jpg", ContentFile(result.thumbnail), save=False)
                if baseline is None and (first := Baseline.from_result(result)) is not None:
                    row.baseline_area, row.baseline_offset = first.face_area_ratio, first.offset
                    row.baseline_frame = frame
            else:
                frame.error = str(result if result is not None else jpegs[i])[:255]
            frame.analysed_at = now
            if frame.raw:
                raw_names.append(frame.raw.name)
            frame.raw = ""
            if row.latest_frame is None or frame.taken_at >= row.latest_frame.taken_at:
                row.latest_frame = frame
            if frame.flags:
                flagged.add(frame.attempt_id)
        _update_each(frames, FRAME_FIELDS)
        for attempt_id, score in _scores(flagged).items():
            row = rows[attempt_id]
            row.suspicion, row.flag_count, row.event_count = score
        _update_each(list(rows.values()), ROW_FIELDS)
        storage = Frame._meta.get_field("raw").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in raw_names])
        frames.sort(key=lambda f: (f.taken_at, f.pk))
        send_events([_frame_event(frame, rows[frame.attempt_id]) for frame in frames])
    return frames


def frames_analyse_waiting(*, frame_id: int | None = None, batch: int = FRAME_BATCH) -> int:
    """The analysis task's body: clear the pending mark, then analyse the frames waiting in
    batches of `batch` (`frames_analyse`) while batches come full; how many were analysed.
    With `frame_id` (a task queued for one frame) a first batch that finds it analysed
    ends the task. Publishes what `frames_analyse` publishes."""
    analysis_pending_clear()
    count = 0
    while True:
        analysed = frames_analyse(frame_id=frame_id, limit=batch)
        count += len(analysed)
        if len(analysed) < batch:
            return count
        frame_id = None


def frame_analyse(*, frame_id: int) -> Frame | None:
    """Analyse the stored frame `frame_id` (with whatever else is waiting: `frames_analyse`)
    and return it; a frame already analysed or gone is left as it is."""
    frames_analyse(frame_id=frame_id)
    return Frame.objects.filter(pk=frame_id).first()


def page_events_record(*, by: User, attempt: Attempt, events) -> list[PageEvent]:
    """Store the page events the browser reported for `by`'s attempt in progress: a list
    of {"kind", "at", "detail"} (kinds of PageEventKind, at most MAX_PAGE_EVENTS). All or
    nothing: one bad item refuses the list with DomainError. Rescored; published as
    `proctor.page_event` to the test's proctors after commit. Not audited."""
    if attempt.student.user_id != by.pk:
        raise DomainError(_("This attempt is not yours."))
    _in_progress(attempt)
    if not isinstance(events, list) or not events:
        raise DomainError(_("Send a list of page events."))
    if len(events) > MAX_PAGE_EVENTS:
        raise DomainError(_("At most %(count)s page events at once.") % {"count": MAX_PAGE_EVENTS})
    now = timezone.now()
    rows = []
    for item in events:
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind not in PageEventKind.values:
            raise DomainError(_("Unknown page event: %(kind)s.") % {"kind": str(kind)[:40]})
        detail = item.get("detail", "")
        if not isinstance(detail, str):
            raise DomainError(_("Unknown page event: %(kind)s.") % {"kind": kind})
        rows.append(
            PageEvent(
                attempt=attempt,
                kind=kind,
                at=_client_time(item.get("at"), now),
                detail=detail[:255],
            )
        )
    with transaction.atomic():
        PageEvent.objects.bulk_create(rows)
        row, _created = ProctoredAttempt.objects.select_for_update().get_or_create(attempt=attempt)
        row.suspicion, row.flag_count, row.event_count = _score(attempt.pk)
        row.save(update_fields=["suspicion", "flag_count", "event_count"])
        send_event(
            group_proctor(attempt.test_id),
            EventType.PROCTOR_PAGE_EVENT,
            {
                "attempt": attempt.pk,
                "events": [
                    {"kind": r.kind, "at": r.at.isoformat(), "detail": r.detail} for r in rows
                ],
                "suspicion": round(row.suspicion, 1),
                "event_count": row.event_count,
            },
        )
    return rows


def _silence_event(silence: CameraSilence, test_id: int, row: ProctoredAttempt):
    """`proctor.frame` without a frame: the tile keeps its last thumbnail and shows the flag."""
    return (
        group_proctor(test_id),
        EventType.PROCTOR_FRAME,
        {
            "attempt": silence.attempt_id,
            "frame": None,
            "taken_at": silence.started_at.isoformat(),
            "flags": [CAMERA_SILENT],
            "face_count": None,
            "error": "",
            "thumbnail": "",
            "suspicion": round(row.suspicion, 1),
            "flag_count": row.flag_count,
            "baseline": False,
        },
    )


def _silent_attempts(now: datetime) -> list[tuple[int, int, datetime]]:
    """(attempt id, test id, since when) of the attempts in progress of tests requiring the
    camera whose last frame (their start, if none came) arrived more than
    PROCTORING_SILENT_INTERVALS of their test's frame intervals ago, and whose gap is not
    flagged yet. One query whatever their number: the last frame of each attempt is one
    step down the (attempt, taken_at) index."""
    last_frame = (
        Frame.objects.filter(attempt_id=OuterRef("pk"))
        .order_by("-taken_at", "-pk")
        .values("received_at")[:1]
    )
    found = (
        Attempt.objects.filter(
            status=AttemptStatus.IN_PROGRESS,
            deadline__gt=now,
            test__proctoring__requires_camera=True,
        )
        .annotate(last_frame=Subquery(last_frame))
        .values_list(
            "pk", "test_id", "started_at", "test__proctoring__frame_interval", "last_frame",
            "proctoring__silent_since",
        )
    )  # fmt: skip
    silent = []
    for attempt_id, test_id, started_at, interval, last, flagged in found:
        since = last or started_at
        limit = timedelta(seconds=interval * settings.PROCTORING_SILENT_INTERVALS)
        # A gap already flagged has its start in silent_since; a later frame ends it.
        if now - since > limit and (flagged is None or flagged < since):
            silent.append((attempt_id, test_id, since))
    return silent


def camera_silences_flag(*, now: datetime | None = None) -> list[CameraSilence]:
    """Flag each attempt in progress whose test requires the camera and whose camera has
    been silent (no frame received) for more than PROCTORING_SILENT_INTERVALS frame
    intervals: a CameraSilence row from the last frame (or the attempt's start), once per
    gap (another only after frames came again and stopped again), counted as a flag in
    the attempt's suspicion score. The test's proctors get `proctor.frame` without a
    frame (flags ["camera_silent"]) after commit. Not audited (the server's observation,
    not a person's act, and each row carries its times). A constant number of queries
    whatever the number of attempts; returns the silences recorded."""
    now = now or timezone.now()
    silent = _silent_attempts(now)
    if not silent:
        return []
    with transaction.atomic():
        rows = _proctored_rows({attempt_id for attempt_id, _test, _since in silent})
        # Under the rows' locks: a sweep running at the same time has flagged its gaps.
        silent = [
            (attempt_id, test_id, since)
            for attempt_id, test_id, since in silent
            if rows[attempt_id].silent_since is None or rows[attempt_id].silent_since < since
        ]
        silences = CameraSilence.objects.bulk_create(
            [
                CameraSilence(attempt_id=pk, started_at=since, detected_at=now)
                for pk, _t, since in silent
            ]
        )
        for attempt_id, _test, since in silent:
            rows[attempt_id].silent_since = since
        for attempt_id, score in _scores([pk for pk, _t, _s in silent]).items():
            row = rows[attempt_id]
            row.suspicion, row.flag_count, row.event_count = score
        _update_each(
            [rows[pk] for pk, _t, _s in silent],
            ["silent_since", "suspicion", "flag_count", "event_count"],
        )
        send_events(
            [
                _silence_event(silence, test_id, rows[silence.attempt_id])
                for silence, (_pk, test_id, _since) in zip(silences, silent, strict=True)
            ]
        )
    return silences


def _attempt_event(attempt: Attempt, reason: str = "") -> None:
    send_event(
        group_proctor(attempt.test_id),
        EventType.PROCTOR_ATTEMPT,
        {
            "attempt": attempt.pk,
            "student": attempt.student_id,
            "status": attempt.status,
            "deadline": attempt.deadline.isoformat(),
            "reason": reason,
        },
    )


@transaction.atomic
def proctor_message(*, by: User, attempt: Attempt, text: str) -> int:
    """Send the attempt's student a message from the proctor through the notification
    centre (their test page shows it as a toast). Audited with the text."""
    from realtime.actions import notification_send

    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the message."))
    if len(text) > 1000:
        raise DomainError(_("A message is at most 1000 characters."))
    audit_record(
        action="proctor_message", obj=attempt, after={"message": text}, reason=text, actor=by
    )
    return notification_send(
        recipients=[attempt.student.user_id],
        title=_("The proctor of %(test)s") % {"test": attempt.test.title},
        body=text,
        important=True,
    )


@transaction.atomic
def attempt_extend(*, by: User, attempt: Attempt, minutes: int) -> Attempt:
    """Give an attempt in progress `minutes` more (1..MAX_EXTENSION_MINUTES), past the test's
    window if need be. Audited; the student is notified and the proctors see the new
    deadline (`proctor.attempt`)."""
    from realtime.actions import notification_send

    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_EXTENSION_MINUTES:
        raise DomainError(_("Extend by 1 to %(most)s minutes.") % {"most": MAX_EXTENSION_MINUTES})
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("test", "student")
        .get(pk=attempt.pk)
    )
    if attempt.status != AttemptStatus.IN_PROGRESS or timezone.now() >= attempt.deadline:
        raise AttemptFinished(_("This attempt is finished: its time cannot be extended."))
    before = snapshot(attempt, ("deadline",))
    attempt.deadline += timedelta(minutes=minutes)
    attempt.save(update_fields=["deadline"])
    audit_record(
        action="attempt_extend",
        obj=attempt,
        before=before,
        after=snapshot(attempt, ("deadline",)),
        actor=by,
    )
    notification_send(
        recipients=[attempt.student.user_id],
        title=_("Your time at %(test)s was extended by %(minutes)s minutes")
        % {"test": attempt.test.title, "minutes": minutes},
    )
    _attempt_event(attempt)
    return attempt


@transaction.atomic
def attempt_end(*, by: User, attempt: Attempt, reason: str) -> Attempt:
    """End an attempt in progress with a reason: it is submitted and graded as it stands
    (hub.testing's attempt_submit) and the reason kept with its proctoring. Audited with
    the reason; the student is notified; the proctors see it end (`proctor.attempt`)."""
    from realtime.actions import notification_send

    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the attempt is ended."))
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AttemptFinished(_("This attempt is already finished."))
    attempt = testing_actions.attempt_submit(by=None, attempt=attempt)
    row, _created = ProctoredAttempt.objects.get_or_create(attempt=attempt)
    row.end_reason = reason
    row.save(update_fields=["end_reason"])
    audit_record(
        action="attempt_end",
        obj=attempt,
        after=snapshot(attempt, ("status", "score", "submitted_at")),
        reason=reason,
        actor=by,
    )
    notification_send(
        recipients=[attempt.student.user_id],
        title=_("Your attempt at %(test)s was ended by the proctor") % {"test": attempt.test.title},
        body=reason,
        important=True,
    )
    _attempt_event(attempt, reason)
    return attempt


def frames_purge(*, now: datetime | None = None) -> int:
    """Delete frames (with their files), page events and camera silences older than
    PROCTORING_RETENTION_DAYS; returns how many frames went. Not audited (retention is
    the settings' decision, not a person's); nobody is notified."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PROCTORING_RETENTION_DAYS)
    count = 0
    while True:
        batch = list(Frame.objects.filter(received_at__lt=cutoff).order_by("pk")[:500])
        if not batch:
            break
        names = [f.name for frame in batch for f in (frame.raw, frame.thumbnail) if f]
        with transaction.atomic():
            ProctoredAttempt.objects.filter(latest_frame__in=batch).update(latest_frame=None)
            Frame.objects.filter(pk__in=[f.pk for f in batch]).delete()
        storage = Frame._meta.get_field("thumbnail").storage
        for name in names:
            storage.delete(name)
        count += len(batch)
    PageEvent.objects.filter(at__lt=cutoff).delete()
    CameraSilence.objects.filter(started_at__lt=cutoff).delete()
    return count
