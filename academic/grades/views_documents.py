"""Record book, transcript, issued documents and their public verification (GB-6, GB-12)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from academic.grades.actions.documents import normalize_code
from academic.grades.documents import (
    CONTENT_TYPES,
    FORMAT_LABELS,
    LANGUAGE_CODES,
    LANGUAGES,
    PDF,
    STUDENT_KINDS,
    builders,
    formats_for,
    issue_file,
)
from academic.grades.models import DocumentKind, IssuedDocument
from academic.grades.permissions import (
    access_sheet,
    access_student_document,
    access_student_documents,
    access_student_grades,
    may_issue_student_document,
)
from academic.grades.scoring import scale_for
from academic.grades.selectors.transcripts import record_book, student_standing, transcript
from academic.records.selectors import state_on
from academic.structure.permissions import access_group
from hub.errors import DomainError
from hub.exports import export_response, requested_format


def _language(request: HttpRequest, data) -> str:
    """The language asked for (`lang`), else the user's, else the page's."""
    asked = data.get("lang", "")
    if asked in LANGUAGE_CODES:
        return asked
    own = getattr(request.user, "language", "")
    if own in LANGUAGE_CODES:
        return own
    current = (translation.get_language() or "ky").split("-")[0]
    return current if current in LANGUAGE_CODES else "ky"


def _choices(kinds) -> list[dict]:
    labels = dict(DocumentKind.choices)
    return [
        {
            "kind": kind,
            "label": labels[kind],
            "formats": [(f, FORMAT_LABELS[f]) for f in formats_for(kind)],
        }
        for kind in kinds
    ]


def _issued_response(request: HttpRequest, *, doc, fmt: str, student=None) -> HttpResponse:
    def verify_url(code: str) -> str:
        return request.build_absolute_uri(reverse("grades:documents-verify", args=[code]))

    issued, content = issue_file(
        by=request.user, doc=doc, fmt=fmt, verify_url=verify_url, student=student
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = slugify(doc.filename) or doc.kind
    response["Content-Disposition"] = f'attachment; filename="{name}-{issued.code}.{fmt}"'
    return response


def _issue_request(request: HttpRequest, kind: str) -> tuple[str, str]:
    """The language and format of a POSTed issue; DomainError for a format `kind` lacks."""
    fmt = request.POST.get("format", PDF)
    if fmt not in formats_for(kind):
        raise DomainError(_("This document is not issued as %(format)s.") % {"format": fmt})
    return _language(request, request.POST), fmt


# --- Record book and transcript -----------------------------------------------------------


FAILED_ROW = mark_safe(' class="row--failed"')


def _page_rows(results, language: str, *, book: bool = False) -> str:
    """The table rows of `results` as the record book (`book`) or the transcript prints them.

    Built here with format_html (every value escaped): a table of 60 courses
    renders several times faster than through template tags per cell.
    """
    not_passed, passed = _("not passed"), _("passed")
    difference, retake = _("academic difference"), _("retake")
    rows = []
    for r in results:
        if not r.passed:
            mark = not_passed
        elif r.control_form == "credit":
            mark = passed
        else:
            mark = "" if r.mark is None else r.mark
        score = "—" if r.score is None else r.score
        gpa = r.gpa if r.counts_in_gpa else ""
        css = FAILED_ROW if not r.passed else ""
        if book:
            note = difference if r.difference else (retake if r.attempt > 1 else "")
            rows.append(
                format_html(
                    "<tr{}><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    css,
                    r.name(language),
                    format_html(" <small>({})</small>", note) if note else "",
                    "" if r.hours is None else r.hours,
                    r.credits,
                    r.control_label,
                    score,
                    r.letter,
                    gpa,
                    mark,
                    r.on.strftime("%d.%m.%Y") if r.on else "",
                    r.examiner,
                )
            )
        else:
            rows.append(
                format_html(
                    "<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                    "<td>{}</td></tr>",
                    css,
                    r.discipline_code,
                    r.name(language),
                    r.credits,
                    score,
                    r.letter,
                    gpa,
                    mark,
                )
            )
    return mark_safe("\n".join(rows))  # noqa: S308 - every row comes from format_html


@login_required
@require_GET
def record_book_page(request: HttpRequest, student_id: int) -> HttpResponse:
    """A student's record book: every result from closed sheets, semester by semester."""
    student = access_student_grades(request.user, student_id)
    book = record_book(student)
    language = translation.get_language() or "ky"
    fmt = requested_format(request)
    if fmt:
        headers = [
            _("Semester"),
            _("Discipline"),
            _("Hours"),
            _("Credits"),
            _("Control"),
            _("Score"),
            _("Letter"),
            _("GPA points"),
            _("Mark"),
            _("Date"),
            _("Examiner"),
        ]
        rows = (
            [
                r.semester,
                r.name(language),
                r.hours,
                r.credits,
                r.control_label,
                r.score,
                r.letter,
                r.gpa,
                r.mark,
                r.on,
                r.examiner,
            ]
            for term in book
            for r in term.results
        )
        title = _("Record book of %(name)s") % {"name": student.user.get_full_name()}
        return export_response(
            fmt=fmt,
            filename=f"record-book-{student.record_number}",
            title=title,
            headers=headers,
            rows=rows,
        )
    context = {
        "student": student,
        "terms": [(term, _page_rows(term.results, language, book=True)) for term in book],
        "language": language,
        "issue": _issue_links(request.user, student, DocumentKind.RECORD_BOOK),
    }
    return render(request, "grades/documents/record_book.html", context)


def _issue_links(user, student, kind: str) -> bool:
    try:
        access_student_documents(user, student.pk)
    except Http404:  # a reader who issues nothing (a parent)
        return False
    return may_issue_student_document(user, student, kind)


@login_required
@require_GET
def transcript_page(request: HttpRequest, student_id: int) -> HttpResponse:
    """A student's transcript: credits, letters, GPA per semester and cumulative."""
    student = access_student_grades(request.user, student_id)
    data = transcript(student)
    language = translation.get_language() or "ky"
    fmt = requested_format(request)
    if fmt:
        headers = [
            _("Semester"),
            _("Code"),
            _("Discipline"),
            _("Credits"),
            _("Score"),
            _("Letter"),
            _("GPA points"),
            _("Mark"),
        ]
        rows = []
        for term in data.terms:
            rows += [
                [term.semester, r.discipline_code, r.name(language), r.credits, r.score,
                 r.letter, r.gpa if r.counts_in_gpa else None, r.mark]
                for r in term.results
            ]  # fmt: skip
            rows.append(
                [
                    term.semester,
                    "",
                    _("GPA of the semester"),
                    term.credits_earned,
                    None,
                    "",
                    term.gpa,
                    None,
                ]
            )
        rows.append(["", "", _("Cumulative GPA"), data.credits_earned, None, "", data.gpa, None])
        title = _("Transcript of %(name)s") % {"name": student.user.get_full_name()}
        return export_response(
            fmt=fmt,
            filename=f"transcript-{student.record_number}",
            title=title,
            headers=headers,
            rows=rows,
        )
    context = {
        "student": student,
        "transcript": data,
        "terms": [(term, _page_rows(term.results, language)) for term in data.terms],
        "language": language,
        "issue": _issue_links(request.user, student, DocumentKind.TRANSCRIPT),
    }
    return render(request, "grades/documents/transcript.html", context)


# --- Issuing ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def student_documents(request: HttpRequest, student_id: int) -> HttpResponse:
    """The documents `request.user` may issue for a student (GET), and issuing one (POST)."""
    student = access_student_documents(request.user, student_id)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in STUDENT_KINDS:
            messages.error(request, _("Choose a document to issue."))
            return redirect("grades:documents-student", student_id=student.pk)
        access_student_document(request.user, student.pk, kind)
        try:
            language, fmt = _issue_request(request, kind)
            with translation.override(language):
                doc = _student_doc(student.pk, kind, language)
                return _issued_response(request, doc=doc, fmt=fmt, student=student)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("grades:documents-student", student_id=student.pk)
    kinds = [k for k in STUDENT_KINDS if may_issue_student_document(request.user, student, k)]
    issued = list(IssuedDocument.objects.filter(student=student).select_related("issued_by")[:50])
    context = {
        "student": student,
        "choices": _choices(kinds),
        "document_languages": LANGUAGES,
        "language": _language(request, request.GET),
        "issued": issued,
        "state": state_on(student),
    }
    return render(request, "grades/documents/student_documents.html", context)


def _student_doc(student_id: int, kind: str, language: str):
    standing = student_standing(student_id)
    if kind == DocumentKind.DIPLOMA_SUPPLEMENT:
        return builders.diploma_supplement(standing, language, scale_for())
    return builders.STUDENT_BUILDERS[kind](standing, language)


@login_required
@require_http_methods(["GET", "POST"])
def sheet_document(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """The exam (or pass/fail) sheet as a document: the form (GET) and the file (POST)."""
    sheet = access_sheet(request.user, sheet_id)
    kind = builders.sheet_kind(sheet)
    if request.method == "POST":
        try:
            language, fmt = _issue_request(request, kind)
            with translation.override(language):
                doc = builders.sheet_document(sheet, language)
                return _issued_response(request, doc=doc, fmt=fmt)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("grades:documents-sheet", sheet_id=sheet.pk)
    context = {
        "title": _("Exam sheet No. %(number)s") % {"number": sheet.number},
        "subject": f"{sheet.course.discipline} · {sheet.course.group}",
        "choices": _choices([kind]),
        "document_languages": LANGUAGES,
        "language": _language(request, request.GET),
    }
    return render(request, "grades/documents/issue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_document(request: HttpRequest, group_id: int) -> HttpResponse:
    """The list of a group's students as a document: the form (GET) and the file (POST)."""
    group = access_group(request.user, group_id)
    kind = DocumentKind.GROUP_LIST
    if request.method == "POST":
        try:
            language, fmt = _issue_request(request, kind)
            with translation.override(language):
                doc = builders.group_list_document(group, language, timezone.localdate())
                return _issued_response(request, doc=doc, fmt=fmt)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("grades:documents-group", group_id=group.pk)
    context = {
        "title": _("Group list %(group)s") % {"group": group.name},
        "subject": group.specialty,
        "choices": _choices([kind]),
        "document_languages": LANGUAGES,
        "language": _language(request, request.GET),
    }
    return render(request, "grades/documents/issue.html", context)


# --- Public verification ------------------------------------------------------------------


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public (no login): what was issued under `code`, to whom and when; 404 when nothing."""
    document = (
        IssuedDocument.objects.select_related("student__user", "issued_by")
        .filter(code=normalize_code(code))
        .first()
    )
    if document is None:
        return render(
            request, "grades/documents/verify_missing.html", {"code": code[:32]}, status=404
        )
    return render(
        request,
        "grades/documents/verify.html",
        {"document": document, "institution": builders.institution_name(document.language)},
    )


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """Public: a form to type a code from paper; sends the visitor to its verification page."""
    code = normalize_code(request.GET.get("code", ""))[:32]
    if code:
        return redirect("grades:documents-verify", code=code)
    return render(request, "grades/documents/verify_lookup.html")
