"""The testing protocol and the results report of a test (TS-8, TS-9), in six formats.

A report is a title, label/value fields and titled tables (`Report`), built from the
selectors' `TestData` in the active language (`protocol`, `results`), and written as
Excel, PDF, Word, HTML, XML or TXT (`render`). Every format keeps Kyrgyz letters
(ң ө ү): the PDF embeds DejaVu Sans as hub.exports and the grades documents do; XLSX,
DOCX, XML and HTML are Unicode by nature; TXT is UTF-8 with a BOM (Windows Notepad
reads it right).

- The protocol: every attempt (student, group, started, submitted, score, status), then
  each attempt answer by answer (the answer given, the share of the mark earned).
- The results: each student's best counted score, the summary of scores, the question
  analysis (difficulty, discrimination, point-biserial) and the score distribution.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hub.exports import PDF_FONT, cell_text, embed_fonts, xlsx_value
from hub.testing.models import AttemptStatus, Kind, Question, in_language
from hub.testing.selectors import TestData, plain_text

XLSX, PDF, DOCX, HTML, XML, TXT = "xlsx", "pdf", "docx", "html", "xml", "txt"
REPORT_FORMATS = (XLSX, PDF, DOCX, HTML, XML, TXT)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    HTML: "text/html; charset=utf-8",
    XML: "application/xml; charset=utf-8",
    TXT: "text/plain; charset=utf-8",
}
PROTOCOL, RESULTS = "protocol", "results"


@dataclass
class Section:
    heading: str
    headers: tuple[str, ...]
    rows: list[tuple[object, ...]] = field(default_factory=list)


@dataclass
class Report:
    kind: str
    title: str
    subtitle: str
    fields: list[tuple[str, object]]
    sections: list[Section]
    filename: str
    landscape: bool = False


# --- What a report says ---------------------------------------------------------------------


def _number(value, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def response_text(question: Question, response: dict | None) -> str:
    """The answer given, as a line of text (— for none)."""
    if not response:
        return "—"
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        chosen = response.get("options") or (
            [response["option"]] if response.get("option") is not None else []
        )
        texts = [plain_text(o.shown_text) for o in question.options.all() if o.pk in chosen]
        return "; ".join(texts) or "—"
    if question.kind == Kind.TRUE_FALSE:
        value = response.get("value")
        return "—" if value is None else (_("True") if value else _("False"))
    if question.kind == Kind.SHORT:
        return (response.get("text") or "").strip() or "—"
    pairs = {p.pk: p for p in question.pairs.all()}
    matches = response.get("matches") or {}
    lines = [
        f"{plain_text(p.shown_prompt)} → {pairs[matches[str(pk)]].shown_answer}"
        for pk, p in pairs.items()
        if matches.get(str(pk)) in pairs
    ]
    return "; ".join(lines) or "—"


def _question_title(question: Question) -> str:
    return plain_text(question.shown_text)[:200] or question.name


def _head_fields(data: TestData) -> list[tuple[str, object]]:
    test = data.test
    return [
        (_("Test"), test.title),
        (_("Teacher"), test.owner.get_full_name()),
        (_("Window"), f"{cell_text(test.opens_at)} – {cell_text(test.closes_at)}"),
        (_("Time limit, minutes"), test.time_limit),
        (_("Maximum score"), test.max_score),
        (_("Made"), cell_text(timezone.now())),
    ]


def _filename(kind: str, data: TestData) -> str:
    return f"{kind}-{slugify(data.test.title) or data.test.pk}"


def protocol(data: TestData) -> Report:
    """The testing protocol: the attempts, then each answer by answer."""
    attempts = Section(
        _("Attempts"),
        (_("No."), _("Student"), _("Group"), _("Attempt"), _("Started"), _("Submitted"),
         _("Score"), _("Status")),
    )  # fmt: skip
    sections = [attempts]
    for index, attempt in enumerate(data.attempts, start=1):
        name = attempt.student.user.get_full_name()
        attempts.rows.append(
            (index, name, data.groups.get(attempt.pk, ""), attempt.number, attempt.started_at,
             attempt.submitted_at, attempt.score, attempt.get_status_display())
        )  # fmt: skip
        detail = Section(
            _("%(student)s, attempt %(number)s") % {"student": name, "number": attempt.number},
            (_("No."), _("Question"), _("Answer"), _("Earned, %")),
        )
        responses = data.answers.get(attempt.pk, {})
        for number, question_id in enumerate(attempt.questions, start=1):
            question = data.questions.get(question_id)
            if question is None:
                continue
            fraction = (attempt.results or {}).get(str(question_id))
            earned = _number(float(fraction) * 100, 0) if fraction is not None else "—"
            detail.rows.append(
                (number, _question_title(question),
                 response_text(question, responses.get(question_id)), earned)
            )  # fmt: skip
        if attempt.status == AttemptStatus.ANNULLED and attempt.annul_reason:
            detail.rows.append(("", _("Annulled"), attempt.annul_reason, ""))
        sections.append(detail)
    fields = [*_head_fields(data), (_("Attempts"), len(data.attempts))]
    return Report(
        kind=PROTOCOL,
        title=_("Testing protocol"),
        subtitle=data.test.title,
        fields=fields,
        sections=sections,
        filename=_filename(PROTOCOL, data),
        landscape=True,
    )


def results(data: TestData) -> Report:
    """The results report: best counted score per student, summary, questions, distribution."""
    best: dict[int, object] = {}
    tries: dict[int, int] = {}
    for attempt in data.attempts:
        tries[attempt.student_id] = tries.get(attempt.student_id, 0) + 1
        if attempt.status != AttemptStatus.SUBMITTED:
            best.setdefault(attempt.student_id, None)
            continue
        held = best.get(attempt.student_id)
        if held is None or (attempt.score or 0) > (held.score or 0):
            best[attempt.student_id] = attempt
    first = {}
    for attempt in data.attempts:
        first.setdefault(attempt.student_id, attempt)
    maximum = float(data.test.max_score) or 1.0
    students = Section(
        _("Results by student"),
        (_("No."), _("Student"), _("Group"), _("Attempts"), _("Score"), _("Percent")),
    )
    for index, (student_id, attempt) in enumerate(first.items(), start=1):
        counted = best.get(student_id)
        score = counted.score if counted is not None else None
        students.rows.append(
            (index, attempt.student.user.get_full_name(), data.groups.get(attempt.pk, ""),
             tries[student_id], score if score is not None else "—",
             _number(float(score) / maximum * 100, 1) if score is not None else "—")
        )  # fmt: skip
    questions = Section(
        _("Questions"),
        (_("No."), _("Question"), _("Answered"), _("Difficulty"), _("Discrimination"),
         _("Point-biserial")),
    )  # fmt: skip
    for row in data.rows:
        questions.rows.append(
            (row.number, _question_title(row.question), f"{row.stats.answered}/{row.stats.given}",
             _number(row.stats.difficulty), _number(row.stats.discrimination),
             _number(row.stats.point_biserial))
        )  # fmt: skip
    distribution = Section(_("Score distribution"), (_("Scores"), _("Attempts")))
    distribution.rows = [(b.label, b.count) for b in data.bins]
    s = data.summary
    fields = [
        *_head_fields(data),
        (_("Attempts counted"), s["count"]),
        (_("Mean score"), _number(s["mean"])),
        (_("Median score"), _number(s["median"])),
        (_("Lowest and highest"), f"{_number(s['min'])} – {_number(s['max'])}"),
        (_("Standard deviation"), _number(s["sd"])),
    ]
    return Report(
        kind=RESULTS,
        title=_("Test results"),
        subtitle=data.test.title,
        fields=fields,
        sections=[students, questions, distribution],
        filename=_filename(RESULTS, data),
    )


# --- Writing it -----------------------------------------------------------------------------


def render(report: Report, fmt: str) -> bytes:
    """The report as a file in `fmt` (one of REPORT_FORMATS)."""
    writers = {XLSX: _xlsx, PDF: _pdf, DOCX: _docx, HTML: _html, XML: _xml, TXT: _txt}
    return writers[fmt](report)


def _xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "".join(c for c in report.title if c not in "[]:*?/\\")[:31] or "report"
    bold = Font(bold=True)
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([report.subtitle])
    sheet.append([])
    for label, value in report.fields:
        sheet.append([label, xlsx_value(value)])
        sheet.cell(sheet.max_row, 1).font = bold
    for section in report.sections:
        sheet.append([])
        sheet.append([section.heading])
        sheet.cell(sheet.max_row, 1).font = bold
        sheet.append(list(section.headers))
        for column in range(1, len(section.headers) + 1):
            sheet.cell(sheet.max_row, column).font = bold
        for row in section.rows:
            sheet.append([xlsx_value(v) for v in row])
    sheet.column_dimensions["A"].width = 24
    for letter in "BCDEFGH":
        sheet.column_dimensions[letter].width = 22
    workbook.properties.title = report.title
    workbook.properties.creator = "eBilim"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _pdf(report: Report) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="landscape" if report.landscape else "portrait", format="A4")
    pdf.set_title(report.title)
    pdf.set_creator("eBilim")
    embed_fonts(pdf)
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.set_margins(12, 12, 12)
    pdf.add_page()
    pdf.set_font(PDF_FONT, "B", 14)
    pdf.multi_cell(0, 7, report.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(PDF_FONT, "", 10)
    pdf.multi_cell(0, 5, report.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for label, value in report.fields:
        pdf.set_font(PDF_FONT, "B", 9)
        pdf.cell(60, 5, label)
        pdf.set_font(PDF_FONT, "", 9)
        pdf.multi_cell(0, 5, cell_text(value) or "—", new_x="LMARGIN", new_y="NEXT")
    heading_style = FontFace(family=PDF_FONT, emphasis="BOLD", fill_color=(230, 233, 240))
    for section in report.sections:
        pdf.ln(3)
        pdf.set_font(PDF_FONT, "B", 11)
        pdf.multi_cell(0, 6, section.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(PDF_FONT, "", 8)
        with pdf.table(headings_style=heading_style, repeat_headings=1, line_height=4.5) as table:
            table.row([str(h) for h in section.headers])
            for row in section.rows:
                table.row([cell_text(v) for v in row])
    return bytes(pdf.output())


def _docx(report: Report) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    if report.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Mm(15)
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(9)
    document.core_properties.title = report.title
    document.core_properties.author = "eBilim"
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(report.title)
    run.bold = True
    run.font.size = Pt(14)
    document.add_paragraph(report.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    fields = document.add_table(rows=0, cols=2)
    for label, value in report.fields:
        cells = fields.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = cell_text(value) or "—"
    for part in report.sections:
        document.add_paragraph().add_run(part.heading).bold = True
        table = document.add_table(rows=1, cols=len(part.headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, part.headers, strict=True):
            cell.paragraphs[0].add_run(str(text)).bold = True
        for row in part.rows:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = cell_text(value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _html(report: Report) -> bytes:
    return render_to_string("testing/report_file.html", {"report": report}).encode()


def _xml(report: Report) -> bytes:
    root = ElementTree.Element(
        "report", {"kind": report.kind, "title": report.title, "subject": report.subtitle}
    )
    fields = ElementTree.SubElement(root, "fields")
    for label, value in report.fields:
        ElementTree.SubElement(fields, "field", {"label": label}).text = cell_text(value)
    for section in report.sections:
        table = ElementTree.SubElement(root, "table", {"title": section.heading})
        for row in section.rows:
            line = ElementTree.SubElement(table, "row")
            for header, value in zip(section.headers, row, strict=True):
                ElementTree.SubElement(line, "cell", {"name": header}).text = cell_text(value)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _txt(report: Report) -> bytes:
    lines = [report.title, report.subtitle, ""]
    width = max((len(label) for label, _value in report.fields), default=0)
    lines += [f"{label.ljust(width)}  {cell_text(value)}" for label, value in report.fields]
    for section in report.sections:
        texts = [[cell_text(v) for v in row] for row in section.rows]
        widths = [
            max([len(str(h))] + [len(row[i]) for row in texts])
            for i, h in enumerate(section.headers)
        ]
        lines += ["", section.heading, "=" * len(section.heading)]
        lines.append(
            "  ".join(str(h).ljust(w) for h, w in zip(section.headers, widths, strict=True))
        )
        lines.append("  ".join("-" * w for w in widths))
        lines += [
            "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            for row in texts
        ]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def report_for(kind: str, data: TestData) -> Report:
    return protocol(data) if kind == PROTOCOL else results(data)


def question_label(question: Question) -> str:
    """A question's short label in lists (its text in the active language, plain)."""
    return _question_title(question) or in_language(question.text)
