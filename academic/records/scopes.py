"""Where a person's own data lies, taught to the access layer (hub.accounts.access).

A student's data lies in the group of their running state (for expelled and
graduated students, the group they left from), so a curator of that group and
the deanery of its faculty read it; the structure app's resolvers go on up.
"""

from __future__ import annotations

from collections.abc import Iterable

from hub.accounts.access import Scope, register_scope_resolver
from hub.accounts.models import ScopeKind


def person_parents(user_id: int) -> Iterable[Scope]:
    from academic.records.models import StudentState

    group_id = (
        StudentState.objects.filter(student__user_id=user_id, valid_to__isnull=True)
        .values_list("group_id", flat=True)
        .first()
    )
    return [Scope(ScopeKind.GROUP, group_id)] if group_id else []


def register_resolvers() -> None:
    from hub.audit.units import register_audit_unit

    register_scope_resolver(ScopeKind.OWN, person_parents)
    # A student's file and history lie where the student studies (or last studied).
    register_audit_unit("records.student", lambda s: Scope.own(s.user_id))
    register_audit_unit("records.studentstate", lambda s: Scope(ScopeKind.GROUP, s.group_id))
    register_audit_unit("records.starostaterm", lambda t: Scope(ScopeKind.GROUP, t.group_id))
