"""Pages of distance learning: My courses, the course page, its content, assignments and work.

Thin: every view checks access through hub.learning.permissions, reads through
the selectors and writes through the actions; a DomainError re-renders the
form with the message.
"""

from __future__ import annotations

import mimetypes
import tempfile
import zipfile
from pathlib import PurePosixPath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academic.records.models import Student
from academic.structure.models import Group, Term
from hub.errors import DomainError
from hub.exports import ListExport, export_response, page_or_export, requested_format
from hub.learning import actions, selectors
from hub.learning.analytics import (
    analytics_search,
    assignment_chart_data,
    by_faculty,
    by_teacher,
    chart_data,
    course_figures,
    worst_first,
)
from hub.learning.forms import (
    AssignmentForm,
    CheckForm,
    MaterialForm,
    SectionForm,
    SubmissionForm,
    SyllabusForm,
)
from hub.learning.models import ECourse
from hub.learning.permissions import (
    access_analytics,
    access_assignment,
    access_assignment_file,
    access_ecourse,
    access_ecourse_analytics,
    access_material,
    access_section,
    access_submission,
    access_submission_file,
    analytics_ecourses,
    analytics_faculties,
    is_course_student,
    may_read_analytics,
    may_see_all_submissions,
    may_write_ecourse,
    student_state,
    visible_ecourses,
)

# Shown in the browser rather than saved: PDFs open in the viewer, videos and images play.
INLINE_EXTENSIONS = {"pdf", "mp4", "png", "jpg", "jpeg", "gif", "webp"}


def _posted(request):
    # An empty POST still binds the form, so a blank one shows what is missing.
    return request.POST if request.method == "POST" else None


def _bound(request) -> tuple:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _form_errors(form, error: DomainError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _serve(field, name: str) -> FileResponse:
    """A stored file, inline for PDFs, images and videos, as an attachment otherwise."""
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404(_("Page not found.")) from None
    response = FileResponse(
        handle,
        as_attachment=extension not in INLINE_EXTENSIONS,
        filename=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Lists and the course page ---------------------------------------------------------


@login_required
@require_GET
def my_courses(request: HttpRequest) -> HttpResponse:
    """My courses: a teacher's streams, a student's courses of their group, an office's."""
    ecourses = list(selectors.my_ecourses(visible_ecourses(request.user)))
    context = {"ecourses": ecourses, "may_analyse": may_read_analytics(request.user)}
    return render(request, "learning/my_courses.html", context)


@login_required
@require_GET
def course(request: HttpRequest, ecourse_id: int) -> HttpResponse:
    """The course page: syllabus, sections with materials, assignments (DL-1, DL-2, DL-4)."""
    ecourse = access_ecourse(request.user, ecourse_id)
    state = student_state(request.user) if is_course_student(request.user, ecourse) else None
    if state is not None:
        actions.course_visit_record(ecourse_id=ecourse.pk, user_id=request.user.pk)
    page = selectors.course_page(ecourse, student=state.student if state else None, state=state)
    context = {
        "ecourse": ecourse,
        "page": page,
        "groups": selectors.stream_groups(ecourse),
        "may_edit": may_write_ecourse(request.user, ecourse),
        "is_student": state is not None,
        "rows": [(a, page.submissions.get(a.pk)) for a in page.assignments],
    }
    return render(request, "learning/course.html", context)


def _form_page(request, ecourse: ECourse, form, title: str, *, multipart=False) -> HttpResponse:
    context = {"ecourse": ecourse, "form": form, "title": title, "multipart": multipart}
    return render(request, "learning/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def syllabus_edit(request: HttpRequest, ecourse_id: int) -> HttpResponse:
    """Edit the syllabus (the teacher, the distance-learning office)."""
    ecourse = access_ecourse(request.user, ecourse_id, write=True)
    form = SyllabusForm(_posted(request), initial={"syllabus": ecourse.syllabus})
    if request.method == "POST" and form.is_valid():
        actions.ecourse_update(by=request.user, ecourse=ecourse, **form.cleaned_data)
        messages.success(request, _("The syllabus is saved."))
        return redirect("learning:course", ecourse_id=ecourse.pk)
    return _form_page(request, ecourse, form, _("Syllabus"))


# --- Sections and materials ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def section_create(request: HttpRequest, ecourse_id: int) -> HttpResponse:
    ecourse = access_ecourse(request.user, ecourse_id, write=True)
    form = SectionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.section_create(by=request.user, ecourse=ecourse, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            return redirect("learning:course", ecourse_id=ecourse.pk)
    return _form_page(request, ecourse, form, _("New section"))


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section(request.user, section_id, write=True)
    initial = {
        name: getattr(section, name) for name in ("title_ky", "title_ru", "title_en", "description")
    }
    form = SectionForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.section_update(by=request.user, section=section, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            return redirect("learning:course", ecourse_id=section.ecourse_id)
    return _form_page(request, section.ecourse, form, _("Section"))


@login_required
@require_POST
def section_delete(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section(request.user, section_id, write=True)
    actions.section_delete(by=request.user, section=section)
    messages.success(request, _("The section is deleted."))
    return redirect("learning:course", ecourse_id=section.ecourse_id)


@login_required
@require_http_methods(["GET", "POST"])
def material_create(request: HttpRequest, section_id: int) -> HttpResponse:
    """Add a file, a video, a link or an external meeting to a section."""
    section = access_section(request.user, section_id, write=True)
    form = MaterialForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.material_add(by=request.user, section=section, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            return redirect("learning:course", ecourse_id=section.ecourse_id)
    return _form_page(request, section.ecourse, form, _("New material"), multipart=True)


@login_required
@require_POST
def material_delete(request: HttpRequest, material_id: int) -> HttpResponse:
    material = access_material(request.user, material_id, write=True)
    actions.material_delete(by=request.user, material=material)
    if request.headers.get("HX-Request"):
        return HttpResponse("")  # htmx removes the material's line in place
    return redirect("learning:course", ecourse_id=material.section.ecourse_id)


@login_required
@require_GET
def material_file(request: HttpRequest, material_id: int) -> FileResponse:
    """A material's file for those who read the course (PDFs and videos open inline)."""
    material = access_material(request.user, material_id)
    if not material.file:
        raise Http404(_("Page not found."))
    return _serve(material.file, material.file_name)


# --- Assignments -----------------------------------------------------------------------


def _assignment_form(request, ecourse: ECourse) -> AssignmentForm:
    group_ids = ecourse.stream_courses().values("group_id")
    students = Student.objects.filter(
        pk__in=selectors.stream_states(ecourse).values("student_id")
    ).select_related("user")
    return AssignmentForm(
        _posted(request),
        request.FILES or None,
        checkpoints=selectors.stream_checkpoints(ecourse),
        groups=Group.objects.filter(pk__in=group_ids).order_by("name"),
        students=students.order_by("user__last_name", "user__first_name"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_create(request: HttpRequest, ecourse_id: int) -> HttpResponse:
    """Give an assignment to the stream, some groups or chosen students (TC-5)."""
    ecourse = access_ecourse(request.user, ecourse_id, write=True)
    form = _assignment_form(request, ecourse)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["late_penalty"] = data.get("late_penalty") or 0
        try:
            assignment = actions.assignment_give(by=request.user, ecourse=ecourse, **data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The assignment is given."))
            return redirect("learning:assignment", assignment_id=assignment.pk)
    return _form_page(request, ecourse, form, _("New assignment"), multipart=True)


@login_required
@require_GET
def assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """An assignment: a student's own work and its form; for the teacher the submissions."""
    item = access_assignment(request.user, assignment_id)
    return _assignment_page(request, item, SubmissionForm())


def _assignment_page(request, item, form, status: int = 200) -> HttpResponse:
    ecourse = item.ecourse
    sees_all = may_see_all_submissions(request.user, ecourse)
    state = None if sees_all else student_state(request.user)
    context = {
        "ecourse": ecourse,
        "assignment": item,
        "sees_all": sees_all,
        "may_edit": may_write_ecourse(request.user, ecourse),
        "submissions": selectors.submission_rows(item) if sees_all else [],
        "audience": len(selectors.assignment_states(item)) if sees_all else 0,
        "mine": selectors.submission_of(item, state.student) if state else None,
        "form": form if state else None,
    }
    return render(request, "learning/assignment.html", context, status=status)


@login_required
@require_POST
def assignment_submit(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """A student sends (or resends) their work; refused past the deadline by the policy."""
    item = access_assignment(request.user, assignment_id, submit=True)
    form = SubmissionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.submission_submit(by=request.user, assignment=item, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your work is sent."))
            return redirect("learning:assignment", assignment_id=item.pk)
    return _assignment_page(request, item, form)


@login_required
@require_GET
def assignment_file(request: HttpRequest, file_id: int) -> FileResponse:
    row = access_assignment_file(request.user, file_id)
    return _serve(row.file, row.file_name)


@login_required
@require_GET
def submissions_zip(request: HttpRequest, assignment_id: int) -> FileResponse:
    """Every submission of an assignment in one zip: a folder per student (text and files)."""
    item = access_assignment(request.user, assignment_id)
    if not may_see_all_submissions(request.user, item.ecourse):
        raise Http404(_("Page not found."))
    # FileResponse closes the archive once sent.
    archive = tempfile.SpooledTemporaryFile(max_size=16 * 2**20)  # noqa: SIM115
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for submission in selectors.submission_rows(item):
            user = submission.student.user
            folder = f"{slugify(user.get_full_name_for('en') or user.username) or 'student'}-{submission.student.record_number}"
            if submission.text:
                zipped.writestr(f"{folder}/answer.txt", submission.text)
            for index, row in enumerate(submission.files.all(), start=1):
                try:
                    with row.file.open("rb") as handle:
                        zipped.writestr(f"{folder}/{index}-{row.file_name}", handle.read())
                except FileNotFoundError:
                    continue
    archive.seek(0)
    name = f"assignment-{item.pk}.zip"
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")


# --- Submissions -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def submission(request: HttpRequest, submission_id: int) -> HttpResponse:
    """A submission: its student reads it; the teacher checks it (score, comment, rework)."""
    item = access_submission(request.user, submission_id, write=request.method == "POST")
    may_check = may_write_ecourse(request.user, item.assignment.ecourse)
    initial = {"score": item.score if item.score is not None else "", "comment": item.comment}
    form = CheckForm(_posted(request), initial=initial) if may_check else None
    if request.method == "POST" and form.is_valid():
        try:
            actions.submission_check(by=request.user, submission=item, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The check is saved."))
            return redirect("learning:assignment", assignment_id=item.assignment_id)
    context = {"submission": item, "assignment": item.assignment, "form": form}
    return render(request, "learning/submission.html", context)


@login_required
@require_GET
def submission_file(request: HttpRequest, file_id: int) -> FileResponse:
    row = access_submission_file(request.user, file_id)
    return _serve(row.file, row.file_name)


# --- Analytics (DL-6) ------------------------------------------------------------------

ANALYTICS_PAGE_SIZE = 25


class AnalyticsFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Course or teacher"), required=False, max_length=100)
    term = forms.ModelChoiceField(
        label=gettext_lazy("Term"), queryset=Term.objects.none(), required=False
    )

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms


def _course_export_row(item) -> list:
    ecourse = item.ecourse
    return [
        ecourse.discipline.code, str(ecourse.discipline), str(ecourse.term),
        ecourse.teacher.get_full_name(), ", ".join(item.group_names), item.students,
        item.sections_filled, item.sections_planned, item.completeness, item.materials_total,
        item.assignments, item.submissions, item.submission_rate, item.on_time_rate,
        item.delay_median_hours, item.delay_mean_hours, item.not_opened_count,
        item.behind_count,
    ]  # fmt: skip


def _course_export_headers() -> list[str]:
    return [
        _("Code"), _("Discipline"), _("Term"), _("Teacher"), _("Groups"), _("Students"),
        _("Sections with materials"), _("Sections planned"), _("OMK completeness, %"),
        _("Materials"), _("Assignments"), _("Submissions"), _("Submission rate, %"),
        _("On-time rate, %"), _("Checking delay, median, h"), _("Checking delay, mean, h"),
        _("Not opened the course"), _("Behind"),
    ]  # fmt: skip


def _chart_titles() -> dict[str, str]:
    return {"submission_rate": _("Submission rate, %"), "on_time_rate": _("On-time rate, %")}


@login_required
@require_GET
def analytics(request: HttpRequest) -> HttpResponse:
    """Analytics of the e-courses the reader follows (DL-6): a teacher's own, a deanery's
    faculty's, every faculty's for institution-wide readers; worst courses first, with
    summaries per faculty and per teacher, charts; searchable, paginated, exportable."""
    access_analytics(request.user)
    visible = analytics_ecourses(request.user)
    terms = Term.objects.filter(pk__in=visible.values("term_id")).select_related("academic_year")
    form = AnalyticsFilterForm(request.GET, terms=terms.order_by("-starts_on"))
    filters = form.cleaned_data if form.is_valid() else {}
    ecourses = analytics_search(
        visible, query=filters.get("q", ""), term=filters.get("term")
    ).order_by("pk")
    items = worst_first(course_figures(ecourses))
    shown_faculties = analytics_faculties(request.user)
    faculties = [] if shown_faculties is False else by_faculty(items, faculty_ids=shown_faculties)
    shown = Paginator(items, ANALYTICS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "faculties": faculties,
        "teachers": by_teacher(items),
        "total": len(items),
        "chart": chart_data(shown.object_list, _chart_titles()) if items else None,
    }
    export = ListExport(
        filename="course-analytics",
        title=_("E-course analytics"),
        headers=_course_export_headers(),
        row=_course_export_row,
    )
    return page_or_export(
        request, items, template="learning/analytics.html", context=context, export=export,
        page_size=ANALYTICS_PAGE_SIZE,
    )  # fmt: skip


@login_required
@require_GET
def course_analytics(request: HttpRequest, ecourse_id: int) -> HttpResponse:
    """One e-course in detail (DL-6): completeness, each assignment's work and checking,
    the students who have not opened the course and those behind; exportable."""
    ecourse = access_ecourse_analytics(request.user, ecourse_id)
    [item] = course_figures(ECourse.objects.filter(pk=ecourse.pk))
    fmt = requested_format(request)
    if fmt:
        rows = (
            [
                row.assignment.title, row.assignment.deadline, row.expected, row.submitted,
                row.on_time, row.checked, row.submission_rate, row.on_time_rate,
                row.delay_median_hours,
            ]
            for row in item.assignment_rows
        )  # fmt: skip
        headers = [
            _("Assignment"), _("Deadline"), _("Expected"), _("Submitted"), _("On time"),
            _("Checked"), _("Submission rate, %"), _("On-time rate, %"),
            _("Checking delay, median, h"),
        ]  # fmt: skip
        title = _("Analytics of %(course)s") % {"course": ecourse.discipline}
        return export_response(
            fmt=fmt, filename="course-analytics", title=title, headers=headers, rows=rows
        )
    students = {state.student_id: state for state in selectors.stream_states(ecourse)}
    context = {
        "ecourse": ecourse,
        "item": item,
        "not_opened": [students[pk] for pk in item.not_opened if pk in students],
        "behind": [(students[pk], count) for pk, count in item.behind.items() if pk in students],
        "chart": assignment_chart_data(item, _chart_titles()),
    }
    return render(request, "learning/course_analytics.html", context)
