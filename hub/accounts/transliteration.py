"""Kyrgyz and Russian Cyrillic → Latin, for the Latin forms of people's names (X-2).

Pure: no Django, no state. The table follows the romanisation printed in
Kyrgyz passports and used by the State Registration Service, so a Latin name
made here matches the student's passport and diploma supplement:

==========  =====  ============================================================
Cyrillic    Latin  note
==========  =====  ============================================================
а б в г д   a b v g d
е           e      also at the start of a word (Елена → Elena), as passports do
ё           yo     Семён → Semyon
ж           zh     Жылдыз → Zhyldyz
з и         z i
й           i      Айгүл → Aigul, Кайрат → Kairat: the passport form; "y" would
                   give Aygul, which the holders' documents do not use
к л м н     k l m n
ң           ng     Жеңиш → Zhengish; before г only n: Чыңгыз → Chyngyz
о           o
ө           o      Өмүр → Omur (the Kyrgyz letter loses its mark, as in passports)
п р с т     p r s t
у           u
ү           u      Гүлнара → Gulnara
ф х         f kh
ц           ts
ч           ch
ш           sh
щ           shch
ъ ь         —      dropped
ы           y      Бакыт → Bakyt
э           e
ю           yu
я           ya
==========  =====  ============================================================

Anything else (Latin letters, digits, spaces, hyphens) passes through. A
capital stays a capital: Ж → Zh at the start of a word, ZH inside a word
written in capitals (ЖЭЭНБЕКОВ → ZHEENBEKOV).
"""

from __future__ import annotations

LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "ң": "ng",
    "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ү": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def transliterate(text: str) -> str:
    """`text` in Kyrgyz or Russian Cyrillic, written in Latin letters by the table above."""
    out: list[str] = []
    for i, char in enumerate(text):
        latin = LATIN.get(char.lower())
        if latin == "ng" and text[i + 1 : i + 2].lower() == "г":
            latin = "n"  # ңг is written ng, not ngg: Чыңгыз → Chyngyz
        if latin is None:
            out.append(char)
        elif not char.isupper() or not latin:
            out.append(latin)
        else:
            following = text[i + 1 : i + 2]
            whole_word_upper = following.isupper() or (
                not following.isalpha() and i > 0 and text[i - 1].isupper()
            )
            out.append(latin.upper() if whole_word_upper else latin.capitalize())
    return "".join(out)
