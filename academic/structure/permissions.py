"""Who may read and write the structure: the only access checks of this app.

Reading is scoped (AC-2): a deanery reads its faculty's groups, a curator the
group it curates (through its right on student records). Writing structure is
the student records office's work for the whole institution: institution-wide
EDIT on the structure module, or the office that owns students' legal
movements with EDIT on records.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from academic.structure.models import Group
from hub.accounts.access import Level, Module, Scope, has_right, owns_data, scopes_for
from hub.accounts.models import DataKind, ScopeKind

READ_MODULES = (Module.STRUCTURE, Module.RECORDS)


def _not_found() -> Http404:
    return Http404(_("Page not found."))


def may_write_structure(user) -> bool:
    """True for those who keep the structure: see the module docstring."""
    institution = Scope.institution()
    if has_right(user, Module.STRUCTURE, Level.EDIT, scope=institution):
        return True
    return owns_data(user, DataKind.STUDENT_MOVEMENTS, scope=institution) and has_right(
        user, Module.RECORDS, Level.EDIT, scope=institution
    )


def read_scopes(user) -> list[Scope]:
    """The scopes where `user` reads structure (or student records), no duplicates."""
    scopes: set[Scope] = set()
    for module in READ_MODULES:
        scopes.update(scopes_for(user, module, Level.VIEW))
    if Scope.institution() in scopes:
        return [Scope.institution()]
    return sorted(scopes, key=lambda s: (s.kind, s.id or 0))


def may_read_structure(user) -> bool:
    """Does `user` read any part of the structure (for menus and list pages)?"""
    return any(scope.kind != ScopeKind.OWN for scope in read_scopes(user))


def groups_visible_filter(scopes: list[Scope], *, prefix: str = "") -> Q | None:
    """A filter selecting the groups inside `scopes`; None means all of them.

    On Group itself by default; `prefix` ("group__") filters rows related to a group.
    """
    if Scope.institution() in scopes:
        return None
    fields = {
        ScopeKind.FACULTY: "specialty__department__faculty_id__in",
        ScopeKind.COLLEGE: "specialty__department__college_id__in",
        ScopeKind.DEPARTMENT: "specialty__department_id__in",
        ScopeKind.GROUP: "pk__in",
    }
    match = Q(pk__in=[])
    for kind, lookup in fields.items():
        ids = [scope.id for scope in scopes if scope.kind == kind]
        if ids:
            match |= Q(**{prefix + lookup: ids})
    return match


def visible_groups(user) -> QuerySet[Group]:
    """The groups `user` may read, unordered and unselected; none for outsiders."""
    condition = groups_visible_filter(read_scopes(user))
    groups = Group.objects.all()
    return groups if condition is None else groups.filter(condition)


def access_structure(user, *, write: bool = False) -> None:
    """Raise Http404 unless `user` reads (or, with `write`, keeps) the structure."""
    allowed = may_write_structure(user) if write else may_read_structure(user)
    if not allowed:
        raise _not_found()


def access_group(user, group_id: int, *, write: bool = False) -> Group:
    """The group `group_id` if `user` may read it (keep it, with `write`).

    A missing and a forbidden group give the same Http404.
    """
    group = (
        Group.objects.select_related(
            "specialty__department__faculty",
            "specialty__department__college",
            "curator",
            "starosta",
        )
        .filter(pk=group_id)
        .first()
    )
    if group is None:
        raise _not_found()
    if write:
        allowed = may_write_structure(user)
    else:
        scope = Scope(ScopeKind.GROUP, group.pk)
        allowed = any(has_right(user, module, Level.VIEW, scope=scope) for module in READ_MODULES)
    if not allowed:
        raise _not_found()
    return group
