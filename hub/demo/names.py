"""Realistic Kyrgyz and Russian names for the demo university, with Latin spellings.

Pure and deterministic: `NameGenerator(seed)` yields the same people for the
same seed on every machine (random.Random with an explicit seed, no Django).
Names are in Cyrillic with the Kyrgyz letters ң, ө, ү, and in the form that
matches the person's sex: Асанов / Асанова, Бакытович / Бакытовна,
Бакыт уулу / Бакыт кызы.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from hub.accounts.transliteration import transliterate

Sex = Literal["m", "f"]
Nationality = Literal["ky", "ru"]


def _words(text: str) -> list[str]:
    return text.split()


KYRGYZ_MALE = _words("""
Азамат Айбек Айдар Алмаз Алтынбек Аманбек Арстан Асан Аскар Атай Бакыт Бактыбек
Бекболот Бекжан Бекназар Белек Болот Бообек Дастан Жаныбек Жеңиш Жолдош Жоомарт
Жыргалбек Замир Калыс Канат Кайрат Кубанычбек Курманбек Кутман Майрамбек Медер
Мелис Мирлан Мыктыбек Нурбек Нурдин Нурлан Нурсултан Өмүр Өмүрбек Өмүрзак Самат
Санжар Сыймык Сүйүнбек Таалай Талант Темир Тилек Тынчтык Төлөгөн Төрөбек Улан
Урмат Үмөт Үсөн Чубак Чыңгыз Элдияр Эмил Эрлан Эрмек Эрнис Адилет Актан Исламбек
""")

KYRGYZ_FEMALE = _words("""
Аида Айгерим Айгүл Айдана Айжан Айзада Айнура Айпери Айсалкын Айсулуу Айчүрөк
Акмарал Алтынай Асель Бактыгүл Бегимай Бермет Бурулай Бүбүсара Гүлайым Гүлжан
Гүлзат Гүлмира Гүлнара Дарика Динара Жазгүл Жамиля Жаңыл Жылдыз Замира Зарина
Канышай Каныкей Кундуз Күмүш Күмүшай Күнсулуу Мирайым Мээрбан Мээрим Назгүл
Назира Нурайым Нургүл Нуржамал Нуриза Перизат Саадат Сайкал Салтанат Сезим
Таттыбүбү Толгонай Турсунай Уулжан Чолпон Чынара Шайыркүл Элиза Элнура Эльмира
Эркайым Асема
""")

KYRGYZ_SURNAMES = _words("""
Абдрахманов Абдыкадыров Абдыкеримов Акматов Алымкулов Аманов Атамбаев Байзаков
Байышов Бакиров Бейшеналиев Бекболотов Бообеков Дүйшөнбеков Жапаров Жолдошбеков
Жумабаев Жусупов Жээнбеков Исаков Кадыров Калыков Каримов Касымов Кенжебаев
Койчуманов Кубатбеков Кулматов Курманалиев Мадумаров Маматов Мамбетов Мамытов
Мукашев Мураталиев Назаров Нурматов Орозбеков Осмонов Өмүралиев Өмүрбеков
Өмүрзаков Рыспаев Садыков Сариев Сатыбалдиев Суеркулов Султанов Сыдыков Сүйүнбаев
Талантбеков Ташиев Текебаев Темирбаев Токтогулов Токтосунов Турдубаев Тыныбеков
Төлөнов Төрөбеков Үмөталиев Үсөнбаев Чотонов Шамшиев Шаршеналиев Эркинбаев
Эсенгулов Асанов Аңгемеев
""")

RUSSIAN_MALE = _words("""
Александр Алексей Анатолий Андрей Антон Аркадий Арсений Артём Богдан Борис Вадим
Валентин Валерий Василий Виктор Виталий Владимир Владислав Всеволод Вячеслав
Геннадий Георгий Глеб Григорий Даниил Денис Дмитрий Евгений Егор Захар Иван Игорь
Илья Кирилл Константин Лев Леонид Максим Марк Матвей Мирон Михаил Никита Николай
Олег Павел Пётр Роман Ростислав Руслан Савелий Святослав Семён Сергей Станислав
Степан Тимофей Тимур Фёдор Филипп Эдуард Юрий Яков Ярослав
""")

RUSSIAN_FEMALE = _words("""
Александра Алёна Алина Алла Анастасия Анна Антонина Арина Валентина Валерия
Варвара Василиса Вера Вероника Виктория Галина Дарья Диана Ева Евгения Екатерина
Елена Елизавета Жанна Злата Зоя Инна Ирина Карина Кристина Ксения Лариса Лидия
Лилия Любовь Людмила Маргарита Марина Мария Милана Надежда Наталья Нелли Нина
Оксана Олеся Ольга Полина Раиса Регина Светлана Снежана София Таисия Тамара
Татьяна Ульяна Эвелина Юлия Яна
""")

RUSSIAN_SURNAMES = _words("""
Александров Алексеев Андреев Антонов Баранов Белов Беляев Богданов Борисов Васильев
Виноградов Вишневский Власов Волков Воробьёв Гусев Давыдов Денисов Дмитриев Егоров
Жуков Зайцев Захаров Иванов Ильин Карпов Киселёв Ковалёв Козлов Комаров Королёв
Крылов Кузнецов Кузьмин Куликов Лебедев Макаров Максимов Марков Матвеев Медведев
Мельников Миронов Михайлов Морозов Никитин Николаев Новиков Орлов Осипов Павлов
Петров Покровский Поляков Попов Романов Семёнов Сергеев Сидоров Смирнов Соколов
Соловьёв Сорокин Степанов Тарасов Титов Фёдоров Филиппов Фролов Шевченко
""")

# Russian patronymics that the regular rules below do not produce.
_RUSSIAN_PATRONYMIC_EXCEPTIONS = {
    "Лев": ("Львович", "Львовна"),
    "Павел": ("Павлович", "Павловна"),
    "Пётр": ("Петрович", "Петровна"),
    "Яков": ("Яковлевич", "Яковлевна"),
    "Георгий": ("Георгиевич", "Георгиевна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Илья": ("Ильич", "Ильинична"),
    "Никита": ("Никитич", "Никитична"),
}


def feminine_surname(surname: str) -> str:
    """The female form of a surname: Асанов → Асанова, Покровский → Покровская."""
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ский", "цкий")):
        return surname[:-2] + "ая"
    return surname  # Шевченко, Ковальчук: the same for both sexes


def russian_patronymic(father: str, sex: Sex) -> str:
    """Сергей → Сергеевич / Сергеевна, Юрий → Юрьевич, Иван → Иванович."""
    if father in _RUSSIAN_PATRONYMIC_EXCEPTIONS:
        male, female = _RUSSIAN_PATRONYMIC_EXCEPTIONS[father]
    elif father.endswith("ий"):
        male, female = father[:-2] + "ьевич", father[:-2] + "ьевна"
    elif father.endswith("й"):
        male, female = father[:-1] + "евич", father[:-1] + "евна"
    elif father.endswith(("а", "я")):
        male, female = father[:-1] + "ич", father[:-1] + "ична"
    else:
        male, female = father + "ович", father + "овна"
    return male if sex == "m" else female


def kyrgyz_patronymic(father: str, sex: Sex, *, traditional: bool) -> str:
    """Бакыт → Бакыт уулу / Бакыт кызы (traditional) or Бакытович / Бакытовна."""
    if traditional:
        return f"{father} {'уулу' if sex == 'm' else 'кызы'}"
    return russian_patronymic(father, sex)


@dataclass(frozen=True)
class Person:
    nationality: Nationality
    sex: Sex
    last_name: str
    first_name: str
    patronymic: str
    # The male surname of the family and the father's first name, so relatives
    # of this person can be generated with matching names.
    family: str
    father_name: str

    @property
    def last_name_latin(self) -> str:
        return transliterate(self.last_name)

    @property
    def first_name_latin(self) -> str:
        return transliterate(self.first_name)

    @property
    def patronymic_latin(self) -> str:
        return transliterate(self.patronymic)

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name} {self.patronymic}"


class NameGenerator:
    """A deterministic stream of people; the same seed gives the same people."""

    def __init__(self, seed: int | str, *, kyrgyz_share: float = 0.75) -> None:
        self.rng = random.Random(seed)
        self.kyrgyz_share = kyrgyz_share

    def person(
        self,
        *,
        sex: Sex | None = None,
        nationality: Nationality | None = None,
        family: str | None = None,
        first_name: str | None = None,
    ) -> Person:
        rng = self.rng
        if sex is None:
            sex = rng.choice(("m", "f"))
        if nationality is None:
            nationality = "ky" if rng.random() < self.kyrgyz_share else "ru"
        if nationality == "ky":
            males, females, surnames = KYRGYZ_MALE, KYRGYZ_FEMALE, KYRGYZ_SURNAMES
        else:
            males, females, surnames = RUSSIAN_MALE, RUSSIAN_FEMALE, RUSSIAN_SURNAMES
        family = family or rng.choice(surnames)
        first_name = first_name or rng.choice(males if sex == "m" else females)
        father = rng.choice(males)
        if nationality == "ky":
            patronymic = kyrgyz_patronymic(father, sex, traditional=rng.random() < 0.3)
        else:
            patronymic = russian_patronymic(father, sex)
        return Person(
            nationality=nationality,
            sex=sex,
            last_name=family if sex == "m" else feminine_surname(family),
            first_name=first_name,
            patronymic=patronymic,
            family=family,
            father_name=father,
        )

    def father_of(self, child: Person) -> Person:
        return self.person(
            sex="m",
            nationality=child.nationality,
            family=child.family,
            first_name=child.father_name,
        )

    def mother_of(self, child: Person) -> Person:
        return self.person(sex="f", nationality=child.nationality, family=child.family)
