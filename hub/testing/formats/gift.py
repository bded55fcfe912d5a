"""Moodle GIFT import and export (https://docs.moodle.org/en/GIFT_format).

Supported: `$CATEGORY:` lines, `::name::`, `[html]`/`[moodle]`/`[plain]`/`[markdown]`
text formats, single choice `{=right ~wrong}`, multiple choice with partial credit
`{~%50%a ~%50%b ~%-100%c}`, true/false `{T}`/`{FALSE#wrong feedback#right feedback}`,
short answer `{=a =%50%b}`, matching `{=a -> 1 =b -> 2}`, answer feedback `#`,
general feedback `####`, escapes `\\~ \\= \\# \\{ \\} \\: \\\\ \\n`, and `//` comment lines.
Numerical, essay and description questions are reported as problems.

GIFT holds one language: texts go to `language`; several languages are written and
read as Moodle multilang spans. GIFT has no default mark, no case sensitivity for
short answers and no embedded files — those do not survive a trip through GIFT.
Markdown text is read as plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .html import sanitise_html
from .questions import (
    ImportResult,
    Kind,
    LangText,
    MatchPair,
    Option,
    Problem,
    Question,
    ShortAnswer,
    default_name,
    join_languages,
    number,
    plain_to_html,
    split_languages,
)

# Escaped characters are swapped for private-use placeholders while the question is cut up.
_ESCAPABLE = "\\~=#{}:"
_PLACEHOLDER = {char: chr(0xE000 + index) for index, char in enumerate(_ESCAPABLE)}
_NEWLINE = chr(0xE0FF)
_RESTORE = {placeholder: char for char, placeholder in _PLACEHOLDER.items()} | {_NEWLINE: "\n"}

_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.I)
_NAME = re.compile(r"^\s*::(.*?)::", re.S)
_PERCENT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)\s*(?:#([^#]*))?(?:#([^#]*))?$", re.I | re.S)
_CONTEXT = re.compile(r"^\$[a-z]+\$/?")


class GiftError(ValueError):
    """A question block that cannot be read; caught per question and reported."""


@dataclass
class _Block:
    line: int
    text: str


# --- Reading -------------------------------------------------------------------------------


def parse_gift(source: str | bytes, *, language: str) -> ImportResult:
    """Read every question of a GIFT file; a broken question becomes a `Problem` with its line."""
    result = ImportResult()
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            result.problems.append(
                Problem(0, _("The file is not UTF-8 text (byte %d).") % error.start)
            )
            return result
    category: tuple[str, ...] = ()
    for block in _blocks(source):
        text = block.text
        if text.lstrip().startswith("$CATEGORY:"):
            first, _newline, text = text.partition("\n")
            category = parse_category_path(first.split(":", 1)[1])
            if not text.strip():
                continue
        try:
            question = _parse_question(text, language=language)
        except GiftError as error:
            result.problems.append(Problem(block.line, str(error), name=_guess_name(text)))
            continue
        question.category = category
        result.questions.append(question)
    return result


def parse_category_path(path: str) -> tuple[str, ...]:
    """`$course$/top/A/B` or `A/B` as `("A", "B")`; `//` stands for a slash inside a name."""
    path = _CONTEXT.sub("", path.strip())
    parts = [part.replace("//", "/").strip() for part in re.split(r"(?<!/)/(?!/)", path)]
    parts = [part for part in parts if part]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return tuple(parts)


def category_path(category: tuple[str, ...]) -> str:
    return "/".join(["$course$", "top", *(part.replace("/", "//") for part in category)])


def _blocks(source: str) -> list[_Block]:
    """Questions are separated by blank lines; whole-line `//` comments are dropped."""
    blocks: list[_Block] = []
    lines: list[str] = []
    start = 0
    for number_, line in enumerate(
        source.replace("\r\n", "\n").replace("\ufeff", "").split("\n"), 1
    ):
        if line.lstrip().startswith("//"):
            continue
        if line.strip():
            if not lines:
                start = number_
            lines.append(line)
        elif lines:
            blocks.append(_Block(start, "\n".join(lines)))
            lines = []
    if lines:
        blocks.append(_Block(start, "\n".join(lines)))
    return blocks


def _protect(text: str) -> str:
    def swap(match: re.Match) -> str:
        char = match.group(1)
        if char == "n":
            return _NEWLINE
        return _PLACEHOLDER.get(char, match.group(0))

    return re.sub(r"\\(.)", swap, text)


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(char, char) for char in text).strip()


def _guess_name(text: str) -> str:
    match = _NAME.match(_protect(text))
    return _restore(match.group(1)) if match else ""


def _parse_question(raw: str, *, language: str) -> Question:
    text = _protect(raw)
    name = ""
    if match := _NAME.match(text):
        name = _restore(match.group(1))
        text = text[match.end() :]
    opening = text.find("{")
    if opening < 0:
        raise GiftError(_("No answers: a question needs an answer block in braces { }."))
    closing = text.find("}", opening)
    if closing < 0:
        raise GiftError(_("The answer block is not closed with }."))
    head, body, tail = text[:opening], text[opening + 1 : closing], text[closing + 1 :]
    if tail.strip():
        head = f"{head.rstrip()} _____ {tail.strip()}"
    fmt = "moodle"
    if match := _FORMAT.match(head):
        fmt = match.group(1).lower()
        head = head[match.end() :]
    rich = _Rich(fmt, language)
    question_text = rich(head)
    if not question_text:
        raise GiftError(_("The question text is empty."))
    question = Question(
        kind=Kind.SINGLE, name=name or default_name(question_text), text=question_text
    )
    _parse_answers(body, question, rich, language)
    return question


class _Rich:
    """Turns a protected GIFT text into per-language sanitised HTML in the question's format."""

    def __init__(self, fmt: str, language: str):
        self.fmt = fmt
        self.language = language

    def __call__(self, protected: str) -> LangText:
        text = _restore(protected)
        if self.fmt != "html":
            text = plain_to_html(text)
        texts = split_languages(text, self.language)
        return {lang: clean for lang, value in texts.items() if (clean := sanitise_html(value))}


def _parse_answers(body: str, question: Question, rich: _Rich, language: str) -> None:
    body, _sep, general = body.partition("####")
    question.general_feedback = rich(general)
    body = body.strip()
    if not body:
        raise GiftError(_("Essay questions (empty braces) are not supported."))
    if body.startswith("#"):
        raise GiftError(_("Numerical questions are not supported."))
    if match := _TRUE_FALSE.match(body):
        _true_false(match, question, rich)
        return
    tokens = _tokens(body)
    marks = [mark for mark, _text in tokens]
    if "~" in marks:
        _choice(tokens, question, rich)
    elif any("->" in _restore(text) for _mark, text in tokens):
        _matching(tokens, question, rich, language)
    else:
        _short(tokens, question, rich)


def _tokens(body: str) -> list[tuple[str, str]]:
    if body[0] not in "=~":
        raise GiftError(_("Every answer must start with = (right) or ~ (wrong)."))
    return [(piece[0], piece[1:]) for piece in re.findall(r"[=~][^=~]*", body)]


def _split_feedback(text: str) -> tuple[str, str]:
    answer, _sep, feedback = text.partition("#")
    return answer, feedback


def _percent(text: str, default: float) -> tuple[float, str]:
    if match := _PERCENT.match(text):
        return float(match.group(1)), text[match.end() :]
    return default, text


def _true_false(match: re.Match, question: Question, rich: _Rich) -> None:
    question.kind = Kind.TRUE_FALSE
    question.truth = match.group(1).upper().startswith("T")
    wrong, right = rich(match.group(2) or ""), rich(match.group(3) or "")
    question.feedback_true, question.feedback_false = (
        (right, wrong) if question.truth else (wrong, right)
    )


def _choice(tokens: list[tuple[str, str]], question: Question, rich: _Rich) -> None:
    rights = sum(1 for mark, _text in tokens if mark == "=")
    question.kind = Kind.SINGLE if rights == 1 else Kind.MULTIPLE
    for mark, raw in tokens:
        raw, feedback = _split_feedback(raw)
        default = (100.0 / rights if rights else 0.0) if mark == "=" else 0.0
        percent, raw = _percent(raw, default)
        text = rich(raw)
        if not text:
            raise GiftError(_("An answer option is empty."))
        question.options.append(Option(text=text, percent=percent, feedback=rich(feedback)))
    if not any(option.correct for option in question.options):
        raise GiftError(_("No option is marked right (= or a positive %)."))


def _matching(
    tokens: list[tuple[str, str]], question: Question, rich: _Rich, language: str
) -> None:
    question.kind = Kind.MATCHING
    for _mark, raw in tokens:
        raw, _feedback = _split_feedback(raw)
        prompt, arrow, answer = raw.partition("->")
        if not arrow or not _restore(answer):
            raise GiftError(_("Every matching pair needs the form =question -> answer."))
        question.pairs.append(
            MatchPair(prompt=rich(prompt), answer=split_languages(_restore(answer), language))
        )
    if sum(1 for pair in question.pairs if pair.prompt) < 2:
        raise GiftError(_("A matching question needs at least two pairs."))


def _short(tokens: list[tuple[str, str]], question: Question, rich: _Rich) -> None:
    question.kind = Kind.SHORT
    for _mark, raw in tokens:
        raw, feedback = _split_feedback(raw)
        percent, raw = _percent(raw, 100.0)
        text = _restore(raw)
        if not text:
            raise GiftError(_("An accepted answer is empty."))
        question.answers.append(ShortAnswer(text=text, percent=percent, feedback=rich(feedback)))


# --- Writing -------------------------------------------------------------------------------


def write_gift(questions: list[Question], *, language: str) -> str:
    """The questions as a GIFT file (UTF-8 text), `$CATEGORY:` lines where the category changes."""
    chunks: list[str] = []
    category: tuple[str, ...] | None = None
    for question in questions:
        if question.category != category and (question.category or category is not None):
            chunks.append(f"$CATEGORY: {category_path(question.category)}")
        category = question.category
        chunks.append(_write_question(question, language))
    return "\n\n".join(chunks) + "\n"


def escape(text: str) -> str:
    """GIFT-escape a text so it reads back literally."""
    for char in _ESCAPABLE:
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _html_fields(question: Question) -> list[LangText]:
    fields = [
        question.text,
        question.general_feedback,
        question.feedback_true,
        question.feedback_false,
    ]
    fields += [option.text for option in question.options] + [
        option.feedback for option in question.options
    ]
    fields += [answer.feedback for answer in question.answers] + [
        pair.prompt for pair in question.pairs
    ]
    return fields


def _write_question(question: Question, language: str) -> str:
    joined = [join_languages(value, language) for value in _html_fields(question)]
    # Plain text is written as is when it reads back to the same HTML; anything else is [html].
    is_html = any(plain_to_html(value) != value for value in joined)

    def rich(texts: LangText) -> str:
        return escape(join_languages(texts, language))

    prefix = f"::{escape(question.name)}::" if question.name else ""
    head = prefix + ("[html]" if is_html else "") + rich(question.text)
    lines = [head + " {"] + [f"\t{line}" for line in _answer_lines(question, language, rich)]
    if question.general_feedback:
        lines.append(f"\t####{rich(question.general_feedback)}")
    return "\n".join(lines) + "\n}"


def _with_feedback(text: str, feedback: str) -> str:
    return f"{text}#{feedback}" if feedback else text


def _answer_lines(question: Question, language: str, rich) -> list[str]:
    if question.kind == Kind.TRUE_FALSE:
        right, wrong = (
            (question.feedback_true, question.feedback_false)
            if question.truth
            else (question.feedback_false, question.feedback_true)
        )
        line = "TRUE" if question.truth else "FALSE"
        if right or wrong:
            line += f"#{rich(wrong)}#{rich(right)}"
        return [line]
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        return _choice_lines(question, rich)
    if question.kind == Kind.MATCHING:
        return [
            f"={rich(pair.prompt)} -> {escape(join_languages(pair.answer, language))}"
            for pair in question.pairs
        ]
    return [
        _with_feedback(
            "="
            + (f"%{number(answer.percent)}%" if answer.percent != 100 else "")
            + escape(answer.text),
            rich(answer.feedback),
        )
        for answer in question.answers
    ]


def _choice_lines(question: Question, rich) -> list[str]:
    lines = []
    right_written = question.kind == Kind.MULTIPLE
    for option in question.options:
        if not right_written and option.percent == 100:
            mark, right_written = "=", True
        else:
            mark = "~" + (f"%{number(option.percent)}%" if option.percent else "")
        lines.append(_with_feedback(mark + rich(option.text), rich(option.feedback)))
    return lines
