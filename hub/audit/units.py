"""Which unit of the university an audited object belongs to, so office heads read
the audit of their own unit only (AM-4: "within their scope").

Apps teach it from their AppConfig.ready, as they teach the access layer how
units nest: `register_audit_unit("records.student", lambda s: Scope("own", s.user_id))`.
An entry stores the path of enclosing units ("/faculty:1/department:3/group:7/"),
and a scoped reader sees the entries whose path contains one of their scopes.
Objects of unregistered models lie in no unit: only institution-wide readers see them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models import Q

from hub.accounts.access import Scope, ScopeKind, parent_scope

UnitOf = Callable[[models.Model], Scope | None]
_units: dict[str, UnitOf] = {}


def register_audit_unit(model_label: str, unit_of: UnitOf) -> None:
    """Say where objects of `model_label` ("app_label.model", lower case) belong."""
    _units[model_label] = unit_of


def scope_token(scope: Scope) -> str:
    return f"/{scope.kind}:{scope.id}/"


def unit_path(obj: models.Model | None, cache: dict[Scope, str] | None = None) -> str:
    """The enclosing units of `obj`, outermost first, as one searchable string; "" if none.

    A bulk operation passes one `cache` for all its objects: the paths of
    groups, departments and faculties are walked once each, so ten thousand
    students of an import cost one query each (where they study), not three.
    """
    if obj is None:
        return ""
    unit_of = _units.get(obj._meta.label_lower)
    scope = unit_of(obj) if unit_of else None
    if scope is None:
        return ""
    path = _path(scope, {} if cache is None else cache)
    return "" if path == "/" else path


def _path(scope: Scope, cache: dict[Scope, str]) -> str:
    if scope in cache:
        return cache[scope]
    if scope.kind == ScopeKind.INSTITUTION or scope.id is None:
        path = "/"
    else:
        parent = parent_scope(scope)
        path = (_path(parent, cache) if parent else "/") + f"{scope.kind}:{scope.id}/"
    cache[scope] = path
    return path


def entries_in(scopes: list[Scope]) -> Q:
    """A filter on AuditEntry for the entries inside any of `scopes` (none if empty)."""
    condition = Q(pk__in=[])
    for scope in scopes:
        condition |= Q(unit_path__contains=scope_token(scope))
    return condition
