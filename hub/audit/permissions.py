"""Who may read the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext as _

from hub.accounts.access import Level, Module, Scope, has_right

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hub.accounts.models import User


def may_view_audit(user: User | AnonymousUser | None) -> bool:
    """True for superusers and holders of VIEW on the audit module for the whole institution.

    A right scoped to a faculty or a department is not enough yet: entries do
    not record which unit the changed object belongs to, so such a user would
    see every other unit's changes too.
    """
    return has_right(user, Module.AUDIT, Level.VIEW, scope=Scope.institution())


def access_audit(user: User | AnonymousUser | None) -> None:
    """Raise Http404 unless `user` may read the audit log; refused looks like missing."""
    if not may_view_audit(user):
        raise Http404(_("Page not found."))
