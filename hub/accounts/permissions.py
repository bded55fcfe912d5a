"""Who may administer accounts: the only access checks of the accounts pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from hub.accounts.access import Level, Module, Scope, has_right
from hub.accounts.models import Role, User


def may_administer_accounts(user) -> bool:
    """Creating logins, issuing passwords and closing accounts is an
    institution-wide power: EDIT on the accounts module for the whole institution."""
    return has_right(user, Module.ACCOUNTS, Level.EDIT, scope=Scope.institution())


def access_accounts_admin(user) -> None:
    """Raise Http404 unless `user` may administer accounts (a refused page looks missing)."""
    if not may_administer_accounts(user):
        raise Http404(_("Page not found."))


def access_user(user, user_id: int, *, write: bool = False) -> User:
    """The account `user_id` for an accounts administrator; Http404 for anyone else.

    Reading and writing another account need the same right (`write` is kept
    for the common signature of access functions). A missing and a forbidden
    account give the same error.
    """
    access_accounts_admin(user)
    try:
        return User.objects.get(pk=user_id)
    except User.DoesNotExist:
        raise Http404(_("Page not found.")) from None


def access_role(user, role_id: int, *, write: bool = False) -> Role:
    """The role `role_id` for an accounts administrator; Http404 for anyone else.

    Reading a role's rights and changing them need the same right (`write` is
    kept for the common signature). A missing and a forbidden role give the same error.
    """
    access_accounts_admin(user)
    try:
        return Role.objects.get(pk=role_id)
    except Role.DoesNotExist:
        raise Http404(_("Page not found.")) from None
