"""The audit log: one row per change of institutional data, never edited nor deleted.

Rows are only ever inserted (by hub.audit.log). Every way the ORM offers to
change or remove them raises AuditEntryImmutable; on PostgreSQL a trigger
refuses UPDATE and DELETE too, so raw SQL from the application cannot either.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntryImmutable(Exception):
    """Raised on any attempt to change or delete an audit entry."""

    def __init__(self) -> None:
        super().__init__("Audit entries cannot be changed or deleted.")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditEntryImmutable

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditEntryImmutable

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AuditEntryImmutable

    def delete(self):
        raise AuditEntryImmutable

    delete.alters_data = True
    delete.queryset_only = True

    def _raw_delete(self, using):
        raise AuditEntryImmutable


class AuditEntry(models.Model):
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # Users are deactivated, never deleted: an actor with entries cannot be removed.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # audit_actor_idx (actor, at) serves lookups by actor
    )
    # The name at the time of the change; names and logins change later.
    actor_repr = models.CharField(_("user name"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    # Shared by every entry of one bulk operation or import.
    batch_id = models.UUIDField(_("batch"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The units enclosing the object ("/faculty:1/department:3/group:7/"), for
    # readers scoped to a unit; empty for institution-wide data (hub.audit.units).
    unit_path = models.CharField(_("unit"), max_length=255, blank=True, default="", db_default="")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding or kwargs.get("update_fields") is not None:
            raise AuditEntryImmutable
        # Never let Django turn this into an UPDATE of an existing row.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, using=None, keep_parents=False):
        raise AuditEntryImmutable
