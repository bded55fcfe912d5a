"""Access to cabinets: each user opens only the cabinet of their own kind."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from hub.accounts.models import Cabinet


def access_cabinet(user, kind: str) -> str:
    """Return `kind` if `user` may open that cabinet.

    Raises Http404 for an unknown kind and for another kind's cabinet alike,
    so a user learns nothing about pages that are not theirs.
    """
    if (
        user is None
        or not user.is_authenticated
        or kind not in Cabinet.values
        or user.cabinet != kind
    ):
        raise Http404(_("Cabinet not found."))
    return kind
