"""Reads of the audit log: the filtered list and the readable form of an entry's changes."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.accounts.access import Scope
from hub.audit.models import AuditEntry
from hub.audit.units import entries_in

ACTOR_NAME_FIELDS = (
    "actor_repr",
    "actor__username",
    "actor__last_name",
    "actor__first_name",
    "actor__last_name_latin",
    "actor__first_name_latin",
)


@dataclass(frozen=True)
class AuditFilter:
    """What to look for; empty values do not filter. Dates are local and inclusive."""

    object_type: str = ""
    object_id: str = ""
    user: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None
    batch: uuid.UUID | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(*, filters: AuditFilter, scopes: list[Scope]) -> QuerySet[AuditEntry]:
    """Entries inside `scopes` matching `filters`, newest first, in one query per page.

    `scopes` come from permissions.access_audit: the institution means every
    entry, units mean the entries of objects inside them. `user` matches every
    word against the name kept on the entry and the actor's current login and
    names, so renamed users are still found.
    """
    entries = AuditEntry.objects.all()
    if Scope.institution() not in scopes:
        entries = entries.filter(entries_in(scopes))
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.batch:
        entries = entries.filter(batch_id=filters.batch)
    if filters.date_from:
        entries = entries.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(at__lt=_start_of(filters.date_to + timedelta(days=1)))
    for word in filters.user.split():
        match = Q()
        for name in ACTOR_NAME_FIELDS:
            match |= Q(**{f"{name}__icontains": word})
        entries = entries.filter(match)
    return entries.order_by("-at", "-id")


class ChangeRow(NamedTuple):
    field: str
    label: str
    before: str
    after: str


def change_rows(entry: AuditEntry) -> list[ChangeRow]:
    """The entry's changes as (field, label, before, after) texts, without queries.

    Labels and choice names come from the model when it still has the field.
    """
    try:
        model = apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        model = None
    rows = []
    for name, (old, new) in (entry.changes or {}).items():
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        label = str(getattr(field, "verbose_name", name) or name)
        rows.append(ChangeRow(name, label, _show(field, old), _show(field, new)))
    return rows


def _show(field, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = getattr(field, "flatchoices", None)
    if choices:
        for key, label in choices:
            if key == value:
                return f"{label} ({value})"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
