"""The letters-and-digits password rule, on its own and among the project's validators."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from hub.accounts.validators import LettersAndDigitsValidator


@pytest.mark.parametrize("password", ["Tunuk-kelet-2027", "Жылдыз2027жаз", "a1"])
def test_letters_with_digits_pass(password):
    LettersAndDigitsValidator().validate(password)


@pytest.mark.parametrize(
    "password", ["onlyletterslong", "Жылдызжаздакелет", "12345678901", "--__--"]
)
def test_letters_alone_or_digits_alone_are_refused(password):
    with pytest.raises(ValidationError) as error:
        LettersAndDigitsValidator().validate(password)

    assert error.value.code == "password_no_letters_and_digits"


def test_the_rule_is_one_of_the_projects_validators():
    with pytest.raises(ValidationError) as error:
        validate_password("correcthorsebattery")

    assert "The password must contain both letters and digits." in error.value.messages
