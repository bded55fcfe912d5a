"""Who may read the audit log, and which part of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext as _

from hub.accounts.access import Level, Module, Scope, ScopeKind, scopes_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hub.accounts.models import User


def audit_scopes(user: User | AnonymousUser | None) -> list[Scope]:
    """The units whose audit `user` reads: [institution] for the whole log, else unit scopes.

    Office heads (a dean, a head of department) hold VIEW on the audit within
    their unit and read the entries of objects inside it (hub.audit.units).
    """
    return [s for s in scopes_for(user, Module.AUDIT, Level.VIEW) if s.kind != ScopeKind.OWN]


def may_view_audit(user: User | AnonymousUser | None) -> bool:
    """True for holders of VIEW on the audit module for the institution or a unit."""
    return bool(audit_scopes(user))


def access_audit(user: User | AnonymousUser | None) -> list[Scope]:
    """The scopes `user` reads the audit in; Http404 (refused looks like missing) if none."""
    scopes = audit_scopes(user)
    if not scopes:
        raise Http404(_("Page not found."))
    return scopes
