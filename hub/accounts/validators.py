"""Password rules of eBilim beyond Django's own validators (AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LettersAndDigitsValidator:
    """A password must mix letters and digits.

    Django already refuses short, common, all-digit and name-like passwords;
    this closes the remaining easy case of a dictionary word of 8+ letters.
    Letters of any alphabet count, so a Kyrgyz or Russian passphrase is fine.
    """

    def validate(self, password: str, user=None) -> None:
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError(
                _("The password must contain both letters and digits."),
                code="password_no_letters_and_digits",
            )

    def get_help_text(self) -> str:
        return _("Your password must contain both letters and digits.")
