"""hub.demo.names: deterministic Kyrgyz and Russian people with Latin spellings."""

from __future__ import annotations

import pytest

from hub.demo.names import (
    KYRGYZ_FEMALE,
    KYRGYZ_MALE,
    KYRGYZ_SURNAMES,
    RUSSIAN_FEMALE,
    RUSSIAN_MALE,
    RUSSIAN_SURNAMES,
    NameGenerator,
    feminine_surname,
    kyrgyz_patronymic,
    russian_patronymic,
    transliterate,
)


def people(seed, count=300):
    generator = NameGenerator(seed)
    return [generator.person() for _ in range(count)]


def test_the_same_seed_gives_the_same_people():
    assert people(2026) == people(2026)


def test_another_seed_gives_other_people():
    assert people(2026) != people(7)


def test_kyrgyz_letters_appear_in_the_names():
    text = " ".join(p.full_name for p in people(2026))

    assert {"ң", "ө", "ү"} <= set(text)


def test_both_nationalities_and_sexes_appear():
    crowd = people(2026)

    assert {(p.nationality, p.sex) for p in crowd} == {
        ("ky", "m"),
        ("ky", "f"),
        ("ru", "m"),
        ("ru", "f"),
    }


@pytest.mark.parametrize(
    "names",
    [KYRGYZ_MALE, KYRGYZ_FEMALE, KYRGYZ_SURNAMES, RUSSIAN_MALE, RUSSIAN_FEMALE, RUSSIAN_SURNAMES],
)
def test_each_list_has_sixty_distinct_names(names):
    assert len(set(names)) == len(names) >= 60


def test_women_carry_female_forms_and_men_male_forms():
    for person in people(11, 500):
        if person.sex == "f":
            assert person.patronymic.endswith(("овна", "евна", "ична", "инична", "кызы"))
            assert person.last_name == feminine_surname(person.family)
        else:
            assert person.patronymic.endswith(("ович", "евич", "ич", "уулу"))
            assert person.last_name == person.family


def test_latin_names_are_the_transliteration():
    for person in people(3, 50):
        assert person.last_name_latin == transliterate(person.last_name)
        assert person.first_name_latin.isascii()
        assert person.patronymic_latin.isascii()


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Өмүрбеков", "Omurbekov"),
        ("Жээнбеков", "Zheenbekov"),
        ("Аңгемелер", "Angemeler"),
        ("Чыңгыз", "Chyngyz"),
        ("Жеңиш", "Zhengish"),
        ("Үсөнбаев", "Usonbaev"),
        ("Айгүл", "Aigul"),
        ("Наталья", "Natalya"),
        ("Щукин", "Shchukin"),
        ("Хабибуллин", "Khabibullin"),
        ("Юлия", "Yuliya"),
        ("Бакыт уулу", "Bakyt uulu"),
        ("ЖЭЭНБЕКОВ", "ZHEENBEKOV"),
    ],
)
def test_transliteration(cyrillic, latin):
    assert transliterate(cyrillic) == latin


@pytest.mark.parametrize(
    ("father", "son", "daughter"),
    [
        ("Иван", "Иванович", "Ивановна"),
        ("Сергей", "Сергеевич", "Сергеевна"),
        ("Юрий", "Юрьевич", "Юрьевна"),
        ("Николай", "Николаевич", "Николаевна"),
        ("Никита", "Никитич", "Никитична"),
        ("Илья", "Ильич", "Ильинична"),
        ("Павел", "Павлович", "Павловна"),
        ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ],
)
def test_russian_patronymics(father, son, daughter):
    assert (russian_patronymic(father, "m"), russian_patronymic(father, "f")) == (son, daughter)


def test_kyrgyz_patronymics_in_both_styles():
    assert kyrgyz_patronymic("Бакыт", "m", traditional=False) == "Бакытович"
    assert kyrgyz_patronymic("Бакыт", "f", traditional=False) == "Бакытовна"
    assert kyrgyz_patronymic("Бакыт", "m", traditional=True) == "Бакыт уулу"
    assert kyrgyz_patronymic("Бакыт", "f", traditional=True) == "Бакыт кызы"


@pytest.mark.parametrize(
    ("male", "female"),
    [
        ("Асанов", "Асанова"),
        ("Жээнбеков", "Жээнбекова"),
        ("Ильин", "Ильина"),
        ("Покровский", "Покровская"),
        ("Шевченко", "Шевченко"),
    ],
)
def test_feminine_surnames(male, female):
    assert feminine_surname(male) == female


def test_a_father_gives_his_name_to_the_childs_patronymic():
    generator = NameGenerator(5)
    child = generator.person(sex="f", nationality="ru")

    father = generator.father_of(child)

    assert father.first_name == child.father_name
    assert child.patronymic == russian_patronymic(father.first_name, "f")
    assert father.last_name == child.family
