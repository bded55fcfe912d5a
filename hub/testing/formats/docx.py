"""Question import from Word (.docx) and export to it, in one simple layout.

The layout (also in docs/question-import-docx.md)::

    1. Question text, with any bold/italic/underline/sub/superscript.
    More paragraphs, tables and pictures up to the first option belong to the question.
    A) a wrong option
    *B) the right option            <- "*" before the letter marks a right option
    C) another right option         <- so does making the whole option bold
    D) left side -> right side      <- options that all contain "->" make a matching question

    2. A short-answer question
    Answer: first accepted answer; second accepted answer

* A question starts with a paragraph beginning "1." or "1)" (any number), or with a
  paragraph of an automatically numbered list (1, 2, 3…).
* An option is a paragraph beginning with one letter and "." or ")" — Latin "A)"/"a.",
  or Cyrillic "А)"/"б." — or a paragraph of an automatically lettered list.
* The right option is marked by "*" before its letter, or by the whole option text
  being bold. One right option makes a single-choice question, several a
  multiple-choice question whose right options share the mark equally.
* Instead of marking, a line "Answer: B" (or "Answer: A, C") may name the right letters.
* "Answer:", "Ответ:" or "Жооп:" followed by text that is not option letters makes a
  short-answer question; several accepted answers are separated by ";".
* Bold, italic, underline, subscript and superscript are kept; tables become HTML
  tables and pictures become the question's embedded files.

Everything the reader cannot place — text before the first question, a question
without options or answer, no right option, a table after the options — is a
`Problem` with the paragraph number (blocks of the document counted from 1, tables
count as one) and the start of its text; the other questions are still read.
True/false questions are written as single choice with the options "True"/"False".
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import html as lxml_html

from .html import sanitise_html
from .questions import (
    EmbeddedFile,
    ImportResult,
    Kind,
    MatchPair,
    Option,
    Problem,
    Question,
    ShortAnswer,
    default_name,
    plain_to_html,
    sorted_files,
)

_QUESTION = re.compile(r"^\s*(\d+)\s*[.)]\s*")
_OPTION = re.compile(r"^\s*(\*?)\s*([A-Za-zА-ЯЁа-яёӨөҮүҢң])\s*[.)]\s*")
_STAR = re.compile(r"^\s*\*\s*")
_ANSWER = re.compile(r"^\s*(?:Answer|Ответ|Жооп)\s*:\s*", re.I)
_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CYRILLIC = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯ"
_LETTERED = {"lowerLetter", "upperLetter", "russianLower", "russianUpper"}
_TAGS = ("b", "i", "u", "sub", "sup")
_VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"


@dataclass
class _Segment:
    """A piece of a paragraph: text with its formatting, a line break or a picture."""

    text: str = ""
    marks: frozenset[str] = frozenset()
    image: str = ""
    brk: bool = False


@dataclass
class _Draft:
    position: int
    blocks: list[str] = field(default_factory=list)
    options: list[tuple[str, list[_Segment], bool]] = field(default_factory=list)
    answer: str = ""
    answer_position: int = 0


# --- Reading -------------------------------------------------------------------------------


def parse_docx(source: bytes | io.BytesIO, *, language: str) -> ImportResult:
    """Read the questions of a .docx in the documented layout; what does not fit is a `Problem`."""
    result = ImportResult()
    try:
        document = Document(io.BytesIO(source) if isinstance(source, bytes) else source)
    except Exception as error:  # python-docx raises several kinds for a file that is no .docx
        result.problems.append(
            Problem(0, _("The file is not a Word .docx document (%s).") % error, unit="paragraph")
        )
        return result
    reader = _Reader(document, language, result)
    reader.read()
    return result


class _Reader:
    def __init__(self, document, language: str, result: ImportResult):
        self.document = document
        self.language = language
        self.result = result
        self.files: list[EmbeddedFile] = []
        self.draft: _Draft | None = None
        self.formats = _list_formats(document)

    def problem(self, position: int, reason: str, snippet: str = "") -> None:
        self.result.problems.append(Problem(position, reason, name=snippet[:40], unit="paragraph"))

    def read(self) -> None:
        for position, element in enumerate(self.document.element.body.iterchildren(), 1):
            if element.tag == qn("w:p"):
                self.paragraph(position, Paragraph(element, self.document))
            elif element.tag == qn("w:tbl"):
                self.table(position, Table(element, self.document))
        self.finish()

    def paragraph(self, position: int, paragraph: Paragraph) -> None:
        segments = self.segments(paragraph)
        text = "".join(segment.text for segment in segments)
        if not text.strip() and not any(segment.image for segment in segments):
            return
        list_format = self.formats.get(_numbering(paragraph))
        if match := _QUESTION.match(text):
            self.start(position, _strip(segments, match.end()))
        elif list_format == "decimal" and not _OPTION.match(text):
            self.start(position, segments)
        elif self.draft and (match := _ANSWER.match(text)):
            self.draft.answer, self.draft.answer_position = text[match.end() :].strip(), position
        elif self.draft and ((match := _OPTION.match(text)) or list_format in _LETTERED):
            self.option(text, segments, match)
        elif self.draft and not self.draft.options and not self.draft.answer:
            self.draft.blocks.append(_html(segments))
        elif self.draft:
            self.problem(
                position,
                _("This paragraph follows the options but is not an option or an answer."),
                text,
            )
        else:
            self.problem(
                position, _("Text before the first question (a question starts with “1.”)."), text
            )

    def option(self, text: str, segments: list[_Segment], match: re.Match | None) -> None:
        if match:
            letter, starred, segments = (
                match.group(2),
                bool(match.group(1)),
                _strip(segments, match.end()),
            )
        else:
            star = _STAR.match(text)
            letter, starred = "", bool(star)
            segments = _strip(segments, star.end()) if star else segments
        written = [segment for segment in segments if segment.text.strip()]
        bold = bool(written) and all("b" in segment.marks for segment in written)
        if bold:
            # The bold is the mark of the right option, not formatting of its text.
            segments = [_Segment(s.text, s.marks - {"b"}, s.image, s.brk) for s in segments]
        self.draft.options.append((letter, segments, starred or bold))

    def table(self, position: int, table: Table) -> None:
        html = self.table_html(table)
        if self.draft and not self.draft.options and not self.draft.answer:
            self.draft.blocks.append(html)
        elif self.draft:
            self.problem(
                position,
                _("A table after the options cannot be placed; put it in the question text."),
            )
        else:
            self.problem(position, _("A table before the first question."))

    def table_html(self, table: Table) -> str:
        rows = []
        for tr in table._tbl.tr_lst:
            cells = []
            for tc in tr.tc_lst:
                cell = _Cell(tc, table)
                inner = "<br>".join(
                    _html(self.segments(paragraph)) for paragraph in cell.paragraphs
                )
                span = tc.grid_span
                cells.append(
                    f'<td colspan="{span}">{inner}</td>' if span > 1 else f"<td>{inner}</td>"
                )
            rows.append("<tr>" + "".join(cells) + "</tr>")
        return "<table>" + "".join(rows) + "</table>"

    def start(self, position: int, segments: list[_Segment]) -> None:
        self.finish()
        self.draft = _Draft(position=position, blocks=[_html(segments)])

    def segments(self, paragraph: Paragraph) -> list[_Segment]:
        segments: list[_Segment] = []
        for element in paragraph._p.iterchildren():
            runs = [element] if element.tag == qn("w:r") else element.findall(qn("w:r"))
            for run_element in runs:
                segments.extend(self.run(Run(run_element, paragraph)))
        return segments

    def run(self, run: Run) -> list[_Segment]:
        font = run.font
        marks = frozenset(
            tag
            for tag, on in zip(
                _TAGS,
                (run.bold, run.italic, run.underline, font.subscript, font.superscript),
                strict=True,
            )
            if on
        )
        segments = []
        for child in run._r.iterchildren():
            if child.tag == qn("w:t"):
                segments.append(_Segment(text=child.text or "", marks=marks))
            elif child.tag == qn("w:tab"):
                segments.append(_Segment(text="\t", marks=marks))
            elif child.tag in (qn("w:br"), qn("w:cr")):
                segments.append(_Segment(brk=True))
            elif child.tag in (qn("w:drawing"), qn("w:pict")):
                segments.extend(_Segment(image=name) for name in self.images(child))
        return segments

    def images(self, element) -> list[str]:
        """Extract the pictures of a drawing as embedded files; their names, in order."""
        names = []
        blips = element.findall(".//" + qn("a:blip")) + element.findall(".//" + _VML_IMAGE)
        for blip in blips:
            relation = blip.get(qn("r:embed")) or blip.get(qn("r:id"))
            part = self.document.part.related_parts.get(relation)
            if part is None:
                continue
            extension = part.partname.ext or "bin"
            name = f"image{len(self.files) + 1}.{extension}"
            self.files.append(EmbeddedFile(name=name, content=part.blob, mime=part.content_type))
            names.append(name)
        return names

    def finish(self) -> None:
        """Turn the current draft into a question, or into a problem when it is incomplete."""
        draft, self.draft = self.draft, None
        if draft is None:
            return
        blocks = [block for block in draft.blocks if block]
        body = blocks[0] if len(blocks) == 1 else "".join(_paragraph(block) for block in blocks)
        text = sanitise_html(body)
        files, self.files = self.files, []
        snippet = default_name({self.language: text})
        if not text:
            self.problem(draft.position, _("The question text is empty."), snippet)
            return
        question = Question(kind=Kind.SINGLE, name=snippet, text={self.language: text})
        reason = self.fill(question, draft)
        if reason:
            self.problem(draft.position, reason, snippet)
            return
        used = _html_all(question)
        question.files = sorted_files([item for item in files if item.name in used])
        self.result.questions.append(question)

    def fill(self, question: Question, draft: _Draft) -> str:
        """Fill kind, options and answers from the draft; a reason when that is impossible."""
        if draft.options:
            return self.choice(question, draft)
        if draft.answer:
            question.kind = Kind.SHORT
            question.answers = [
                ShortAnswer(text=part.strip()) for part in draft.answer.split(";") if part.strip()
            ]
            return ""
        return _("The question has no options (“A) …”) and no “Answer:” line.")

    def choice(self, question: Question, draft: _Draft) -> str:
        texts = [
            "".join(segment.text for segment in segments)
            for _letter, segments, _right in draft.options
        ]
        if all("->" in text for text in texts):
            question.kind = Kind.MATCHING
            for text in texts:
                prompt, _arrow, answer = text.partition("->")
                question.pairs.append(
                    MatchPair(
                        prompt={self.language: plain_to_html(prompt.strip())},
                        answer={self.language: answer.strip()},
                    )
                )
            return ""
        rights = [right for _letter, _segments, right in draft.options]
        if draft.answer:
            named = _answer_letters(draft.answer, len(draft.options))
            if named is None:
                return _(
                    "The “Answer:” line must name option letters when the question has options."
                )
            rights = [index in named for index in range(len(draft.options))]
        count = sum(rights)
        if count == 0:
            return _(
                "No option is marked right (“*” before the letter, or the whole option in bold)."
            )
        question.kind = Kind.SINGLE if count == 1 else Kind.MULTIPLE
        for (_letter, segments, _right), right in zip(draft.options, rights, strict=True):
            text = sanitise_html(_html(segments))
            if not text:
                return _("An option is empty.")
            question.options.append(
                Option(text={self.language: text}, percent=100.0 / count if right else 0.0)
            )
        return ""


def _answer_letters(answer: str, count: int) -> set[int] | None:
    """Indexes named by "B" / "A, C" / "а,в"; None when the text is not letters only."""
    letters = [part.strip().upper() for part in re.split(r"[,;\s]+", answer) if part.strip()]
    indexes = set()
    for letter in letters:
        if len(letter) != 1:
            return None
        alphabet = _LATIN if letter in _LATIN else _CYRILLIC
        index = alphabet.find(letter)
        if index < 0 or index >= count:
            return None
        indexes.add(index)
    return indexes or None


def _numbering(paragraph: Paragraph) -> tuple[str, str] | None:
    numbering = _num_pr(paragraph._p.pPr)
    style = paragraph.style
    # A list style ("List Number") carries the numbering when the paragraph does not.
    while numbering is None and style is not None:
        numbering = _num_pr(style.element.pPr)
        style = style.base_style
    if numbering is None or numbering.numId is None:
        return None
    level = numbering.ilvl.val if numbering.ilvl is not None else 0
    return (str(numbering.numId.val), str(level))


def _num_pr(properties):
    return properties.numPr if properties is not None else None


def _list_formats(document) -> dict[tuple[str, str], str]:
    """(numId, level) -> number format ("decimal", "lowerLetter", …) of the document's lists."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract = {}
    for item in numbering.findall(qn("w:abstractNum")):
        levels = {
            lvl.get(qn("w:ilvl")): lvl.find(qn("w:numFmt")) for lvl in item.findall(qn("w:lvl"))
        }
        abstract[item.get(qn("w:abstractNumId"))] = {
            level: fmt.get(qn("w:val")) for level, fmt in levels.items() if fmt is not None
        }
    formats = {}
    for num in numbering.findall(qn("w:num")):
        reference = num.find(qn("w:abstractNumId"))
        if reference is None:
            continue
        for level, fmt in abstract.get(reference.get(qn("w:val")), {}).items():
            formats[(num.get(qn("w:numId")), level)] = fmt
    return formats


def _strip(segments: list[_Segment], count: int) -> list[_Segment]:
    """The segments without their first `count` characters of text (the "1." / "A)" prefix)."""
    kept = []
    for segment in segments:
        if count > 0 and segment.text:
            cut = min(count, len(segment.text))
            count -= cut
            segment = _Segment(segment.text[cut:], segment.marks)
            if not segment.text:
                continue
        kept.append(segment)
    if kept and kept[0].text:
        kept[0] = _Segment(kept[0].text.lstrip(), kept[0].marks)
    return kept


def _html(segments: list[_Segment]) -> str:
    parts = []
    for segment in segments:
        if segment.brk:
            parts.append("<br>")
        elif segment.image:
            parts.append(f'<img src="{segment.image}">')
        elif segment.text:
            html = plain_to_html(segment.text)
            for tag in reversed(_TAGS):
                if tag in segment.marks:
                    html = f"<{tag}>{html}</{tag}>"
            parts.append(html)
    # Adjacent runs with the same formatting are one piece of HTML.
    merged = "".join(parts)
    for tag in _TAGS:
        merged = merged.replace(f"</{tag}><{tag}>", "")
    return merged.strip()


def _paragraph(block: str) -> str:
    return block if block.startswith("<table") else f"<p>{block}</p>"


def _html_all(question: Question) -> str:
    parts = list(question.text.values()) + [
        text for option in question.options for text in option.text.values()
    ]
    return "".join(parts)


# --- Writing -------------------------------------------------------------------------------


def write_docx(questions: list[Question], *, language: str) -> bytes:
    """The questions as a .docx in the layout above (right options marked with "*")."""
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    for index, question in enumerate(questions, 1):
        _Writer(document, question, language).write(index)
        document.add_paragraph()
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


class _Writer:
    def __init__(self, document, question: Question, language: str):
        self.document = document
        self.question = question
        self.language = language
        self.files = {item.name: item for item in question.files}

    def text(self, texts: dict[str, str]) -> str:
        return texts.get(self.language) or next(iter(texts.values()), "")

    def write(self, index: int) -> None:
        question = self.question
        self.html(self.text(question.text), prefix=f"{index}. ")
        # Letters only label the options (26 and more wrap around; the reader goes by order).
        letters = [
            _LATIN[index % len(_LATIN)]
            for index in range(max(len(question.options), len(question.pairs), 2))
        ]
        if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
            for letter, option in zip(letters, question.options, strict=False):
                star = "*" if option.correct else ""
                self.html(self.text(option.text), prefix=f"{star}{letter}) ")
        elif question.kind == Kind.TRUE_FALSE:
            for letter, (label, value) in zip(
                letters, ((_("True"), True), (_("False"), False)), strict=False
            ):
                star = "*" if value == question.truth else ""
                self.document.add_paragraph(f"{star}{letter}) {label}")
        elif question.kind == Kind.MATCHING:
            for letter, pair in zip(letters, question.pairs, strict=False):
                prompt = lxml_html.fromstring(f"<div>{self.text(pair.prompt)}</div>").text_content()
                self.document.add_paragraph(f"{letter}) {prompt} -> {self.text(pair.answer)}")
        else:
            self.document.add_paragraph(
                "Answer: " + "; ".join(answer.text for answer in question.answers)
            )

    def html(self, html: str, *, prefix: str) -> None:
        """Write an HTML text: its first block after `prefix`, further blocks as paragraphs/tables."""
        root = lxml_html.fragment_fromstring(html or "", create_parent="div")
        paragraph = self.document.add_paragraph(prefix)
        if root.text:
            self.inline(paragraph, root.text, frozenset())
        started = bool(root.text and root.text.strip())
        for child in root:
            if child.tag == "table":
                self.table(child)
                paragraph = None
            elif child.tag in ("p", "ul", "ol"):
                items = child.findall("li") if child.tag != "p" else [child]
                for item in items:
                    if paragraph is None or started:
                        paragraph = self.document.add_paragraph()
                    self.element_content(paragraph, item, frozenset())
                    started = True
                paragraph = None
            else:
                if paragraph is None:
                    paragraph = self.document.add_paragraph()
                self.element(paragraph, child, frozenset())  # writes the tail too
                started = True
                continue
            if child.tail and child.tail.strip():
                if paragraph is None:
                    paragraph = self.document.add_paragraph()
                self.inline(paragraph, child.tail, frozenset())

    def inline(self, paragraph: Paragraph, text: str, marks: frozenset[str]) -> None:
        run = paragraph.add_run(text)
        run.bold = "b" in marks or None
        run.italic = "i" in marks or None
        run.underline = "u" in marks or None
        # Both map to one vertAlign element: setting the other to None would remove it.
        if "sub" in marks:
            run.font.subscript = True
        elif "sup" in marks:
            run.font.superscript = True

    def element(self, paragraph: Paragraph, element, marks: frozenset[str]) -> None:
        tag = {"strong": "b", "em": "i"}.get(element.tag, element.tag)
        if tag == "br":
            paragraph.add_run().add_break()
        elif tag == "img":
            self.image(paragraph, element.get("src", ""))
        else:
            self.element_content(paragraph, element, marks | ({tag} if tag in _TAGS else set()))
        if element.tail:
            self.inline(paragraph, element.tail, marks)

    def element_content(self, paragraph: Paragraph, element, marks: frozenset[str]) -> None:
        tag = {"strong": "b", "em": "i"}.get(element.tag, element.tag)
        marks = marks | ({tag} if tag in _TAGS else set())
        if element.text:
            self.inline(paragraph, element.text, marks)
        for child in element:
            self.element(paragraph, child, marks)

    def image(self, paragraph: Paragraph, source: str) -> None:
        if source.startswith("data:") and "," in source:
            content = base64.b64decode(source.split(",", 1)[1])
        elif source in self.files:
            content = self.files[source].content
        else:
            return
        try:
            paragraph.add_run().add_picture(io.BytesIO(content))
        except Exception:  # a format Word cannot show (python-docx refuses it): leave it out
            paragraph.add_run(f"[{source[:40]}]")

    def table(self, element) -> None:
        rows = element.findall(".//tr")
        width = max((len(row.findall("td") + row.findall("th")) for row in rows), default=0)
        if not rows or not width:
            return
        table = self.document.add_table(rows=len(rows), cols=width)
        for row_element, row in zip(rows, table.rows, strict=True):
            for cell_element, cell in zip(
                [c for c in row_element if c.tag in ("td", "th")], row.cells, strict=False
            ):
                self.element_content(cell.paragraphs[0], cell_element, frozenset())
