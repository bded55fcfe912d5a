"""Exports keep Kyrgyz letters in every format and refuse unknown formats."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from hub.errors import DomainError
from hub.exports import export_response

HEADERS = ["Аты-жөнү", "Топ"]
ROWS = [["Үсөнова Айжаң", "ПИ-1-26"], ["=cmd()", 7]]


def export(fmt: str):
    return export_response(
        fmt=fmt, filename="Студенттер", title="Студенттер", headers=HEADERS, rows=ROWS
    )


def test_csv_is_utf8_with_bom_and_neutralises_formulas():
    response = export("csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "Үсөнова Айжаң" in text
    assert "'=cmd()" in text
    assert response["Content-Disposition"].endswith('.csv"')


def test_xlsx_keeps_letters_and_numbers():
    response = export("xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADERS)
    assert rows[1] == ("Үсөнова Айжаң", "ПИ-1-26")
    assert rows[2] == ("'=cmd()", 7)


def test_pdf_embeds_a_font_with_kyrgyz_letters():
    from pypdf import PdfReader

    response = export("pdf")
    assert response.content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Үсөнова Айжаң" in text


def test_unknown_format_is_a_domain_error():
    with pytest.raises(DomainError):
        export("docx")
