"""Export of any list to Excel, CSV or PDF (X-4): one function every list page calls.

    return export_response(
        fmt=request.GET["export"], filename="students", title=_("Students"),
        headers=[_("Name"), _("Group")], rows=((s.full_name, s.group) for s in students),
    )

Kyrgyz letters (ң ө ү) survive every format: CSV is UTF-8 with a BOM (Excel
reads it right), XLSX is Unicode by nature, and the PDF embeds DejaVu Sans
(npm package dejavu-fonts-ttf), which has every Cyrillic letter. Cells that a
spreadsheet would run as a formula are written as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hub.errors import DomainError

CSV, XLSX, PDF = "csv", "xlsx", "pdf"
EXPORT_FORMATS = (XLSX, CSV, PDF)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PDF: "application/pdf",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PDF_FONT = "DejaVu"


def export_response(
    *,
    fmt: str,
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> HttpResponse:
    """An attachment with `rows` under `headers` in format `fmt` (xlsx, csv or pdf).

    Raises DomainError for an unknown format. `filename` gets a timestamp and
    the extension; `title` heads the PDF and names the Excel sheet.
    """
    writers = {CSV: _csv_bytes, XLSX: _xlsx_bytes, PDF: _pdf_bytes}
    if fmt not in writers:
        raise DomainError(_("Unknown export format: %(format)s.") % {"format": fmt})
    content = writers[fmt](title, [str(h) for h in headers], rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = slugify(filename) or "export"
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response


def requested_format(request) -> str | None:
    """The format a list page is asked to export to (`?export=xlsx|csv|pdf`); None: show the page."""
    fmt = request.GET.get("export", "")
    return fmt if fmt in EXPORT_FORMATS else None


@dataclass(frozen=True)
class ListExport:
    """How a list page exports its items: file name, title, column headers and one row per item."""

    filename: str
    title: str
    headers: Sequence[str]
    row: Callable[[object], Sequence[object]]


def page_or_export(
    request, items, *, template: str, context: dict, export: ListExport, page_size: int = 50
) -> HttpResponse:
    """A list page's answer: `items` exported when `?export=` asks for it, else `template`
    rendered with `context` and the requested `page` of `items`."""
    fmt = requested_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            filename=export.filename,
            title=export.title,
            headers=export.headers,
            rows=(export.row(item) for item in items),
        )
    page = Paginator(items, page_size).get_page(request.GET.get("page"))
    return render(request, template, {**context, "page": page})


def cell_text(value: object) -> str:
    """A value as the text a user reads; dates in ISO form, None empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value.tzinfo else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _safe_text(value: object) -> str:
    text = cell_text(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_bytes(title: str, headers: list[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe_text(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_value(value: object) -> object:
    """A value for a spreadsheet cell: numbers as numbers, text that would run as a formula
    quoted."""
    if isinstance(value, bool) or value is None:
        return cell_text(value)
    if isinstance(value, int | float | Decimal):
        return value
    return _safe_text(value)


def _xlsx_bytes(title: str, headers: list[str], rows: Iterable[Sequence[object]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    # Sheet names: at most 31 characters, none of []:*?/\
    sheet = workbook.create_sheet(title="".join(c for c in title if c not in "[]:*?/\\")[:31])
    bold = Font(bold=True)
    sheet.append([_bold_cell(sheet, header, bold) for header in headers])
    for row in rows:
        sheet.append([xlsx_value(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _bold_cell(sheet, value: str, font):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def embed_fonts(pdf) -> None:
    """Embed DejaVu Sans (regular and bold) in an fpdf2 document as PDF_FONT: Kyrgyz ң ө ү print."""
    font_dir = settings.PDF_FONT_DIR
    pdf.add_font(PDF_FONT, "", str(font_dir / "DejaVuSans.ttf"))
    pdf.add_font(PDF_FONT, "B", str(font_dir / "DejaVuSans-Bold.ttf"))


def _pdf_bytes(title: str, headers: list[str], rows: Iterable[Sequence[object]]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape" if len(headers) > 5 else "portrait", format="A4")
    embed_fonts(pdf)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font(PDF_FONT, "B", 13)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(PDF_FONT, "", 8)
    pdf.cell(0, 5, timezone.localtime().strftime("%Y-%m-%d %H:%M"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.table(headings_style=_pdf_heading_style(), repeat_headings=1) as table:
        table.row(headers)
        for row in rows:
            table.row([cell_text(value) for value in row])
    return bytes(pdf.output())


def _pdf_heading_style():
    from fpdf.fonts import FontFace

    return FontFace(family=PDF_FONT, emphasis="BOLD", fill_color=(230, 233, 240))
