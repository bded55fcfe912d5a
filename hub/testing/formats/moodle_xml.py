"""Moodle XML import and export (https://docs.moodle.org/en/Moodle_XML_format).

Supported question types: `multichoice` (single and multiple, fractions as partial
credit), `truefalse`, `shortanswer` (with `usecase`), `matching`, and `category`
pseudo-questions. Embedded files (`<file encoding="base64">`) become
`EmbeddedFile`s; the HTML references them as `@@PLUGINFILE@@/name` in the file and
as the bare `name` inside a `Question`. Any other type is reported as a `Problem`
naming the type and the question, never dropped silently.

Texts in another format than `html` (`moodle_auto_format`, `plain_text`,
`markdown`) are read as plain text. Moodle XML holds one language per text: texts go to `language`, and several
languages are written and read as Moodle multilang spans. The file is parsed with
defusedxml (no entities, no DTDs).
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import quote, unquote
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from .gift import category_path, parse_category_path
from .html import sanitise_html
from .questions import (
    EmbeddedFile,
    ImportResult,
    Kind,
    LangText,
    MatchPair,
    Option,
    Problem,
    Question,
    ShortAnswer,
    guess_mime,
    join_languages,
    number,
    plain_to_html,
    sorted_files,
    split_languages,
)

_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>]+)")
_SUPPORTED = {"multichoice", "truefalse", "shortanswer", "matching"}


class MoodleXmlError(ValueError):
    """A question element that cannot be read; caught per question and reported."""


# --- Reading -------------------------------------------------------------------------------


def parse_moodle_xml(source: bytes | str, *, language: str) -> ImportResult:
    """Read every question of a Moodle XML file; problems are numbered by `<question>` element."""
    result = ImportResult()
    try:
        root = fromstring(source.encode() if isinstance(source, str) else source)
    except ParseError as error:
        result.problems.append(
            Problem(error.position[0], _("The file is not valid XML: %s") % error)
        )
        return result
    except DefusedXmlException:
        result.problems.append(
            Problem(0, _("The file uses XML entities or a DTD, which are not allowed."))
        )
        return result
    if root.tag != "quiz":
        result.problems.append(Problem(0, _("The file is not a Moodle XML quiz (no <quiz> root).")))
        return result
    category: tuple[str, ...] = ()
    for index, element in enumerate(root.findall("question"), 1):
        kind = element.get("type", "")
        if kind == "category":
            category = parse_category_path(element.findtext("category/text") or "")
            continue
        name = (element.findtext("name/text") or "").strip()
        if kind not in _SUPPORTED:
            reason = _("Question type “%(type)s” is not supported.") % {"type": kind}
            result.problems.append(Problem(index, reason, name=name, unit="question"))
            continue
        try:
            question = _Reader(element, language).read(kind, name)
        except MoodleXmlError as error:
            result.problems.append(Problem(index, str(error), name=name, unit="question"))
            continue
        question.category = category
        result.questions.append(question)
    return result


class _Reader:
    """Reads one `<question>` element, collecting its embedded files on the way."""

    def __init__(self, element: Element, language: str):
        self.element = element
        self.language = language
        self.files: list[EmbeddedFile] = []

    def read(self, kind: str, name: str) -> Question:
        text = self.rich(self.element.find("questiontext"))
        if not text:
            raise MoodleXmlError(_("The question text is empty."))
        question = Question(
            kind=Kind.SINGLE,
            name=name,
            text=text,
            general_feedback=self.rich(self.element.find("generalfeedback")),
            default_mark=self.float(self.element.findtext("defaultgrade"), 1.0),
        )
        getattr(self, f"_{kind}")(question)
        question.files = sorted_files(self.files)
        return question

    def float(self, value: str | None, default: float) -> float:
        try:
            return float(value) if value not in (None, "") else default
        except ValueError as error:
            raise MoodleXmlError(_("“%(value)s” is not a number.") % {"value": value}) from error

    def rich(self, element: Element | None) -> LangText:
        """The per-language sanitised HTML of a text element (`format` + `<text>` + `<file>`s)."""
        if element is None:
            return {}
        self._files(element)
        text = (element.findtext("text") or "").strip()
        if element.get("format", "html") != "html":
            text = plain_to_html(text)
        text = _PLUGINFILE.sub(lambda match: unquote(match.group(1)), text)
        texts = split_languages(text, self.language)
        return {lang: clean for lang, value in texts.items() if (clean := sanitise_html(value))}

    def plain(self, element: Element | None) -> str:
        return (element.findtext("text") or "").strip() if element is not None else ""

    def _files(self, element: Element) -> None:
        for item in element.findall("file"):
            name = item.get("name", "")
            try:
                content = base64.b64decode(item.text or "", validate=False)
            except (binascii.Error, ValueError) as error:
                raise MoodleXmlError(
                    _("The embedded file “%(name)s” is not valid base64.") % {"name": name}
                ) from error
            self.files.append(EmbeddedFile(name=name, content=content, mime=guess_mime(name)))

    def _multichoice(self, question: Question) -> None:
        single = (self.element.findtext("single") or "true").strip().lower() in ("true", "1")
        question.kind = Kind.SINGLE if single else Kind.MULTIPLE
        for answer in self.element.findall("answer"):
            text = self.rich(answer)
            if not text:
                raise MoodleXmlError(_("An answer option is empty."))
            percent = self.float(answer.get("fraction"), 0.0)
            question.options.append(
                Option(text=text, percent=percent, feedback=self.rich(answer.find("feedback")))
            )
        if not any(option.correct for option in question.options):
            raise MoodleXmlError(_("No option has a positive fraction."))

    def _truefalse(self, question: Question) -> None:
        question.kind = Kind.TRUE_FALSE
        for answer in self.element.findall("answer"):
            is_true = self.plain(answer).lower() == "true"
            feedback = self.rich(answer.find("feedback"))
            if is_true:
                question.feedback_true = feedback
            else:
                question.feedback_false = feedback
            if self.float(answer.get("fraction"), 0.0) > 0:
                question.truth = is_true

    def _shortanswer(self, question: Question) -> None:
        question.kind = Kind.SHORT
        question.case_sensitive = (self.element.findtext("usecase") or "0").strip() == "1"
        for answer in self.element.findall("answer"):
            text = self.plain(answer)
            if not text:
                raise MoodleXmlError(_("An accepted answer is empty."))
            percent = self.float(answer.get("fraction"), 0.0)
            question.answers.append(
                ShortAnswer(text=text, percent=percent, feedback=self.rich(answer.find("feedback")))
            )
        if not question.answers:
            raise MoodleXmlError(_("The short-answer question has no accepted answer."))

    def _matching(self, question: Question) -> None:
        question.kind = Kind.MATCHING
        for sub in self.element.findall("subquestion"):
            answer = self.plain(sub.find("answer"))
            if not answer:
                raise MoodleXmlError(_("A matching pair has no answer."))
            question.pairs.append(
                MatchPair(prompt=self.rich(sub), answer=split_languages(answer, self.language))
            )
        if sum(1 for pair in question.pairs if pair.prompt) < 2:
            raise MoodleXmlError(_("A matching question needs at least two pairs."))


# --- Writing -------------------------------------------------------------------------------


def write_moodle_xml(questions: list[Question], *, language: str) -> bytes:
    """The questions as a Moodle XML file (UTF-8), a category pseudo-question where it changes."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category: tuple[str, ...] | None = None
    for question in questions:
        if question.category != category:
            category = question.category
            parts.append(
                '<question type="category"><category><text>'
                f"{xml_escape(category_path(category))}</text></category></question>"
            )
        parts.append(_Writer(question, language).write())
    parts.append("</quiz>")
    return ("\n".join(parts) + "\n").encode()


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


class _Writer:
    """Writes one question; each embedded file goes with the first text that uses it."""

    def __init__(self, question: Question, language: str):
        self.question = question
        self.language = language
        self.pending = {item.name: item for item in question.files}

    def write(self) -> str:
        question = self.question
        kind = {
            Kind.SINGLE: "multichoice",
            Kind.MULTIPLE: "multichoice",
            Kind.TRUE_FALSE: "truefalse",
            Kind.SHORT: "shortanswer",
            Kind.MATCHING: "matching",
        }[question.kind]
        text = self.rich("questiontext", question.text)
        body = [
            self.rich("generalfeedback", question.general_feedback),
            f"<defaultgrade>{number(question.default_mark)}</defaultgrade>",
            *getattr(self, f"_{kind}")(),
        ]
        # Files no text references still belong to the question: they go with its text.
        text = _insert_before_end(text, "questiontext", self.encode(list(self.pending)))
        name = f"<name><text>{xml_escape(question.name)}</text></name>"
        return "\n".join([f'<question type="{kind}">', name, text, *body, "</question>"])

    def rich(self, tag: str, texts: LangText, *, attrs: str = "") -> str:
        value = join_languages(texts, self.language)
        files = [name for name in list(self.pending) if _references(value, name)]
        for name in files:
            value = re.sub(
                rf"""(src|href)=(["']){re.escape(name)}\2""",
                lambda match, name=name: (
                    f"{match.group(1)}={match.group(2)}@@PLUGINFILE@@/{quote(name)}{match.group(2)}"
                ),
                value,
            )
        return (
            f'<{tag}{attrs} format="html"><text>{_cdata(value)}</text>{self.encode(files)}</{tag}>'
        )

    def encode(self, names: list[str]) -> str:
        return "".join(
            f'<file name={quoteattr(name)} path="/" encoding="base64">'
            f"{base64.b64encode(self.pending.pop(name).content).decode()}</file>"
            for name in names
        )

    def plain(self, value: str) -> str:
        return f"<text>{xml_escape(value)}</text>"

    def _multichoice(self) -> list[str]:
        single = "true" if self.question.kind == Kind.SINGLE else "false"
        lines = [f"<single>{single}</single>", "<shuffleanswers>true</shuffleanswers>"]
        for option in self.question.options:
            feedback = self.rich("feedback", option.feedback)
            answer = self.rich("answer", option.text, attrs=f' fraction="{number(option.percent)}"')
            lines.append(_insert_before_end(answer, "answer", feedback))
        return lines

    def _truefalse(self) -> list[str]:
        lines = []
        for value, feedback in (
            ("true", self.question.feedback_true),
            ("false", self.question.feedback_false),
        ):
            fraction = 100 if (value == "true") == self.question.truth else 0
            lines.append(
                f'<answer fraction="{fraction}" format="moodle_auto_format">{self.plain(value)}'
                f"{self.rich('feedback', feedback)}</answer>"
            )
        return lines

    def _shortanswer(self) -> list[str]:
        lines = [f"<usecase>{1 if self.question.case_sensitive else 0}</usecase>"]
        for answer in self.question.answers:
            lines.append(
                f'<answer fraction="{number(answer.percent)}" format="moodle_auto_format">'
                f"{self.plain(answer.text)}{self.rich('feedback', answer.feedback)}</answer>"
            )
        return lines

    def _matching(self) -> list[str]:
        lines = ["<shuffleanswers>true</shuffleanswers>"]
        for pair in self.question.pairs:
            sub = self.rich("subquestion", pair.prompt)
            answer = f"<answer>{self.plain(join_languages(pair.answer, self.language))}</answer>"
            lines.append(_insert_before_end(sub, "subquestion", answer))
        return lines


def _references(html: str, name: str) -> bool:
    return re.search(rf"""(src|href)=(["']){re.escape(name)}\2""", html) is not None


def _insert_before_end(element: str, tag: str, inner: str) -> str:
    """`<tag>…</tag>` with `inner` added just before its closing tag."""
    closing = f"</{tag}>"
    return element[: -len(closing)] + inner + closing
