"""Model-free description of a bank question, shared by every import/export format.

A `Question` is what Word, Moodle XML and GIFT files are read into and written
from; the question-bank models convert to and from it. Texts are per language
(`{"ky": ..., "ru": ..., "en": ...}`): a format that holds one language fills the
one given by its `language` argument, and Moodle XML and GIFT keep several
languages in Moodle's multilang spans (`<span lang="ky" class="multilang">`).
Rich text is sanitised HTML (`html.sanitise_html`). Images are `EmbeddedFile`s
referenced from the HTML by their bare name (`<img src="image1.png">`).

Marks are percentages, as Moodle writes them: 100 for a right option, 0 for a
wrong one, 50 for half credit, negative for a penalty.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from enum import StrEnum

LANGUAGES = ("ky", "ru", "en")

LangText = dict[str, str]


class Kind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "truefalse"
    SHORT = "short"
    MATCHING = "matching"


@dataclass
class Option:
    """A choice of a single/multiple choice question; `percent` of the mark it earns."""

    text: LangText
    percent: float = 0.0
    feedback: LangText = field(default_factory=dict)

    @property
    def correct(self) -> bool:
        return self.percent > 0


@dataclass
class ShortAnswer:
    """One accepted answer of a short-answer question (plain text)."""

    text: str
    percent: float = 100.0
    feedback: LangText = field(default_factory=dict)


@dataclass
class MatchPair:
    """A matching row: the prompt (HTML) and the answer it goes with (plain text)."""

    prompt: LangText
    answer: LangText


@dataclass
class EmbeddedFile:
    name: str
    content: bytes
    mime: str


@dataclass
class Question:
    kind: Kind
    name: str
    text: LangText
    options: list[Option] = field(default_factory=list)
    answers: list[ShortAnswer] = field(default_factory=list)
    case_sensitive: bool = False
    pairs: list[MatchPair] = field(default_factory=list)
    truth: bool = True
    feedback_true: LangText = field(default_factory=dict)
    feedback_false: LangText = field(default_factory=dict)
    default_mark: float = 1.0
    general_feedback: LangText = field(default_factory=dict)
    category: tuple[str, ...] = ()
    files: list[EmbeddedFile] = field(default_factory=list)


@dataclass
class Problem:
    """Something an import could not understand: where (`line`, `paragraph` or `question`
    number, 1-based; 0 for the whole file), why, and the question name when known."""

    position: int
    reason: str
    name: str = ""
    unit: str = "line"


@dataclass
class ImportResult:
    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- Helpers shared by the formats ---------------------------------------------------------


def one_language(language: str, value: str) -> LangText:
    """`{language: value}`, or `{}` for an empty value (so absent and empty compare equal)."""
    return {language: value} if value else {}


def default_name(text: LangText) -> str:
    """Moodle names an unnamed question after the start of its text."""
    first = next(iter(text.values()), "")
    spaced = re.sub(r"<(?:br|/p|/td|/th|/li|/tr)\b[^>]*>", " ", first)
    plain = html_lib.unescape(re.sub(r"<[^>]+>", "", spaced))
    return " ".join(plain.split())[:40].rstrip()


def plain_to_html(text: str) -> str:
    """Plain text as HTML: characters escaped, line breaks kept as `<br>`."""
    return html_lib.escape(text, quote=False).replace("\n", "<br>")


_MULTILANG = re.compile(
    r'<span\s+(?:lang="(?P<l1>[a-z_]+)"\s+class="multilang"|class="multilang"\s+lang="(?P<l2>[a-z_]+)")\s*>'
)


def join_languages(texts: LangText, language: str) -> str:
    """One string for a one-language slot: the text itself, or Moodle multilang spans."""
    filled = {lang: value for lang, value in texts.items() if value}
    if not filled:
        return ""
    if set(filled) == {language}:
        return filled[language]
    return "".join(
        f'<span lang="{lang}" class="multilang">{value}</span>'
        for lang, value in sorted(filled.items())
    )


def split_languages(value: str, language: str) -> LangText:
    """Inverse of `join_languages`: multilang spans split into languages, else `{language: value}`."""
    value = value.strip()
    if not _MULTILANG.match(value):
        return one_language(language, value)
    texts: LangText = {}
    position = 0
    while position < len(value):
        start = _MULTILANG.match(value, position)
        if start is None:
            return one_language(language, value)
        end = _span_end(value, start.end())
        if end is None:
            return one_language(language, value)
        texts[start.group("l1") or start.group("l2")] = value[start.end() : end]
        position = end + len("</span>")
        while position < len(value) and value[position].isspace():
            position += 1
    return texts


def _span_end(value: str, position: int) -> int | None:
    """Index of the `</span>` closing a span whose content starts at `position` (nesting aware)."""
    depth = 1
    for match in re.finditer(r"<span\b[^>]*>|</span>", value[position:]):
        depth += -1 if match.group().startswith("</") else 1
        if depth == 0:
            return position + match.start()
    return None


def sorted_files(files: list[EmbeddedFile]) -> list[EmbeddedFile]:
    """Files in one order (by name, first of a name wins) whatever order a format stores them in."""
    unique: dict[str, EmbeddedFile] = {}
    for item in files:
        unique.setdefault(item.name, item)
    return [unique[name] for name in sorted(unique)]


def number(value: float) -> str:
    """A percentage or mark written so it reads back as the same float (100.0 -> "100")."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def guess_mime(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return {
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "svg": "image/svg+xml",
        "webp": "image/webp",
        "bmp": "image/bmp",
        "emf": "image/x-emf",
        "wmf": "image/x-wmf",
    }.get(extension, "application/octet-stream")
