"""Kyrgyz and Russian Cyrillic → Latin by the documented table (no database)."""

from __future__ import annotations

import pytest

from hub.accounts import transliteration
from hub.accounts.transliteration import LATIN, transliterate


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Жеңиш", "Zhengish"),  # ң → ng
        ("Чыңгыз", "Chyngyz"),  # ңг → ng, not ngg
        ("Өмүр", "Omur"),  # ө → o, ү → u
        ("Гүлнара", "Gulnara"),
        ("Жылдыз", "Zhyldyz"),  # ж → zh, ы → y
        ("Цой", "Tsoi"),  # ц → ts, й → i
        ("Чолпон", "Cholpon"),
        ("Шаршеналиев", "Sharshenaliev"),
        ("Щербаков", "Shcherbakov"),
        ("Юлия", "Yuliya"),
        ("Семён", "Semyon"),
        ("Кайрат", "Kairat"),
        ("Эрмек", "Ermek"),
        ("Хабибуллин", "Khabibullin"),
        ("Объедков", "Obedkov"),  # ъ dropped
        ("Ольга", "Olga"),  # ь dropped
        ("Бакыт уулу", "Bakyt uulu"),
        ("Мамытова-Исакова", "Mamytova-Isakova"),
        ("ЖЭЭНБЕКОВ", "ZHEENBEKOV"),
        ("", ""),
    ],
)
def test_names_are_written_as_in_kyrgyz_passports(cyrillic, latin):
    assert transliterate(cyrillic) == latin


def test_latin_letters_and_digits_pass_through():
    assert transliterate("Smith 2") == "Smith 2"


def test_every_letter_of_both_alphabets_is_in_the_table():
    russian = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    kyrgyz = "ңөү"

    assert set(russian + kyrgyz) == set(LATIN)


def test_the_table_is_documented_letter_by_letter():
    doc = transliteration.__doc__
    for letter in "ңөүжцчшщюяёй":
        assert letter in doc, letter


def test_the_demo_names_use_the_same_function():
    from hub.demo import names

    assert names.transliterate is transliterate
