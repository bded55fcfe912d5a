"""Persisted live data: what a browser must still see after a reconnect."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    INFO = "info", _("Information")
    SERVICE = "service", _("Single window")
    GRADE = "grade", _("Grades")
    ASSIGNMENT = "assignment", _("Assignments")
    JOB = "job", _("Background job")
    ANNOUNCEMENT = "announcement", _("Announcement")


class Notification(models.Model):
    """One message to one user; unread while `read_at` is empty."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=NotificationKind.choices, default=NotificationKind.INFO
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # A path inside eBilim ("/services/requests/12/"), never an external site.
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Important notifications are e-mailed too, to those who keep that setting.
    important = models.BooleanField(_("important"), default=False)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        indexes = [
            # Resume ("after id N") and the newest-first list both walk this.
            models.Index(fields=["recipient", "id"], name="notification_recipient_id"),
            # The unread badge on every page.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Audience(models.TextChoices):
    GROUP = "group", _("academic group")
    FACULTY = "faculty", _("faculty")
    INSTITUTION = "institution", _("everyone")


class Announcement(models.Model):
    """News for a group, a faculty or everyone (TC-7); each reader gets a notification of it."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="announcements",
        verbose_name=_("author"),
    )
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    # The group or faculty id; empty for the whole institution.
    audience_id = models.PositiveIntegerField(_("group or faculty"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=10_000)
    created_at = models.DateTimeField(_("published"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class NotificationSettings(models.Model):
    """How a user wants to be told: important notifications by e-mail too (or not)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("user"),
    )
    email_important = models.BooleanField(_("e-mail me the important notifications"), default=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user_id)
