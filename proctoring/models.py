"""Proctoring of tests (TS-8): per-test settings, frames, page events, the attempt's score.

Frames' JPEGs and thumbnails live in private storage under VAR_DIR/private/proctoring,
never under MEDIA: only the proctors of the test see them, through a view that
checks rights. The raw frame is kept until it is analysed, the thumbnail until
PROCTORING_RETENTION_DAYS have passed (then the row goes too).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivateStorage(FileSystemStorage):
    """Files under VAR_DIR/private/proctoring, read from the settings at each use (not
    frozen at import), so a test's own VAR_DIR keeps its files apart."""

    @property
    def base_location(self) -> str:
        # os.path, not pathlib: read several times for each of 100 frames a second.
        return os.path.join(settings.VAR_DIR, "private", "proctoring")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> PrivateStorage:
    """Frames and thumbnails under VAR_DIR/private/proctoring, not under MEDIA (which the
    web server hands to anyone): only the test's proctors see them, through a view."""
    return PrivateStorage()


def frame_name(instance, filename: str) -> str:
    """A random name in the attempt's folder: names cannot be guessed, and one attempt's
    files are listed together."""
    return f"{instance.attempt_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:10]}"


class ProctoringSettings(models.Model):
    """Whether a test needs the camera, how often frames come, and who proctors it besides
    its owner."""

    test = models.OneToOneField("testing.Test", on_delete=models.CASCADE, related_name="proctoring")
    requires_camera = models.BooleanField(_("requires the camera"), default=False)
    frame_interval = models.PositiveIntegerField(
        _("seconds between frames"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(60)],
    )
    proctors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("proctors")
    )

    class Meta:
        verbose_name = _("proctoring settings")
        verbose_name_plural = _("proctoring settings")

    def __str__(self) -> str:
        return f"{self.test_id}: {self.requires_camera}"


class ProctoredAttempt(models.Model):
    """An attempt's proctoring state: its baseline face (from its first good frame), the
    latest frame and the suspicion score over all its flags and page events."""

    attempt = models.OneToOneField(
        "testing.Attempt", on_delete=models.CASCADE, related_name="proctoring"
    )
    baseline_area = models.FloatField(null=True, blank=True)
    baseline_offset = models.FloatField(null=True, blank=True)
    baseline_frame = models.ForeignKey(
        "Frame", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    latest_frame = models.ForeignKey(
        "Frame", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    suspicion = models.FloatField(_("suspicion"), default=0)
    flag_count = models.PositiveIntegerField(default=0)
    event_count = models.PositiveIntegerField(default=0)
    end_reason = models.TextField(_("why the attempt was ended"), blank=True)
    # The start of the latest silence of the camera flagged (CameraSilence.started_at): the
    # same gap is flagged once, and the live grid shows it until a later frame arrives.
    silent_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.suspicion:.0f}"


class Frame(models.Model):
    attempt = models.ForeignKey("testing.Attempt", on_delete=models.CASCADE, related_name="+")
    taken_at = models.DateTimeField()
    received_at = models.DateTimeField()
    analysed_at = models.DateTimeField(null=True, blank=True)
    # The upload, until it is analysed; then only the thumbnail is kept.
    raw = models.FileField(upload_to=frame_name, storage=private_storage, blank=True)
    thumbnail = models.FileField(upload_to=frame_name, storage=private_storage, blank=True)
    flags = models.JSONField(default=list, blank=True)
    face_count = models.PositiveSmallIntegerField(null=True, blank=True)
    # Why it could not be analysed (not a frame of the expected size…).
    error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["taken_at", "pk"]
        indexes = [
            models.Index(fields=["attempt", "taken_at"], name="proctoring_frame_attempt"),
            models.Index(fields=["received_at"], name="proctoring_frame_received"),
            # The frames waiting for analysis, which every analysis task reads: a few rows
            # however many frames the retention keeps.
            models.Index(
                fields=["id"],
                condition=models.Q(analysed_at__isnull=True),
                name="proctoring_frame_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} @ {self.taken_at:%H:%M:%S}"


# The flag of a camera that stopped sending frames: raised by the server (no frame to
# analyse), beside the frame flags of proctoring.analysis.Flag.
CAMERA_SILENT = "camera_silent"


class CameraSilence(models.Model):
    """A gap in an attempt's frames longer than PROCTORING_SILENT_INTERVALS frame intervals,
    of a test that requires the camera: the camera was turned off or the page blocked it.
    `started_at` is when the last frame before the gap arrived (the attempt's start if none
    had); one row per gap, found by proctoring.actions.camera_silences_flag."""

    attempt = models.ForeignKey("testing.Attempt", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    detected_at = models.DateTimeField()

    class Meta:
        ordering = ["started_at", "pk"]
        indexes = [
            models.Index(fields=["attempt", "started_at"], name="proctoring_silence_attempt"),
            # The retention purge reads them by age.
            models.Index(fields=["started_at"], name="proctoring_silence_started"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}: silent since {self.started_at:%H:%M:%S}"


class PageEventKind(models.TextChoices):
    TAB_HIDDEN = "tab_hidden", _("tab hidden")
    WINDOW_BLUR = "window_blur", _("window left")
    FULLSCREEN_EXIT = "fullscreen_exit", _("full screen left")
    COPY = "copy", _("copy")
    PASTE = "paste", _("paste")
    SECOND_SCREEN = "second_screen", _("second screen")


class PageEvent(models.Model):
    attempt = models.ForeignKey("testing.Attempt", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=PageEventKind.choices)
    at = models.DateTimeField()
    detail = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["attempt", "at"], name="proctoring_event_attempt")]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.kind}"
