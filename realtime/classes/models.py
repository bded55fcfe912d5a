"""Online classes (DL-7, TC-8): a lesson taught live, who was in it and when, its chat.

The media itself (aiortc rooms or an external SFU) lives in `media/` and holds
no rows; what is stored here is what outlives the class: the spans of
presence the attendance is proposed from, the chat, the recording.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    LIVE = "live", _("live")
    ENDED = "ended", _("ended")


class OnlineClass(models.Model):
    """One live session of a lesson, started and ended by the course's teacher."""

    lesson = models.ForeignKey(
        "grades.Lesson",
        on_delete=models.CASCADE,
        related_name="online_classes",
        verbose_name=_("lesson"),
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="online_classes",
        verbose_name=_("teacher"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ClassStatus.choices, default=ClassStatus.SCHEDULED
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    provider = models.CharField(_("media server"), max_length=32, blank=True)
    provider_reason = models.CharField(_("why this media server"), max_length=500, blank=True)
    max_size = models.PositiveIntegerField(
        _("maximum participants"),
        default=0,
        help_text=_("The media server's limit, teacher included."),
    )
    record = models.BooleanField(_("record"), default=False)
    recording = models.FileField(
        _("recording"), upload_to="classes/recordings/", blank=True, max_length=255
    )
    # student id (as a string: JSON keys) -> present/late/absent, computed at the end.
    attendance_proposal = models.JSONField(_("proposed attendance"), default=dict, blank=True)
    attendance_confirmed_at = models.DateTimeField(_("attendance confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("online class")
        verbose_name_plural = _("online classes")
        constraints = [
            # One live class per lesson at a time: two starts race to one row.
            models.UniqueConstraint(
                fields=["lesson"],
                condition=models.Q(status="live"),
                name="classes_one_live_class_per_lesson",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lesson} ({self.get_status_display()})"

    @property
    def room_name(self) -> str:
        """The media room's name, on the built-in server and on an external SFU alike."""
        return f"class-{self.pk}"


class Participation(models.Model):
    """One span of presence: a join and its leave (left_at None while still in)."""

    online_class = models.ForeignKey(
        OnlineClass,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("online class"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="class_participations",
        verbose_name=_("user"),
    )
    joined_at = models.DateTimeField(_("joined"))
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    hand_raised = models.BooleanField(_("hand raised"), default=False)
    allowed_to_speak = models.BooleanField(_("allowed to speak"), default=False)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        indexes = [models.Index(fields=["online_class", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.online_class_id}: {self.joined_at}–{self.left_at or ''}"


class ClassMessage(models.Model):
    """A chat message written during a class, stored before it is relayed."""

    online_class = models.ForeignKey(
        OnlineClass,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("online class"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="class_messages",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), max_length=2000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("class message")
        verbose_name_plural = _("class messages")

    def __str__(self) -> str:
        return f"{self.author_id}: {self.text[:40]}"
