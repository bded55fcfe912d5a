"""Building blocks of actions: validate, save and audit one row.

Actions stay explicit (`faculty_create`, `discipline_update`…); these helpers
do the part every one of them repeats: run the model's full_clean and turn its
messages into a DomainError, save, and record the change in the audit log in
the caller's transaction.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, models

from hub.audit.log import audit_record, snapshot
from hub.errors import DomainError

M = TypeVar("M", bound=models.Model)


def validated_save(instance: M) -> M:
    """full_clean then save; invalid data raises DomainError with every message."""
    try:
        instance.full_clean()
    except ValidationError as error:
        messages = error.messages
        raise DomainError(messages[0], messages=messages) from None
    instance.save()
    return instance


def sequences_reset(*models_: type[models.Model]) -> None:
    """Move the id sequences past rows inserted with explicit ids (PostgreSQL needs it)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def create_audited(
    model: type[M], *, by, action: str, fields: tuple[str, ...], values: dict[str, Any]
) -> M:
    """Create a validated `model` row from `values` and audit it as `action`."""
    instance = validated_save(model(**values))
    if "pk" in values:
        sequences_reset(model)
    audit_record(action=action, obj=instance, after=snapshot(instance, fields), actor=by)
    return instance


def update_audited(
    instance: M, *, by, action: str, fields: tuple[str, ...], changes: dict[str, Any]
) -> M:
    """Apply the non-None `changes`, validate, save, and audit before/after as `action`."""
    before = snapshot(instance, fields)
    for name, value in changes.items():
        if value is not None:
            setattr(instance, name, value)
    validated_save(instance)
    audit_record(
        action=action, obj=instance, before=before, after=snapshot(instance, fields), actor=by
    )
    return instance
