"""The one access layer: who holds which right on which module, and where.

Rights are data (AC-7): roles grant a Level on Modules, assignments give a
role to a user within a Scope. Every permission check of the project ends here
(`access_<entity>` functions, DRF permissions, consumers), so there is one
answer to "may this user do this".

- Superusers hold every right everywhere; inactive and anonymous users none.
- Simple users (students, parents, applicants with no full-rights role) never
  hold more than VIEW, whatever the role data says (AC-1). What they submit
  themselves (requests, assignments, answers) is checked by ownership of the
  object, not by module rights.
- A user's assignments are read once per user object (two queries) and kept on
  it, so a request may ask any number of questions without more queries. A
  request gets a fresh user object; long-lived holders (a WebSocket
  connection) call `forget_rights(user)` when they need fresh data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.accounts.models import (
    UNIT_FREE_SCOPE_KINDS,
    DataOwnership,
    Guardianship,
    Level,
    Module,
    RoleAssignment,
    RoleKind,
    ScopeKind,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hub.accounts.models import User

__all__ = [
    "Level",
    "Module",
    "Scope",
    "ScopeKind",
    "can_read_person",
    "forget_rights",
    "has_right",
    "is_simple_user",
    "owns_data",
    "register_scope_resolver",
    "require_right",
    "scope_contains",
    "scopes_for",
]


@dataclass(frozen=True, order=True)
class Scope:
    """Where a right applies: `Scope("faculty", 2)`, `Scope.institution()`.

    `Scope("own", person_id)` is one person's own data; `Scope("own", None)`
    in a question means the asking user's own data.
    """

    kind: str
    id: int | None = None

    @classmethod
    def institution(cls) -> Scope:
        return cls(ScopeKind.INSTITUTION.value, None)

    @classmethod
    def own(cls, person_id: int | None = None) -> Scope:
        return cls(ScopeKind.OWN.value, person_id)


# --- Scope containment --------------------------------------------------------
#
# academic.structure knows that group 7 belongs to department 3 of faculty 2;
# this module must not import it (dependencies point the other way), so the
# structure and records apps register resolvers here from their AppConfig.ready.

ScopeResolver = Callable[[int], Iterable[Scope]]
_resolvers: dict[str, ScopeResolver] = {}


def register_scope_resolver(kind: str, resolver: ScopeResolver) -> None:
    """Teach containment for `kind`: `resolver(id)` yields the scopes enclosing it.

    Enclosing scopes may be direct parents only; containment follows them
    transitively. A later registration for the same kind replaces the earlier.
    """
    _resolvers[kind] = resolver


def unregister_scope_resolver(kind: str) -> None:
    _resolvers.pop(kind, None)


def scope_contains(outer: Scope, inner: Scope) -> bool:
    """True if data in `inner` lies within `outer`.

    The institution contains everything; a scope contains itself; anything
    else needs a registered resolver that walks from `inner` up to `outer`.
    """
    if outer.kind == ScopeKind.INSTITUTION or outer == inner:
        return True
    seen = {inner}
    pending = [inner]
    while pending:
        current = pending.pop()
        resolver = _resolvers.get(current.kind)
        if resolver is None or current.id is None:
            continue
        for parent in resolver(current.id):
            if parent == outer:
                return True
            if parent not in seen:
                seen.add(parent)
                pending.append(parent)
    return False


def parent_scope(scope: Scope) -> Scope | None:
    """The unit directly enclosing `scope` (its first parent), None at the top.

    Units nest in one way, so the first parent is the parent.
    """
    resolver = _resolvers.get(scope.kind)
    if resolver is None or scope.id is None:
        return None
    parents = list(resolver(scope.id))
    return parents[0] if parents else None


# --- The user's rights, read once ----------------------------------------------


@dataclass
class _Grant:
    level: int
    scope: Scope


@dataclass
class _Rights:
    simple: bool
    by_module: dict[str, list[_Grant]] = field(default_factory=dict)
    roles: list[tuple[int, Scope]] = field(default_factory=list)
    owners: dict[str, int | None] = field(default_factory=dict)  # data kind → role id, read lazily
    # Containment answers, kept as long as the rights: resolvers read the database.
    containment: dict[tuple[Scope, Scope], bool] = field(default_factory=dict)

    def contains(self, outer: Scope, inner: Scope) -> bool:
        key = (outer, inner)
        if key not in self.containment:
            self.containment[key] = scope_contains(outer, inner)
        return self.containment[key]


_CACHE_ATTRIBUTE = "_ebilim_rights"
_WARDS_ATTRIBUTE = "_ebilim_wards"


def _active(user: User | AnonymousUser | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _rights_of(user: User) -> _Rights:
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    # One statement: each valid assignment with its role's rights (none: one row of NULLs).
    rows = (
        RoleAssignment.objects.filter(user_id=user.pk)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("pk", "role__rights__module")
        .values_list(
            "pk", "role_id", "role__kind", "scope_kind", "scope_id",
            "role__rights__module", "role__rights__level",
        )
    )  # fmt: skip
    rights = _Rights(simple=True)
    scopes: dict[int, Scope] = {}
    for assignment_id, role_id, kind, scope_kind, scope_id, module, level in rows:
        if assignment_id not in scopes:
            if kind == RoleKind.FULL:
                rights.simple = False
            scope_id = user.pk if scope_kind == ScopeKind.OWN else scope_id
            scopes[assignment_id] = Scope(scope_kind, scope_id)
            rights.roles.append((role_id, scopes[assignment_id]))
        if module is not None:
            rights.by_module.setdefault(module, []).append(_Grant(level, scopes[assignment_id]))
    if rights.simple:
        # AC-1: simple users read; they never enter institutional data.
        for grants in rights.by_module.values():
            for grant in grants:
                grant.level = min(grant.level, Level.VIEW)
    setattr(user, _CACHE_ATTRIBUTE, rights)
    return rights


def forget_rights(user: User | AnonymousUser | None) -> None:
    """Drop the rights kept on this user object; the next question reads them again."""
    for attribute in (_CACHE_ATTRIBUTE, _WARDS_ATTRIBUTE):
        if user is not None and hasattr(user, attribute):
            delattr(user, attribute)


def _normalise(user: User, scope: Scope) -> Scope:
    if scope.kind == ScopeKind.OWN and scope.id is None:
        return Scope.own(user.pk)
    return scope


# --- Questions ----------------------------------------------------------------


def is_simple_user(user: User | AnonymousUser | None) -> bool:
    """A student, parent or applicant holding no full-rights role (AC-1).

    Anonymous and inactive users count as simple; superusers never do.
    """
    if not _active(user):
        return True
    if user.is_superuser:
        return False
    return _rights_of(user).simple


def has_right(
    user: User | AnonymousUser | None, module: str, level: int, *, scope: Scope | None = None
) -> bool:
    """Does `user` hold at least `level` on `module` within `scope`?

    With `scope=None` the question is "anywhere at all" (to show a menu entry);
    the page then narrows its data with `scopes_for`. Simple users are capped
    at VIEW. Reads the database at most once per user object.
    """
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    rights = _rights_of(user)
    grants = rights.by_module.get(module, ())
    if scope is not None:
        scope = _normalise(user, scope)
    return any(
        grant.level >= level and (scope is None or rights.contains(grant.scope, scope))
        for grant in grants
    )


def scopes_for(user: User | AnonymousUser | None, module: str, level: int) -> list[Scope]:
    """The scopes where `user` holds at least `level` on `module`, sorted, no duplicates.

    A grant on the whole institution makes it the only scope returned. An own
    grant comes back as `Scope("own", user.pk)`.
    """
    if not _active(user):
        return []
    if user.is_superuser:
        return [Scope.institution()]
    scopes = {
        grant.scope for grant in _rights_of(user).by_module.get(module, ()) if grant.level >= level
    }
    if Scope.institution() in scopes:
        return [Scope.institution()]
    return sorted(scopes, key=lambda s: (s.kind, s.id or 0))


def require_right(
    user: User | AnonymousUser | None, module: str, level: int, *, scope: Scope | None = None
) -> None:
    """Raise Http404 unless `has_right`; a refused page looks exactly like a missing one."""
    if not has_right(user, module, level, scope=scope):
        raise Http404(_("Page not found."))


def owns_data(
    user: User | AnonymousUser | None, data_kind: str, *, scope: Scope | None = None
) -> bool:
    """Is `user` in the office that alone writes `data_kind` (AC-2), within `scope`?

    True when the user holds the owning role (DataOwnership) in a scope
    containing `scope` (anywhere, with None); superusers own everything,
    simple users nothing. Writing actions ask this as well as the module right.
    """
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    rights = _rights_of(user)
    if rights.simple:
        return False
    if data_kind not in rights.owners:
        rights.owners[data_kind] = (
            DataOwnership.objects.filter(data_kind=data_kind)
            .values_list("owner_id", flat=True)
            .first()
        )
    owner_id = rights.owners[data_kind]
    if scope is not None:
        scope = _normalise(user, scope)
    return any(
        role_id == owner_id and (scope is None or rights.contains(held, scope))
        for role_id, held in rights.roles
    )


def can_read_person(user: User | AnonymousUser | None, person: User, *, module: str) -> bool:
    """May `user` read `person`'s data in `module`?

    Yes for the person themselves and their guardians (AC-8, read-only) when
    the user holds VIEW on the module; otherwise only with VIEW in a scope
    containing the person's own data (resolvers place a person in a group).
    """
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if user.pk == person.pk or _is_guardian_of(user, person):
        return has_right(user, module, Level.VIEW, scope=Scope.own(user.pk))
    return has_right(user, module, Level.VIEW, scope=Scope.own(person.pk))


def _is_guardian_of(user: User, person: User) -> bool:
    children = getattr(user, _WARDS_ATTRIBUTE, None)
    if children is None:
        children = frozenset(
            Guardianship.objects.filter(parent_id=user.pk).values_list("child_id", flat=True)
        )
        setattr(user, _WARDS_ATTRIBUTE, children)
    return person.pk in children


def unit_free(kind: str) -> bool:
    """Scopes of this kind name no unit (the institution, own data)."""
    return kind in UNIT_FREE_SCOPE_KINDS
