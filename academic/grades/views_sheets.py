"""Pages of courses and exam sheets (GB-3, GB-4, GB-8, GB-9, AC-3).

Course page (checkpoints, sheets, teacher), generation of a term's courses,
the sheet (filled line by line through JSON, or as a plain form), closing,
the deanery's list of sheets, change requests of closed sheets and their
decision, the debts journal, retake sheets and academic differences. Every
access check is a function of academic.grades.permissions.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academic.curricula.models import ControlForm, Discipline
from academic.grades import permissions
from academic.grades.actions import sheets as actions
from academic.grades.jobs import GENERATE
from academic.grades.models import (
    AcademicDifference,
    DebtStatus,
    RequestStatus,
    SheetKind,
    SheetLine,
    SheetStatus,
)
from academic.grades.scoring import parse_score
from academic.grades.selectors import sheets as selectors
from academic.records.models import Student
from academic.structure.models import Faculty, Term
from academic.structure.permissions import groups_visible_filter
from hub.accounts.models import Cabinet, User
from hub.errors import DomainError
from hub.exports import ListExport, export_response, page_or_export, requested_format
from hub.jobs.actions import JobError, job_start

PAGE_SIZE = 50


def _form_errors(form, error: DomainError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _visible(user, prefix: str):
    """A filter on rows related to a group (by `prefix`) for the user's office scopes."""
    return groups_visible_filter(permissions.office_scopes(user), prefix=prefix)


def _score_text(value) -> str:
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _result_text(line: SheetLine | selectors.SheetRow, control_form: str) -> str:
    if not line.admitted:
        return _("not admitted")
    if line.absent:
        return _("did not appear")
    if line.passed is None:
        return ""
    if control_form == ControlForm.CREDIT:
        return _("passed") if line.passed else _("failed")
    return f"{line.letter} ({line.mark})" if line.mark else ""


# --- Courses ------------------------------------------------------------------------------


@login_required
@require_GET
def course_sheets(request: HttpRequest, course_id: int) -> HttpResponse:
    """A course: its checkpoints, its sheets with how far they are filled, its teacher."""
    course = permissions.access_course(request.user, course_id)
    context = {
        "course": course,
        "checkpoints": list(course.checkpoints.all()),
        "sheets": selectors.course_sheets(course),
        "may_assign": permissions.may_assign_teacher(request.user, course),
        "may_retake": permissions.may_keep_debts(request.user, course.group_id),
        "debt_forms": selectors.course_debt_forms(course),
    }
    return render(request, "grades/sheets/course.html", context)


class TeacherForm(forms.Form):
    teacher = forms.ModelChoiceField(
        label=gettext_lazy("Teacher"),
        queryset=User.objects.filter(cabinet=Cabinet.TEACHER, is_active=True).order_by(
            "last_name", "first_name"
        ),
        required=False,
        help_text=gettext_lazy("Empty: no teacher yet."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_teacher(request: HttpRequest, course_id: int) -> HttpResponse:
    """Name the teacher of a course (the department or the deanery)."""
    course = permissions.access_course(request.user, course_id)
    if not permissions.may_assign_teacher(request.user, course):
        raise Http404(_("Page not found."))
    form = TeacherForm(request.POST or None, initial={"teacher": course.teacher})
    if request.method == "POST" and form.is_valid():
        try:
            actions.course_teacher_assign(
                by=request.user, course=course, teacher=form.cleaned_data["teacher"]
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The teacher is assigned."))
            return redirect("grades:course-sheets", course.pk)
    return render(
        request,
        "grades/sheets/form.html",
        {
            "form": form,
            "title": _("Teacher of %(course)s") % {"course": course},
            "button": _("Save"),
            "cancel_url": reverse("grades:course-sheets", args=[course.pk]),
        },
    )


class GenerateForm(forms.Form):
    term = forms.ModelChoiceField(
        label=gettext_lazy("Term"),
        queryset=Term.objects.select_related("academic_year").order_by(
            "-academic_year__starts_on", "-number"
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def courses_generate(request: HttpRequest) -> HttpResponse:
    """Start the background generation of a term's courses and sheets from the working plans."""
    permissions.access_calendar(request.user, write=True)
    current = selectors.current_terms().first()
    form = GenerateForm(request.POST or None, initial={"term": current})
    if request.method == "POST" and form.is_valid():
        try:
            job = job_start(
                owner=request.user, kind=GENERATE, params={"term": form.cleaned_data["term"].pk}
            )
        except JobError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("jobs:detail", job.pk)
    return render(
        request,
        "grades/sheets/form.html",
        {
            "form": form,
            "title": _("Generate courses and exam sheets"),
            "intro": _(
                "Every active group gets the courses of its working plan for the term, with "
                "the default checkpoints and a sheet for each final control. Courses that "
                "exist are kept; running it again makes only what is missing."
            ),
            "button": _("Generate"),
            "cancel_url": reverse("grades:sheets"),
        },
    )


# --- The sheet ----------------------------------------------------------------------------


def _sheet_page(request: HttpRequest, sheet, *, errors: dict | None = None) -> HttpResponse:
    writable = not sheet.is_closed and permissions.may_write_sheet(request.user, sheet)
    view = selectors.sheet_view(sheet)
    context = {
        "sheet": sheet,
        "course": sheet.course,
        "view": view,
        "writable": writable and view.window_problem is None,
        "may_write": permissions.may_write_sheet(request.user, sheet),
        "may_retake": permissions.may_keep_debts(request.user, sheet.course.group_id),
        "is_credit": sheet.control_form == ControlForm.CREDIT,
        "errors": errors or {},
        "rows": [
            {
                "line": line,
                "name": line.name,
                "result": _result_text(line, sheet.control_form),
                "error": (errors or {}).get(line.pk, ""),
                "current": _score_text(line.current_score),
                "final": _score_text(line.final_score),
                "total": _score_text(line.total),
            }
            for line in view.lines
        ],
    }
    return render(request, "grades/sheets/sheet.html", context)


def _export_sheet(fmt: str, sheet) -> HttpResponse:
    view = selectors.sheet_view(sheet)
    headers = [
        _("No."),
        _("Student"),
        _("Record book number"),
        _("Points before the final"),
        _("Final control"),
        _("Total"),
        _("Grade"),
    ]
    rows = (
        [
            number,
            line.name,
            line.record_number,
            _score_text(line.current_score),
            _("did not appear") if line.absent else _score_text(line.final_score),
            _score_text(line.total),
            _result_text(line, sheet.control_form),
        ]
        for number, line in enumerate(view.lines, start=1)
    )
    title = _("Sheet %(number)s: %(course)s") % {"number": sheet.number, "course": sheet.course}
    return export_response(
        fmt=fmt, filename=f"sheet-{sheet.number}", title=title, headers=headers, rows=rows
    )


@login_required
@require_http_methods(["GET", "POST"])
def sheet_detail(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """The sheet: its students and results; filled here by the examiner (form fallback on POST).

    Opening an open sheet brings its students in step with the records first.
    """
    write = request.method == "POST"
    sheet = permissions.access_sheet(request.user, sheet_id, write=write)
    _sync_now_and_then(sheet)
    fmt = requested_format(request)
    if fmt and not write:
        return _export_sheet(fmt, sheet)
    if not write:
        return _sheet_page(request, sheet)
    return _sheet_form_save(request, sheet)


# Signed orders and the nightly task keep open sheets in step; opening the page
# checks again, at most once in SYNC_EVERY seconds per sheet.
SYNC_EVERY = 300


def _sync_now_and_then(sheet) -> None:
    if sheet.is_closed:
        return
    key = f"grades:sheet-synced:{sheet.pk}:{sheet.created_at.timestamp():.6f}"
    if cache.add(key, 1, SYNC_EVERY):
        actions.sheet_sync(sheet=sheet)


def _sheet_form_save(request: HttpRequest, sheet) -> HttpResponse:
    """The plain form: each line's score (or absent) with its version; changed lines are saved."""
    errors: dict[int, str] = {}
    saved = 0
    for line in selectors.sheet_view(sheet).lines:
        raw = request.POST.get(f"score-{line.pk}")
        if raw is None:
            continue
        absent = request.POST.get(f"absent-{line.pk}") == "on"
        try:
            score = None if absent else parse_score(raw)
            if score == line.final_score and absent == line.absent:
                continue
            version = int(request.POST.get(f"version-{line.pk}", line.version))
            # The action locks and re-reads the line by its pk: the row's values suffice.
            actions.sheet_line_save(
                by=request.user, line=line, final_score=score, absent=absent, version=version
            )
            saved += 1
        except (DomainError, ValueError) as error:
            errors[line.pk] = str(error)
    if errors:
        messages.error(request, _("Some lines were not saved: see the marks in the table."))
        return _sheet_page(request, sheet, errors=errors)
    messages.success(request, _("Saved %(count)s lines.") % {"count": saved})
    return redirect("grades:sheet", sheet.pk)


@login_required
@require_POST
def sheet_line(request: HttpRequest, sheet_id: int, line_id: int) -> JsonResponse:
    """Save one line: JSON {final_score, absent, version}.

    200 with the line; 409 with the current line when the version is stale;
    400 with the reason for bad input, a closed sheet or a student not admitted.
    """
    sheet = permissions.access_sheet(request.user, sheet_id, write=True)
    line = SheetLine.objects.filter(pk=line_id, sheet=sheet).first()
    if line is None:
        return JsonResponse({"detail": _("This student is not on the sheet.")}, status=400)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"detail": _("The request is not valid JSON.")}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"detail": _("The request is not valid JSON.")}, status=400)
    try:
        version = int(body["version"])
    except (KeyError, TypeError, ValueError):
        return JsonResponse({"detail": _("The line's version is missing.")}, status=400)
    try:
        absent = bool(body.get("absent"))
        score = None if absent else parse_score(body.get("final_score"))
        saved = actions.sheet_line_save(
            by=request.user, line=line, final_score=score, absent=absent, version=version
        )
    except actions.SheetLineConflict as conflict:
        return JsonResponse({"detail": str(conflict), **conflict.current}, status=409)
    except DomainError as error:
        return JsonResponse({"detail": str(error)}, status=400)
    return JsonResponse(actions.line_data(saved))


@login_required
@require_http_methods(["GET", "POST"])
def sheet_close(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """Close and lock the sheet, after confirmation."""
    sheet = permissions.access_sheet(request.user, sheet_id, write=True)
    back = reverse("grades:sheet", args=[sheet.pk])
    if sheet.is_closed:
        messages.info(request, _("The sheet is already closed."))
        return redirect(back)
    if request.method == "POST":
        try:
            actions.sheet_close(by=request.user, sheet=sheet)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(back)
        messages.success(request, _("The sheet is closed and sent to the deanery."))
        return redirect(back)
    question = _(
        "Close sheet %(number)s? Its results are locked; afterwards a change needs a request "
        "approved by the vice-rector, and failures become academic debts."
    ) % {"number": sheet.number}
    return render(
        request, "confirm.html", {"question": question, "button": _("Close"), "cancel_url": back}
    )


# --- The deanery's list of sheets --------------------------------------------------------


class SheetFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Number or discipline"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("any")), *SheetStatus.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("any")), *SheetKind.choices],
        required=False,
    )
    term = forms.ModelChoiceField(
        label=gettext_lazy("Term"),
        queryset=Term.objects.select_related("academic_year").order_by(
            "-academic_year__starts_on", "-number"
        ),
        required=False,
    )
    faculty = forms.ModelChoiceField(
        label=gettext_lazy("Faculty"), queryset=Faculty.objects.order_by("code"), required=False
    )
    group = forms.CharField(label=gettext_lazy("Group"), required=False)


@login_required
@require_GET
def sheet_list(request: HttpRequest) -> HttpResponse:
    """Exam sheets of the user's faculties by status: where closed sheets arrive (GB-8).

    A teacher sees the sheets they examine and those of the courses they teach.
    """
    user = request.user
    if permissions.may_read_grades_office(user):
        visible = _visible(user, "course__group__")
    elif permissions.is_teacher(user):
        visible = Q(teacher=user) | Q(course__teacher=user)
    else:
        raise Http404(_("Page not found."))
    form = SheetFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sheets = selectors.sheets_list(
        visible=visible,
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        term=getattr(filters.get("term"), "pk", None),
        faculty=getattr(filters.get("faculty"), "pk", None),
        group=filters.get("group", ""),
        q=filters.get("q", ""),
    )
    fmt = requested_format(request)
    if fmt:
        headers = [
            _("Number"),
            _("Term"),
            _("Group"),
            _("Discipline"),
            _("Control form"),
            _("Kind"),
            _("Examiner"),
            _("Students"),
            _("Status"),
            _("Closed at"),
        ]
        rows = (
            [
                s.number,
                str(s.course.term),
                s.course.group.name,
                str(s.course.discipline),
                s.get_control_form_display(),
                s.get_kind_display(),
                s.teacher.get_full_name() if s.teacher else "",
                s.size,
                s.get_status_display(),
                s.closed_at,
            ]
            for s in sheets
        )
        return export_response(
            fmt=fmt, filename="exam-sheets", title=_("Exam sheets"), headers=headers, rows=rows
        )
    context = {
        "form": form,
        "page": Paginator(sheets, PAGE_SIZE).get_page(request.GET.get("page")),
        "may_generate": permissions.may_keep_calendar(request.user),
        "may_decide": permissions.may_decide_changes(request.user),
    }
    return render(request, "grades/sheets/sheet_list.html", context)


# --- Change requests (AC-3) ---------------------------------------------------------------


class ChangeRequestForm(forms.Form):
    new_final_score = forms.CharField(label=gettext_lazy("New score"), required=False)
    absent = forms.BooleanField(label=gettext_lazy("Did not appear"), required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


@login_required
@require_http_methods(["GET", "POST"])
def sheet_change(request: HttpRequest, sheet_id: int, line_id: int) -> HttpResponse:
    """Ask the vice-rector to change one line of a closed sheet."""
    sheet = permissions.access_sheet(request.user, sheet_id, write=True)
    line = SheetLine.objects.select_related("student__user").filter(pk=line_id, sheet=sheet).first()
    if line is None:
        raise Http404(_("Page not found."))
    back = reverse("grades:sheet", args=[sheet.pk])
    if not sheet.is_closed:
        messages.info(request, _("The sheet is open: change the line on the sheet itself."))
        return redirect(back)
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_request_create(
                by=request.user,
                line=line,
                new_final_score=parse_score(form.cleaned_data["new_final_score"]),
                absent=form.cleaned_data["absent"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The request is sent to the vice-rector."))
            return redirect(back)
    title = _("Change of %(student)s on sheet %(number)s") % {
        "student": line.student.user.get_full_name(),
        "number": sheet.number,
    }
    intro = _("Now: %(score)s. The sheet changes only when the vice-rector approves.") % {
        "score": _("did not appear") if line.absent else _score_text(line.final_score) or "—"
    }
    return render(
        request,
        "grades/sheets/form.html",
        {"form": form, "title": title, "intro": intro, "button": _("Send"), "cancel_url": back},
    )


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("any")), *RequestStatus.choices],
        required=False,
    )


def _requests_visible(user):
    if permissions.may_decide_changes(user):
        return None, True
    if permissions.may_read_grades_office(user):
        return _visible(user, "line__sheet__course__group__"), True
    if permissions.is_teacher(user):
        return Q(requested_by=user), True
    return None, False


@login_required
@require_GET
def change_requests(request: HttpRequest) -> HttpResponse:
    """Requests to change closed sheets: pending ones first for the vice-rector to decide."""
    visible, allowed = _requests_visible(request.user)
    if not allowed:
        raise Http404(_("Page not found."))
    form = RequestFilterForm(request.GET or {"status": RequestStatus.PENDING})
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    rows = selectors.change_requests_list(visible=visible, status=status)
    context = {
        "form": form,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "may_decide": permissions.may_decide_changes(request.user),
    }
    return render(request, "grades/sheets/change_requests.html", context)


@login_required
@require_GET
def change_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """One change request with its line, old and new result, and the decision."""
    change = permissions.access_change_request(request.user, request_id)
    context = {
        "change": change,
        "may_decide": permissions.may_decide_changes(request.user)
        and change.status == RequestStatus.PENDING,
        "form": DecisionForm(),
    }
    return render(request, "grades/sheets/change_request.html", context)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when rejecting."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    """The vice-rector approves or rejects a change of a closed sheet."""
    change = permissions.access_change_request(request.user, request_id, decide=True)
    back = reverse("grades:change-request", args=[change.pk])
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_request_decide(
                by=request.user,
                request=change,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("grades:change-requests")
    return render(
        request,
        "grades/sheets/form.html",
        {
            "form": form,
            "title": _("Decide on the change of sheet %(number)s")
            % {"number": change.line.sheet.number},
            "intro": _("%(student)s: %(old)s → %(new)s. Reason: %(reason)s")
            % {
                "student": change.line.student.user.get_full_name(),
                "old": _("did not appear")
                if change.old_absent
                else _score_text(change.old_final_score),
                "new": _("did not appear")
                if change.new_absent
                else _score_text(change.new_final_score),
                "reason": change.reason,
            },
            "button": _("Decide"),
            "cancel_url": back,
        },
    )


# --- Debts and retakes (GB-9) -------------------------------------------------------------


class DebtFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("any")), *DebtStatus.choices],
        required=False,
    )
    group = forms.CharField(label=gettext_lazy("Group"), required=False)
    discipline = forms.CharField(label=gettext_lazy("Discipline"), required=False)


@login_required
@require_GET
def debt_list(request: HttpRequest) -> HttpResponse:
    """The journal of academic debts of the user's faculties: filters, pages, export."""
    permissions.access_grades_office(request.user)
    form = DebtFilterForm(request.GET or {"status": DebtStatus.OPEN})
    filters = form.cleaned_data if form.is_valid() else {}
    debts = selectors.debts_list(
        visible=_visible(request.user, "line__sheet__course__group__"),
        status=filters.get("status", ""),
        group=filters.get("group", ""),
        discipline=filters.get("discipline", ""),
    )
    export = ListExport(
        filename="academic-debts",
        title=_("Academic debts"),
        headers=[
            _("Student"), _("Record book number"), _("Group"), _("Discipline"), _("Term"),
            _("Control form"), _("Why"), _("Status"), _("Cleared by sheet"),
        ],
        row=lambda d: [
            d.student.user.get_full_name(),
            d.student.record_number,
            d.line.sheet.course.group.name,
            str(d.line.sheet.course.discipline),
            str(d.line.sheet.course.term),
            d.line.sheet.get_control_form_display(),
            d.get_kind_display(),
            d.get_status_display(),
            d.cleared_by.sheet.number if d.cleared_by else "",
        ],
    )  # fmt: skip
    return page_or_export(
        request, debts, template="grades/sheets/debt_list.html", context={"form": form},
        export=export, page_size=PAGE_SIZE,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def course_retake(request: HttpRequest, course_id: int) -> HttpResponse:
    """Open a retake sheet of a course for students with an open debt of one of its controls."""
    course = permissions.access_course(request.user, course_id)
    if not permissions.may_keep_debts(request.user, course.group_id):
        raise Http404(_("Page not found."))
    forms_with_debts = selectors.course_debt_forms(course)
    chosen_form = request.POST.get("control_form") or request.GET.get("control_form") or ""
    if chosen_form not in forms_with_debts:
        chosen_form = forms_with_debts[0] if forms_with_debts else ""
    debtors = list(selectors.open_debtors(course, chosen_form)) if chosen_form else []
    problems: list[str] = []
    if request.method == "POST":
        wanted = {int(v) for v in request.POST.getlist("students") if v.isdigit()}
        students = [d.student for d in debtors if d.student_id in wanted]
        try:
            sheet = actions.retake_sheet_create(
                by=request.user, course=course, control_form=chosen_form, students=students
            )
        except DomainError as error:
            problems = error.messages
        else:
            messages.success(request, _("Retake sheet %(number)s is open.") % {"number": sheet})
            return redirect("grades:sheet", sheet.pk)
    control_forms = [(f, ControlForm(f).label) for f in forms_with_debts]
    context = {
        "course": course,
        "control_forms": control_forms,
        "chosen_form": chosen_form,
        "debtors": debtors,
        "problems": problems,
    }
    return render(request, "grades/sheets/retake.html", context)


# --- Academic differences -----------------------------------------------------------------


class DifferenceFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("any")), *DebtStatus.choices],
        required=False,
    )
    record_number = forms.CharField(label=gettext_lazy("Record book number"), required=False)


@login_required
@require_GET
def difference_list(request: HttpRequest) -> HttpResponse:
    """Academic differences of transferred students of the user's faculties (GB-9)."""
    permissions.access_grades_office(request.user)
    form = DifferenceFilterForm(request.GET or {"status": DebtStatus.OPEN})
    filters = form.cleaned_data if form.is_valid() else {}
    student = None
    if filters.get("record_number"):
        student = (
            Student.objects.filter(record_number=filters["record_number"].strip())
            .values_list("pk", flat=True)
            .first()
        ) or -1
    rows = selectors.differences_list(
        visible=_visible(request.user, "group__"),
        status=filters.get("status", ""),
        student=student,
    )
    export = ListExport(
        filename="academic-differences",
        title=_("Academic differences"),
        headers=[
            _("Student"), _("Record book number"), _("Discipline"), _("Semester"), _("Credits"),
            _("Control form"), _("Due by"), _("Score"), _("Grade"), _("Status"),
        ],
        row=lambda d: [
            d.student.user.get_full_name(),
            d.student.record_number,
            str(d.discipline),
            d.semester,
            d.credits,
            d.get_control_form_display(),
            d.due_on,
            _score_text(d.score),
            f"{d.letter} ({d.mark})" if d.mark else "",
            d.get_status_display(),
        ],
    )  # fmt: skip
    context = {"form": form, "may_create": permissions.may_write_grades_office(request.user)}
    return page_or_export(
        request, rows, template="grades/sheets/difference_list.html", context=context,
        export=export, page_size=PAGE_SIZE,
    )  # fmt: skip


class DifferenceForm(forms.Form):
    record_number = forms.CharField(label=gettext_lazy("Record book number"))
    discipline = forms.ModelChoiceField(
        label=gettext_lazy("Discipline"), queryset=Discipline.objects.order_by("code")
    )
    semester = forms.IntegerField(label=gettext_lazy("Semester"), min_value=1, max_value=12)
    credits = forms.IntegerField(label=gettext_lazy("Credits"), min_value=0, max_value=60)
    control_form = forms.ChoiceField(
        label=gettext_lazy("Control form"), choices=ControlForm.choices
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
@require_http_methods(["GET", "POST"])
def difference_create(request: HttpRequest) -> HttpResponse:
    """Record a discipline a transferred student must still pass."""
    if not permissions.may_write_grades_office(request.user):
        raise Http404(_("Page not found."))
    form = DifferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        student = Student.objects.filter(record_number=data["record_number"].strip()).first()
        group = selectors.student_group_on(student.pk) if student else None
        if student is None or group is None or not permissions.may_keep_debts(request.user, group):
            form.add_error("record_number", _("No student of your faculty has this number."))
        else:
            try:
                actions.difference_create(
                    by=request.user,
                    student=student,
                    discipline=data["discipline"],
                    semester=data["semester"],
                    credits=data["credits"],
                    control_form=data["control_form"],
                    due_on=data["due_on"],
                )
            except DomainError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The academic difference is recorded."))
                return redirect("grades:differences")
    return render(
        request,
        "grades/sheets/form.html",
        {
            "form": form,
            "title": _("New academic difference"),
            "button": _("Save"),
            "cancel_url": reverse("grades:differences"),
        },
    )


class DifferenceResultForm(forms.Form):
    score = forms.DecimalField(
        label=gettext_lazy("Score"), min_value=Decimal(0), max_value=Decimal(100), decimal_places=2
    )
    on = forms.DateField(
        label=gettext_lazy("Passed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def difference_result(request: HttpRequest, difference_id: int) -> HttpResponse:
    """Record the result of an academic difference; a pass clears it."""
    difference = (
        AcademicDifference.objects.select_related("student__user", "discipline")
        .filter(pk=difference_id)
        .first()
    )
    group = selectors.student_group_on(difference.student_id) if difference else None
    if group is None or not permissions.may_keep_debts(request.user, group):
        raise Http404(_("Page not found."))
    form = DifferenceResultForm(
        request.POST or None, initial={"on": timezone.localdate(), "score": difference.score}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.difference_result_record(
                by=request.user,
                difference=difference,
                score=form.cleaned_data["score"],
                on=form.cleaned_data["on"],
            )
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The result is recorded."))
            return redirect("grades:differences")
    title = _("Result of %(discipline)s for %(student)s") % {
        "discipline": difference.discipline,
        "student": difference.student.user.get_full_name(),
    }
    return render(
        request,
        "grades/sheets/form.html",
        {
            "form": form,
            "title": title,
            "button": _("Save"),
            "cancel_url": reverse("grades:differences"),
        },
    )
