"""One document, three files: a `Doc` of blocks rendered as PDF, Excel or Word (GB-12, X-4).

Builders (builders.py) say what a document states as a list of blocks —
headings, paragraphs, label/value fields, tables, signature lines — and the
facts its digest is taken of; the renderers here lay it out. Every file carries
the verification code and a QR code of the public verification address, so a
printed copy can be checked. The PDF embeds DejaVu Sans (the font hub.exports
uses), which has every Kyrgyz letter (ң ө ү).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from hub.exports import PDF_FONT, cell_text, embed_fonts, xlsx_value

PDF, XLSX, DOCX = "pdf", "xlsx", "docx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
QR_MM = 24


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Fields:
    """Label/value pairs, printed as a two-column list."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    # Relative widths of the columns in the PDF (equal when empty).
    widths: tuple[int, ...] = ()


@dataclass(frozen=True)
class Signatures:
    """Who signs: "Dean of the faculty" … "________ / name"."""

    lines: tuple[tuple[str, str], ...]


Block = Heading | Paragraph | Fields | Table | Signatures


@dataclass
class Doc:
    """What a document says, in its language; `facts` is what its digest is taken of."""

    kind: str
    language: str
    title: str
    subject: str
    institution: str
    blocks: list[Block] = field(default_factory=list)
    subtitle: str = ""
    facts: dict = field(default_factory=dict)
    landscape: bool = False
    filename: str = "document"


@dataclass(frozen=True)
class Stamp:
    """The verification printed on the file: the code and the public address."""

    code: str
    url: str

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


def qr_png(url: str) -> bytes:
    """A QR code of `url` as PNG bytes."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def render(doc: Doc, stamp: Stamp, fmt: str) -> bytes:
    """The file of `doc` in `fmt` (pdf, xlsx or docx) with `stamp` printed on it."""
    writers = {PDF: render_pdf, XLSX: render_xlsx, DOCX: render_docx}
    return writers[fmt](doc, stamp)


def _verification_text(stamp: Stamp) -> str:
    return _("Verification code: %(code)s. Check this document at %(url)s") % {
        "code": stamp.display_code,
        "url": stamp.url,
    }


# --- PDF ------------------------------------------------------------------------------


def render_pdf(doc: Doc, stamp: Stamp) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    footer = _verification_text(stamp)
    page_label = _("page")

    class _PDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(PDF_FONT, "", 7)
            self.multi_cell(0, 3.5, f"{footer} · {page_label} {self.page_no()}/{{nb}}", align="C")

    pdf = _PDF(orientation="landscape" if doc.landscape else "portrait", format="A4")
    pdf.set_title(doc.title)
    pdf.set_author(doc.institution)
    pdf.set_creator("eBilim")
    embed_fonts(pdf)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(15, 12, 15)
    pdf.add_page()
    # The QR code in the top right corner of the first page; the heading keeps clear of it.
    pdf.image(io.BytesIO(qr_png(stamp.url)), x=pdf.w - 15 - QR_MM, y=10, w=QR_MM, h=QR_MM)
    text_width = pdf.w - 30 - QR_MM - 4
    pdf.set_font(PDF_FONT, "B", 11)
    pdf.multi_cell(text_width, 5.5, doc.institution, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(PDF_FONT, "B", 14)
    pdf.multi_cell(text_width, 7, doc.title, align="C", new_x="LMARGIN", new_y="NEXT")
    if doc.subtitle:
        pdf.set_font(PDF_FONT, "", 10)
        pdf.multi_cell(text_width, 5, doc.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), 10 + QR_MM) + 4)
    heading_style = FontFace(family=PDF_FONT, emphasis="BOLD", fill_color=(230, 233, 240))
    for block in doc.blocks:
        if isinstance(block, Heading):
            pdf.ln(2)
            pdf.set_font(PDF_FONT, "B", 11)
            pdf.multi_cell(0, 6, block.text, new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, Paragraph):
            pdf.set_font(PDF_FONT, "", 10)
            pdf.multi_cell(0, 5.5, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        elif isinstance(block, Fields):
            _pdf_fields(pdf, block)
        elif isinstance(block, Table):
            pdf.set_font(PDF_FONT, "", 8)
            widths = block.widths or None
            with pdf.table(
                col_widths=widths, headings_style=heading_style, repeat_headings=1, line_height=4.5
            ) as table:
                table.row([str(h) for h in block.headers])
                for row in block.rows:
                    table.row([cell_text(value) for value in row])
            pdf.ln(2)
        elif isinstance(block, Signatures):
            pdf.ln(6)
            pdf.set_font(PDF_FONT, "", 10)
            for role, name in block.lines:
                pdf.cell(90, 8, role)
                pdf.cell(0, 8, f"________________  {name}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _pdf_fields(pdf, block: Fields) -> None:
    label_width = 65
    for label, value in block.pairs:
        pdf.set_font(PDF_FONT, "B", 9)
        top = pdf.get_y()
        pdf.multi_cell(label_width, 5, label, new_x="RIGHT", new_y="TOP")
        label_bottom = pdf.get_y() if pdf.get_y() > top else top
        pdf.set_font(PDF_FONT, "", 10)
        pdf.set_xy(pdf.l_margin + label_width, top)
        pdf.multi_cell(0, 5, value or "—", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), label_bottom))
    pdf.ln(1.5)


# --- Excel ----------------------------------------------------------------------------


def render_xlsx(doc: Doc, stamp: Stamp) -> bytes:
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "".join(c for c in doc.title if c not in "[]:*?/\\")[:31] or "document"
    bold = Font(bold=True)
    sheet.append([doc.institution])
    sheet.append([doc.title])
    sheet["A1"].font = bold
    sheet["A2"].font = Font(bold=True, size=14)
    if doc.subtitle:
        sheet.append([doc.subtitle])
    sheet.append([])
    widest = 2
    for block in doc.blocks:
        if isinstance(block, Heading):
            sheet.append([block.text])
            sheet.cell(sheet.max_row, 1).font = bold
        elif isinstance(block, Paragraph):
            sheet.append([block.text])
            sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=False)
        elif isinstance(block, Fields):
            for label, value in block.pairs:
                sheet.append([label, xlsx_value(value)])
                sheet.cell(sheet.max_row, 1).font = bold
        elif isinstance(block, Table):
            sheet.append([str(h) for h in block.headers])
            for column in range(1, len(block.headers) + 1):
                sheet.cell(sheet.max_row, column).font = bold
            for row in block.rows:
                sheet.append([xlsx_value(v) for v in row])
            widest = max(widest, len(block.headers))
        elif isinstance(block, Signatures):
            sheet.append([])
            for role, name in block.lines:
                sheet.append([role, f"________________  {name}"])
        if not isinstance(block, Heading):
            sheet.append([])
    sheet.append([_verification_text(stamp)])
    sheet.append([stamp.url])
    image = Image(io.BytesIO(qr_png(stamp.url)))
    image.width = image.height = 110
    sheet.add_image(image, f"A{sheet.max_row + 2}")
    sheet.column_dimensions["A"].width = 36
    for index in range(2, widest + 1):
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = 18
    workbook.properties.title = doc.title
    workbook.properties.creator = "eBilim"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Word -----------------------------------------------------------------------------


def render_docx(doc: Doc, stamp: Stamp) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    if doc.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Mm(15)
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    document.core_properties.title = doc.title
    document.core_properties.author = "eBilim"

    header = document.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(doc.institution).bold = True
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(doc.title)
    run.bold = True
    run.font.size = Pt(14)
    if doc.subtitle:
        document.add_paragraph(doc.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in doc.blocks:
        if isinstance(block, Heading):
            document.add_paragraph().add_run(block.text).bold = True
        elif isinstance(block, Paragraph):
            document.add_paragraph(block.text)
        elif isinstance(block, Fields):
            table = document.add_table(rows=0, cols=2)
            for label, value in block.pairs:
                cells = table.add_row().cells
                cells[0].paragraphs[0].add_run(label).bold = True
                cells[1].text = value or "—"
            document.add_paragraph()
        elif isinstance(block, Table):
            table = document.add_table(rows=1, cols=len(block.headers))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
                cell.paragraphs[0].add_run(str(text)).bold = True
            for row in block.rows:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = cell_text(value)
            document.add_paragraph()
        elif isinstance(block, Signatures):
            for role, name in block.lines:
                document.add_paragraph(f"{role}   ________________  {name}")
    document.add_picture(io.BytesIO(qr_png(stamp.url)), width=Mm(QR_MM))
    footer = document.add_paragraph(_verification_text(stamp))
    footer.runs[0].font.size = Pt(8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
