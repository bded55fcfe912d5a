"""Reads of the accounts pages, each a fixed number of queries whatever the page size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from hub.accounts.models import DataOwnership, Role, RoleAssignment, RoleRight, User

SEARCH_FIELDS = (
    "username",
    "last_name",
    "first_name",
    "patronymic",
    "last_name_latin",
    "first_name_latin",
    "phone",
    "email",
)


def _spellings(word: str) -> set[str]:
    # SQLite folds case for ASCII letters only: "асанов" would not find
    # "Асанов" there. Trying the usual spellings of a name finds it on SQLite
    # and changes nothing on PostgreSQL, whose UPPER() knows Cyrillic.
    return {word, word.lower(), word.capitalize(), word.upper()}


def users_search(*, q: str = "", cabinet: str = "", active: bool | None = None) -> QuerySet[User]:
    """Accounts whose login, names (Cyrillic or Latin), phone or e-mail contain every word of `q`."""
    users = User.objects.all()
    for word in q.split():
        match = Q()
        for spelling in _spellings(word):
            for name in SEARCH_FIELDS:
                match |= Q(**{f"{name}__icontains": spelling})
        users = users.filter(match)
    if cabinet:
        users = users.filter(cabinet=cabinet)
    if active is not None:
        users = users.filter(is_active=active)
    return users.order_by("last_name", "first_name", "id")


@dataclass(frozen=True)
class Lock:
    username: str
    failures: int
    last_failure: datetime

    @property
    def until(self) -> datetime:
        return self.last_failure + settings.AXES_COOLOFF_TIME


def locks_current(*, usernames: list[str] | None = None) -> list[Lock]:
    """Logins locked now by repeated failed sign-ins (django-axes), newest first; one query.

    Axes keeps one record per login, address and browser; the lock counts the
    failures of all of them within the cool-off, as axes itself does.
    """
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(attempt_time__gte=threshold)
    if usernames is not None:
        attempts = attempts.filter(username__in=usernames)
    rows = (
        attempts.values("username")
        .annotate(failures=Sum("failures_since_start"), last_failure=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_failure")
    )
    return [Lock(**row) for row in rows]


# --- Roles and rights (AC-7) ---------------------------------------------------


def roles_of(user: User) -> QuerySet[RoleAssignment]:
    """The user's role assignments, current and expired, with each role and its rights.

    Two queries whatever the number of assignments and rights.
    """
    return (
        RoleAssignment.objects.filter(user=user)
        .select_related("role")
        .prefetch_related(Prefetch("role__rights", queryset=RoleRight.objects.order_by("module")))
        .order_by("role__code", "scope_kind", "scope_id")
    )


def role_list() -> QuerySet[Role]:
    """Every role with its rights and the number of its holders; two queries."""
    return (
        Role.objects.annotate(holders=Count("assignments"))
        .prefetch_related(Prefetch("rights", queryset=RoleRight.objects.order_by("module")))
        .order_by("code")
    )


def ownership_map() -> dict[str, Role]:
    """Data kind → the role that alone writes it (AC-2); one query."""
    return {o.data_kind: o.owner for o in DataOwnership.objects.select_related("owner")}
