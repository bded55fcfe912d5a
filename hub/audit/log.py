"""Recording the audit log: called by actions, inside the transaction of the change.

Who and from where come from the current audit context: the request (set by
AuditContextMiddleware, for sync and async views), or `audit_context(...)` in
Celery tasks, management commands and imports. `batch()` groups the entries of
one bulk operation or import under one batch id.

    before = snapshot(user, FIELDS)
    ... change and save user ...
    audit_record(action="user_profile_update", obj=user, before=before,
                 after=snapshot(user, FIELDS))
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from hub.audit.models import AuditEntry
from hub.audit.units import unit_path

if TYPE_CHECKING:
    from django.http import HttpRequest

    from hub.accounts.models import User

USER_AGENT_MAX_LENGTH = AuditEntry._meta.get_field("user_agent").max_length
REPR_MAX_LENGTH = AuditEntry._meta.get_field("object_repr").max_length
UNIT_PATH_MAX_LENGTH = AuditEntry._meta.get_field("unit_path").max_length
# Secrets never go into the log, not even hashed: record that they changed.
SECRET_FIELDS = frozenset({"password"})


@dataclass(frozen=True)
class AuditContext:
    """Who acts and from where, for the entries recorded while it is current."""

    actor: User | None = None
    ip: str | None = None
    user_agent: str = ""
    batch_id: uuid.UUID | None = None
    # The request's user is read when an entry is written, not when the request
    # starts: DRF authenticates tokens inside the view, after the middleware.
    request: HttpRequest | None = None

    def current_actor(self) -> User | None:
        if self.actor is not None:
            return self.actor
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


_NOBODY = AuditContext()
_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def current_context() -> AuditContext:
    """The audit context in force: nobody (the system) outside requests and tasks."""
    return _current.get() or _NOBODY


@contextmanager
def audit_context(
    *,
    actor: User | None = None,
    ip: str | None = None,
    user_agent: str = "",
    batch_id: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Iterator[AuditContext]:
    """Make `actor` (and where they act from) the author of entries recorded inside.

    For Celery tasks, management commands and imports; values not given are
    kept from the surrounding context.
    """
    outer = current_context()
    context = replace(
        outer,
        actor=actor if actor is not None else outer.actor,
        ip=ip if ip is not None else outer.ip,
        user_agent=(user_agent or outer.user_agent)[:USER_AGENT_MAX_LENGTH],
        batch_id=batch_id if batch_id is not None else outer.batch_id,
        request=request if request is not None else outer.request,
    )
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


@contextmanager
def batch(batch_id: uuid.UUID | None = None) -> Iterator[uuid.UUID]:
    """Group every entry recorded inside under one batch id (new unless given).

    A nested batch joins the outer one, so an import calling bulk actions stays
    one batch.
    """
    outer = current_context().batch_id
    if outer is not None:
        yield outer
        return
    with audit_context(batch_id=batch_id or uuid.uuid4()) as context:
        yield context.batch_id


def _json_safe(value: Any) -> Any:
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-safe values of `fields` of `instance`; a foreign key gives its id.

    Raises ValueError for a secret field (a password): record that it changed
    with an entry without values instead.
    """
    values = {}
    for name in fields:
        if name in SECRET_FIELDS:
            raise ValueError(f"{name!r} is a secret and is never written to the audit log")
        field = instance._meta.get_field(name)
        values[name] = _json_safe(getattr(instance, field.attname))
    return values


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    """`{field: [before, after]}` for every field whose value differs.

    A missing side (a created or deleted object) counts as None for each field.
    """
    before, after = before or {}, after or {}
    changes = {}
    for name in [*before, *(name for name in after if name not in before)]:
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = [old, new]
    return changes


def _entry(
    *,
    context: AuditContext,
    action: str,
    obj: models.Model | None,
    object_type: str | None,
    object_id: Any,
    object_repr: str | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str,
    actor: User | None,
    unit_cache: dict | None = None,
) -> AuditEntry | None:
    changes = diff(before, after)
    if before is not None and after is not None and not changes:
        return None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = str(obj) if object_repr is None else object_repr
    if not object_type:
        raise ValueError("an audit entry needs obj or object_type")
    actor = actor if actor is not None else context.current_actor()
    request = context.request
    ip, user_agent = context.ip, context.user_agent
    if request is not None:
        ip = ip or request.META.get("REMOTE_ADDR") or None
        user_agent = user_agent or request.META.get("HTTP_USER_AGENT", "")
    return AuditEntry(
        actor=actor,
        actor_repr=_actor_repr(actor),
        ip=ip,
        user_agent=user_agent[:USER_AGENT_MAX_LENGTH],
        batch_id=context.batch_id,
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:REPR_MAX_LENGTH],
        changes=changes,
        before=before,
        after=after,
        reason=reason,
        unit_path=unit_path(obj, unit_cache)[:UNIT_PATH_MAX_LENGTH],
    )


def _actor_repr(actor: User | None) -> str:
    if actor is None:
        return ""
    name = actor.get_full_name()
    username = actor.get_username()
    return f"{name} ({username})"[:REPR_MAX_LENGTH] if name else username


def _require_transaction() -> None:
    # Outside a transaction the entry would commit on its own: a change that
    # failed later would leave an entry for something that never happened.
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit entries are written inside the transaction of the change")


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    object_repr: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    actor: User | None = None,
) -> AuditEntry | None:
    """Write one entry for `action` on `obj` (or on object_type/object_id).

    `before`/`after` are snapshots; their difference is stored as `changes`.
    When both are given and equal nothing changed and nothing is written (None
    is returned). The actor, IP and browser come from the audit context unless
    `actor` is given. Must run inside the action's transaction (RuntimeError
    otherwise), so a rolled-back change leaves no entry.
    """
    _require_transaction()
    entry = _entry(
        context=current_context(),
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=before,
        after=after,
        reason=reason,
        actor=actor,
    )
    if entry is not None:
        entry.save()
    return entry


@dataclass(frozen=True)
class Change:
    """One object changed by a bulk operation, for `audit_bulk`."""

    obj: models.Model | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    object_type: str | None = None
    object_id: Any = None
    object_repr: str | None = None


def audit_bulk(
    *,
    action: str,
    changes: Iterable[Change],
    reason: str = "",
    actor: User | None = None,
) -> list[AuditEntry]:
    """Write one entry per changed object in one INSERT, all under one batch id.

    The batch id is the current batch's, or a new one. Objects whose snapshots
    are equal are skipped. Same transaction rule as `audit_record`.
    """
    _require_transaction()
    with batch() as _batch_id:
        context = current_context()
        unit_cache: dict = {}
        entries = [
            entry
            for change in changes
            if (
                entry := _entry(
                    context=context,
                    action=action,
                    obj=change.obj,
                    object_type=change.object_type,
                    object_id=change.object_id,
                    object_repr=change.object_repr,
                    before=change.before,
                    after=change.after,
                    reason=reason,
                    actor=actor,
                    unit_cache=unit_cache,
                )
            )
            is not None
        ]
    return AuditEntry.objects.bulk_create(entries, batch_size=500)
