"""Small questions of every kind, in Kyrgyz/Russian/English, shared by the format tests."""

import base64

from hub.testing.formats.questions import (
    EmbeddedFile,
    Kind,
    MatchPair,
    Option,
    Question,
    ShortAnswer,
)

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def every_kind(language: str = "ky") -> list[Question]:
    """One question of each kind, one language, the fields GIFT and Moodle XML both hold."""

    def t(value: str) -> dict[str, str]:
        return {language: value}

    return [
        Question(
            kind=Kind.SINGLE,
            name="Борбор",
            text=t("Кыргызстандын борбору <b>кайсы</b>? ң ө ү"),
            options=[
                Option(t("Бишкек"), 100.0, t("Туура!")),
                Option(t("Ош"), 0.0),
                Option(t("Каракол {жок}"), 0.0),
            ],
            general_feedback=t("Бишкек — борбор."),
            category=("География", "Кыргызстан"),
        ),
        Question(
            kind=Kind.MULTIPLE,
            name="Жуп сандар",
            text=t("Choose the even numbers: 2 ~ 3 = 4 # 5 : 6"),
            options=[
                Option(t("2"), 50.0),
                Option(t("4"), 50.0),
                Option(t("5"), -100.0, t("5 is odd")),
            ],
            category=("Математика",),
        ),
        Question(
            kind=Kind.TRUE_FALSE,
            name="Асман",
            text=t("Асман көк."),
            truth=True,
            feedback_true=t("Ооба"),
            feedback_false=t("Жок, көк"),
            category=("Математика",),
        ),
        Question(
            kind=Kind.TRUE_FALSE,
            name="Кар",
            text=t("Кар кара."),
            truth=False,
            category=("Математика",),
        ),
        Question(
            kind=Kind.SHORT,
            name="Столица",
            text=t("Столица Кыргызстана?"),
            answers=[ShortAnswer("Бишкек"), ShortAnswer("Фрунзе", 50.0, t("Старое название"))],
        ),
        Question(
            kind=Kind.MATCHING,
            name="Которуу",
            text=t("Сөздөрдү которуңуз"),
            pairs=[
                MatchPair(t("мышык"), t("кошка")),
                MatchPair(t("ит"), t("собака")),
                MatchPair(t("үй"), t("дом")),
            ],
        ),
    ]


def multilingual() -> Question:
    """A question in all three languages."""
    return Question(
        kind=Kind.SINGLE,
        name="Тил",
        text={"ky": "Суроо ңөү", "ru": "Вопрос", "en": "Question"},
        options=[
            Option({"ky": "Ооба", "ru": "Да", "en": "Yes"}, 100.0),
            Option({"ky": "Жок", "ru": "Нет", "en": "No"}, 0.0),
        ],
    )


def with_image() -> Question:
    return Question(
        kind=Kind.SINGLE,
        name="Сүрөт",
        text={"ky": '<p>Сүрөттө эмне бар?</p><p><img src="cat picture.png"></p>'},
        options=[
            Option({"ky": '<img src="option.png">'}, 100.0),
            Option({"ky": "Эч нерсе"}, 0.0),
        ],
        files=[
            EmbeddedFile("cat picture.png", PNG, "image/png"),
            EmbeddedFile("option.png", PNG + b"2", "image/png"),
            EmbeddedFile("unused.png", PNG + b"3", "image/png"),
        ],
    )
