"""Documents of the deanery (GB-12): built from the data, issued with a code, rendered to a file.

    doc = builders.transcript_document(standing, "ky")      # inside translation.override("ky")
    issued, content = issue_file(by=user, doc=doc, fmt="pdf", student=student,
                                 verify_url=lambda code: ...)

`issue_file` records the issue (actions.documents.document_issue) before the
file is rendered, so the code and QR printed on it are the stored ones.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from academic.grades.actions.documents import document_issue
from academic.grades.documents.layout import CONTENT_TYPES, DOCX, PDF, XLSX, Doc, Stamp, render
from academic.grades.models import DocumentKind, IssuedDocument
from academic.records.models import Student

LANGUAGES = (("ky", _("Kyrgyz")), ("ru", _("Russian")), ("en", _("English")))
LANGUAGE_CODES = tuple(code for code, _label in LANGUAGES)
# Offices edit these before printing: they come in Excel and Word too.
EDITABLE = (
    DocumentKind.STUDY_CERTIFICATE,
    DocumentKind.MILITARY_CERTIFICATE,
    DocumentKind.GROUP_LIST,
    DocumentKind.EXAM_SHEET,
    DocumentKind.CREDIT_SHEET,
)
STUDENT_KINDS = (
    DocumentKind.STUDY_CERTIFICATE,
    DocumentKind.MILITARY_CERTIFICATE,
    DocumentKind.PERSONAL_CARD,
    DocumentKind.STUDY_CARD,
    DocumentKind.RECORD_BOOK,
    DocumentKind.TRANSCRIPT,
    DocumentKind.DIPLOMA_SUPPLEMENT,
)
FORMAT_LABELS = {PDF: "PDF", XLSX: "Excel", DOCX: "Word"}


def formats_for(kind: str) -> tuple[str, ...]:
    """The file formats `kind` is issued in: PDF always, Excel and Word where offices edit it."""
    return (PDF, XLSX, DOCX) if kind in EDITABLE else (PDF,)


def issue_file(
    *,
    by,
    doc: Doc,
    fmt: str,
    verify_url: Callable[[str], str],
    student: Student | None = None,
) -> tuple[IssuedDocument, bytes]:
    """Record the issue of `doc` and render it in `fmt` with its code and QR code.

    `verify_url(code)` gives the public address printed on the file. Call it
    inside translation.override(doc.language), like the builder.
    """
    issued = document_issue(
        by=by,
        kind=doc.kind,
        language=doc.language,
        title=doc.title,
        subject=doc.subject,
        facts=doc.facts,
        student=student,
    )
    content = render(doc, Stamp(issued.code, verify_url(issued.code)), fmt)
    return issued, content


__all__ = [
    "CONTENT_TYPES",
    "DOCX",
    "EDITABLE",
    "FORMAT_LABELS",
    "LANGUAGES",
    "PDF",
    "STUDENT_KINDS",
    "XLSX",
    "formats_for",
    "issue_file",
]
