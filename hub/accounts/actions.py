"""Writes to users: every change of a user goes through one of these functions."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from hub.accounts.models import Language, User
from hub.errors import DomainError

_PHONE_SEPARATORS = re.compile(r"[\s()\-]")
_PHONE = re.compile(r"\+?[0-9]{9,15}")


def phone_normalize(raw: str) -> str:
    """`+996 (555) 12-34-56` → `+996555123456`; empty stays empty.

    Raises ValidationError unless 9 to 15 digits remain, with an optional
    leading + (E.164 allows 15; a Kyrgyz number without the country code has 9).
    """
    compact = _PHONE_SEPARATORS.sub("", raw.strip())
    if compact and not _PHONE.fullmatch(compact):
        raise ValidationError(
            _("Enter a phone number of 9 to 15 digits, for example +996 555 123 456."),
            code="invalid_phone",
        )
    return compact


@transaction.atomic
def user_profile_update(
    *, user: User, language: str | None = None, phone: str | None = None
) -> User:
    """Change the fields a user may change about themselves: language and phone.

    Fields left as None are not touched. Raises ValidationError for an unknown
    language or a malformed phone number; nothing is saved then.
    """
    fields = []
    if language is not None:
        if language not in Language.values:
            raise ValidationError({"language": [_language_unavailable()]})
        user.language = language
        fields.append("language")
    if phone is not None:
        try:
            user.phone = phone_normalize(phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.error_list}) from None
        fields.append("phone")
    if not fields:
        return user
    user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in fields])
    user.save(update_fields=fields)
    return user


def _language_unavailable() -> str:
    return _("This language is not available.")


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Save `language` as the user's interface language.

    UserLanguageMiddleware applies it on every later request, in every browser.
    Raises DomainError for a language the site does not offer.
    """
    if language not in Language.values:
        raise DomainError(_language_unavailable())
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def user_api_token_issue(*, user: User) -> Token:
    """The user's API token, created on first use; the same key until it is revoked."""
    token, _created = Token.objects.get_or_create(user=user)
    return token
