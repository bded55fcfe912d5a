"""Writes made from the cabinets: today only the user's interface language."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from hub.accounts.models import User


class DomainError(Exception):
    """A request the domain refuses; the message is translated and safe to show."""


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Save `language` as the user's interface language.

    UserLanguageMiddleware applies it on every later request, in every browser.
    Raises DomainError for a language the site does not offer.
    """
    if language not in language_codes():
        raise DomainError(_("This language is not available."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
