"""Pages of the electronic journal (TC-2, GB-2): course lists, the grid, its cells, lessons,
the checkpoint plan, and a student's (or a parent's) "My grades"."""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academic.grades.actions import journal as actions
from academic.grades.models import (
    AttendanceMark,
    Checkpoint,
    CheckpointKind,
    Course,
    Lesson,
    LessonKind,
)
from academic.grades.permissions import (
    access_course,
    access_student_grades,
    is_teacher,
    may_read_grades_office,
    may_write_course,
    visible_courses,
)
from academic.grades.scoring import parse_score
from academic.grades.selectors import journal as selectors
from academic.records.models import Student
from academic.structure.models import Term
from hub.accounts.models import Cabinet
from hub.errors import DomainError
from hub.exports import export_response, requested_format

PAGE_SIZE = 50
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- Forms ---------------------------------------------------------------------------------


class CourseFilterForm(forms.Form):
    term = forms.ModelChoiceField(
        label=gettext_lazy("Term"),
        required=False,
        queryset=Term.objects.select_related("academic_year").order_by("-starts_on"),
    )
    group = forms.CharField(label=gettext_lazy("Group"), required=False, max_length=32)
    q = forms.CharField(label=gettext_lazy("Discipline or teacher"), required=False, max_length=64)


class CheckpointForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=128)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CheckpointKind.choices)
    max_score = forms.IntegerField(label=gettext_lazy("Maximum score"), min_value=1, max_value=100)
    work_kinds = forms.CharField(
        label=gettext_lazy("Kinds of work"), required=False, max_length=255
    )


CheckpointFormSet = forms.formset_factory(CheckpointForm, extra=1, can_delete=True)


class AdmissionForm(forms.Form):
    admission_minimum = forms.IntegerField(
        label=gettext_lazy("Minimum for exam admission"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("Empty: the institution's minimum."),
    )


class LessonForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=LessonKind.choices)
    topic = forms.CharField(label=gettext_lazy("Topic"), required=False, max_length=255)
    checkpoint = forms.ModelChoiceField(
        label=gettext_lazy("Checkpoint"),
        required=False,
        queryset=Checkpoint.objects.none(),
        help_text=gettext_lazy("Scores given in this lesson count towards this checkpoint."),
    )
    max_score = forms.IntegerField(
        label=gettext_lazy("Maximum score"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=gettext_lazy("0: attendance only."),
    )

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkpoint"].queryset = Checkpoint.objects.filter(
            course=course, kind=CheckpointKind.CURRENT
        ).order_by("order")


def _form_errors(form, error: DomainError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- Lists of courses -------------------------------------------------------------------------


@login_required
@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    """The courses whose journal the user reads: a teacher's own, an office's within its scope."""
    teacher = is_teacher(request.user)
    if not (teacher or may_read_grades_office(request.user)):
        raise Http404(_("Page not found."))
    form = CourseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    term = filters.get("term")
    if not request.GET:
        term = selectors.current_term()
        form = CourseFilterForm(initial={"term": term})
    rows = selectors.course_rows(
        visible_courses(request.user),
        term=term.pk if term else None,
        group=filters.get("group", ""),
        q=filters.get("q", ""),
    )
    context = {
        "form": form,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, "grades/journal/course_list.html", context)


# --- The grid ----------------------------------------------------------------------------------


@login_required
@require_GET
def journal(request: HttpRequest, course_id: int) -> HttpResponse:
    """The journal grid: edited by the teacher and the faculty's deanery, read by the offices."""
    course = access_course(request.user, course_id)
    grid = selectors.journal_grid(course)
    fmt = requested_format(request)
    if fmt:
        return _export_journal(fmt, grid)
    writable = may_write_course(request.user, course)
    _render_cells(grid, writable and not grid.closed)
    context = {
        "course": course,
        "grid": grid,
        "may_write": writable and not grid.closed,
        "may_plan": writable,
        "marks": AttendanceMark.choices,
        "mark_letters": selectors.MARK_LETTERS.items(),
        "columns": len(grid.lessons),
    }
    return render(request, "grades/journal/grid.html", context)


def _trim(points: Decimal) -> str:
    """7.50 → "7.5", 8.00 → "8": as the grid's script shows numbers."""
    return f"{points:.2f}".rstrip("0").rstrip(".")


def _render_cells(grid: selectors.Grid, writable: bool) -> None:
    """Set `cells_html` on each row: its lesson cells and totals, built here, not in the template.

    The grid is the journal's hot page (40 students × 20 lessons is 800 cells
    of two inputs); string building costs a fraction of the template engine's
    per-cell lookups. Every value is escaped.
    """
    off = format_html('<td class="jg-off" title="{}">×</td>', _("Not in the group on this date"))
    attendance, score = conditional_escape(_("Attendance")), conditional_escape(_("Score"))
    # Per lesson: its id, its day for the labels, and whether it takes scores.
    columns = [(lesson.id, f"{lesson.date:%d.%m}", lesson.max_score) for lesson in grid.lessons]
    for row in grid.rows:
        name = conditional_escape(row.student.full_name)
        parts = []
        for (lesson_id, day, maximum), (_lesson, cell) in zip(columns, row.cells, strict=True):
            if not cell.on_roll:
                parts.append(off)
                continue
            value = "" if cell.score is None else _trim(cell.score)
            if writable:
                parts.append(
                    f'<td><input class="jg-in jg-mark" data-field="mark" data-lesson="{lesson_id}"'
                    f' data-version="{cell.mark_version}" value="{cell.letter}" maxlength="1"'
                    f' autocomplete="off" aria-label="{attendance}: {name}, {day}">'
                )
                if maximum:
                    parts.append(
                        f'<input class="jg-in jg-score" data-field="score" data-lesson="{lesson_id}"'
                        f' data-version="{cell.score_version}" data-max="{maximum}"'
                        f' value="{value}" inputmode="decimal" autocomplete="off"'
                        f' aria-label="{score}: {name}, {day}">'
                    )
            else:
                parts.append(
                    f'<td><span data-field="mark" data-lesson="{lesson_id}">{cell.letter}</span>'
                )
                if maximum:
                    parts.append(
                        f' <span data-field="score" data-lesson="{lesson_id}">{value}</span>'
                    )
            parts.append("</td>")
        parts += [
            f'<td data-total="{checkpoint.pk}">{_trim(points)}</td>'
            for checkpoint, points in row.checkpoint_totals
        ]
        parts.append(f'<td class="jg-total" data-total="all">{_trim(row.total)}</td>')
        row.cells_html = mark_safe("".join(parts))  # noqa: S308 - built from escaped values


def _export_journal(fmt: str, grid: selectors.Grid) -> HttpResponse:
    headers = [_("Student")]
    for lesson in grid.lessons:
        headers.append(f"{lesson.date:%d.%m} {lesson.get_kind_display()}")
    headers += [c.name for c in grid.checkpoints] + [_("Total")]
    marks = dict(AttendanceMark.choices)

    def text(cell: selectors.Cell) -> str:
        parts = [str(marks[cell.mark]) if cell.mark else ""]
        if cell.score is not None:
            parts.append(str(cell.score))
        return " ".join(p for p in parts if p)

    rows = (
        [row.student.full_name]
        + [text(cell) if cell.on_roll else "×" for _lesson, cell in row.cells]
        + [points for _c, points in row.checkpoint_totals]
        + [row.total]
        for row in grid.rows
    )
    course = grid.course
    title = _("Journal: %(discipline)s, %(group)s") % {
        "discipline": course.discipline,
        "group": course.group.name,
    }
    return export_response(fmt=fmt, filename="journal", title=title, headers=headers, rows=rows)


@login_required
@require_GET
def journal_data(request: HttpRequest, course_id: int) -> JsonResponse:
    """The grid's cells and totals as JSON: an open grid resynchronises with it."""
    course = access_course(request.user, course_id)
    return JsonResponse(selectors.grid_payload(selectors.journal_grid(course)))


def _body(request: HttpRequest) -> dict:
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}
    return request.POST.dict()


def _version(value) -> int | None:
    try:
        version = int(value)
    except (TypeError, ValueError):
        return None
    return version if version >= 0 else None


_decimal = actions.points_text


@login_required
@require_POST
def journal_cell(request: HttpRequest, course_id: int) -> JsonResponse:
    """Save one cell: {"lesson", "student", "field": "mark"|"score", "value", "version"}.

    200 with the value, version and the student's totals; 409 with the current
    value and version when someone else changed the cell first; 400 with the
    reason for anything the journal refuses.
    """
    course = access_course(request.user, course_id, write=True)
    body = _body(request)
    lesson = selectors.lesson_of_course(course, body.get("lesson"))
    if lesson is None:
        return JsonResponse(
            {"detail": _("This lesson is not in this course's journal.")}, status=400
        )
    student = selectors.student_of_group(body.get("student"))
    if student is None:
        return JsonResponse({"detail": _("No such student.")}, status=400)
    version = _version(body.get("version"))
    if version is None:
        return JsonResponse({"detail": _("The cell's version is missing.")}, status=400)
    field = body.get("field")
    value = body.get("value")
    try:
        if field == "mark":
            result = actions.attendance_set(
                by=request.user,
                lesson=lesson,
                student=student,
                mark=value or None,
                expected_version=version,
            )
        elif field == "score":
            result = actions.journal_score_set(
                by=request.user,
                lesson=lesson,
                student=student,
                value=parse_score(value),
                expected_version=version,
            )
        else:
            return JsonResponse({"detail": _("Say which cell: mark or score.")}, status=400)
    except actions.CellConflict as conflict:
        current = conflict.value
        return JsonResponse(
            {
                "detail": str(conflict),
                "conflict": True,
                "field": field,
                "value": _decimal(current) if isinstance(current, Decimal) else current,
                "version": conflict.version,
            },
            status=409,
        )
    except DomainError as error:
        return JsonResponse({"detail": str(error)}, status=400)
    value = result.value
    return JsonResponse(
        {
            "field": field,
            "lesson": lesson.pk,
            "student": student.pk,
            "value": _decimal(value) if isinstance(value, Decimal) else value,
            "version": result.version,
            "checkpoint": result.checkpoint,
            "checkpoint_total": _decimal(result.checkpoint_total),
            "total": _decimal(result.total) if field == "score" else None,
        }
    )


# --- Checkpoint plan and lessons ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def checkpoints(request: HttpRequest, course_id: int) -> HttpResponse:
    """Edit the checkpoint plan (GB-2) and the course's admission minimum."""
    course = access_course(request.user, course_id, write=True)
    existing = list(Checkpoint.objects.filter(course=course).order_by("order"))
    initial = [
        {
            "id": c.pk,
            "name": c.name,
            "kind": c.kind,
            "max_score": c.max_score,
            "work_kinds": c.work_kinds,
        }
        for c in existing
    ]
    formset = CheckpointFormSet(request.POST or None, initial=initial, prefix="cp")
    admission = AdmissionForm(
        request.POST or None, initial={"admission_minimum": course.admission_minimum}
    )
    if request.method == "POST" and formset.is_valid() and admission.is_valid():
        drafts = [
            actions.CheckpointDraft(
                pk=data.get("id"),
                name=data["name"],
                kind=data["kind"],
                max_score=data["max_score"],
                work_kinds=data.get("work_kinds", ""),
            )
            for data in formset.cleaned_data
            if data and not data.get("DELETE")
        ]
        try:
            actions.checkpoint_plan_update(
                by=request.user,
                course=course,
                checkpoints=drafts,
                admission_minimum=admission.cleaned_data["admission_minimum"],
            )
        except DomainError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The checkpoint plan is saved."))
            return redirect("grades:journal", course_id=course.pk)
    elif request.method == "POST":
        messages.error(request, _("Please correct the errors below."))
    context = {"course": course, "formset": formset, "admission": admission}
    return render(request, "grades/journal/checkpoints.html", context)


def _lesson_form_page(request, course, form, title: str) -> HttpResponse:
    return render(
        request, "grades/journal/lesson_form.html", {"course": course, "form": form, "title": title}
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_create(request: HttpRequest, course_id: int) -> HttpResponse:
    """Add a lesson (a column of the journal)."""
    course = access_course(request.user, course_id, write=True)
    form = LessonForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            actions.lesson_create(by=request.user, course=course, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The lesson is added."))
            return redirect("grades:journal", course_id=course.pk)
    return _lesson_form_page(request, course, form, _("New lesson"))


def _lesson(course: Course, lesson_id: int) -> Lesson:
    lesson = selectors.lesson_of_course(course, lesson_id)
    if lesson is None:
        raise Http404(_("Page not found."))
    return lesson


@login_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request: HttpRequest, course_id: int, lesson_id: int) -> HttpResponse:
    """Change a lesson's date, kind, topic, checkpoint or maximum."""
    course = access_course(request.user, course_id, write=True)
    lesson = _lesson(course, lesson_id)
    initial = {
        "date": lesson.date,
        "kind": lesson.kind,
        "topic": lesson.topic,
        "checkpoint": lesson.checkpoint_id,
        "max_score": lesson.max_score,
    }
    form = LessonForm(request.POST or None, course=course, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.lesson_update(by=request.user, lesson=lesson, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The lesson is saved."))
            return redirect("grades:journal", course_id=course.pk)
    return _lesson_form_page(
        request, course, form, _("Lesson of %(date)s") % {"date": lesson.date.strftime("%d.%m.%Y")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_delete(request: HttpRequest, course_id: int, lesson_id: int) -> HttpResponse:
    """Delete a lesson with its cells, after confirmation."""
    course = access_course(request.user, course_id, write=True)
    lesson = _lesson(course, lesson_id)
    back = reverse("grades:journal", kwargs={"course_id": course.pk})
    if request.method == "POST":
        try:
            actions.lesson_delete(by=request.user, lesson=lesson)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The lesson is deleted."))
        return redirect(back)
    question = _(
        "Delete the lesson of %(date)s with its %(cells)s filled cells? This cannot be undone."
    ) % {
        "date": lesson.date.strftime("%d.%m.%Y"),
        "cells": lesson.attendance.count() + lesson.scores.count(),
    }
    return render(
        request, "confirm.html", {"question": question, "button": _("Delete"), "cancel_url": back}
    )


# --- My grades ---------------------------------------------------------------------------------


def _whose_grades(request: HttpRequest) -> tuple[Student | None, list[Student]]:
    """The student whose grades the page shows, and the children a parent may switch between.

    `?student=<id>` names the student (a parent's child, an office's student);
    without it a student sees themselves and a parent their only child.
    """
    user = request.user
    children: list[Student] = []
    if user.cabinet == Cabinet.PARENT:
        children = list(
            Student.objects.filter(user__guardians__parent=user)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
    wanted = request.GET.get("student", "")
    if wanted:
        try:
            student_id = int(wanted)
        except ValueError:
            raise Http404(_("Page not found.")) from None
        return access_student_grades(user, student_id), children
    own = Student.objects.select_related("user").filter(user=user).first()
    if own is not None:
        return own, children
    if len(children) == 1:
        return children[0], children
    if children:
        return None, children
    raise Http404(_("Page not found."))


@login_required
@require_GET
def my_grades(request: HttpRequest) -> HttpResponse:
    """A student's courses of the current term: checkpoint totals, total, attendance; live."""
    student, children = _whose_grades(request)
    if student is None:
        return render(request, "grades/journal/my_grades.html", {"children": children})
    term = selectors.current_term()
    courses = selectors.student_courses(student, term)
    summaries = selectors.student_summaries(student, courses)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "courses": [
                    {
                        "course": s.course.pk,
                        "totals": {str(c.pk): str(p) for c, p in s.checkpoint_totals},
                        "total": str(s.total),
                        "attendance": s.attendance,
                    }
                    for s in summaries
                ]
            }
        )
    for summary in summaries:
        summary.attendance_rows = [
            (key, label, summary.attendance.get(key, 0)) for key, label in AttendanceMark.choices
        ]
    context = {
        "student": student,
        "children": children,
        "term": term,
        "summaries": summaries,
        "marks": AttendanceMark.choices,
        "own": student.user_id == request.user.pk,
    }
    return render(request, "grades/journal/my_grades.html", context)


@login_required
@require_GET
def my_course(request: HttpRequest, course_id: int) -> HttpResponse:
    """A student's own row of one course's journal, with results from tests and assignments."""
    student, _children = _whose_grades(request)
    if student is None:
        raise Http404(_("Page not found."))
    course = (
        Course.objects.select_related("discipline", "teacher", "group", "term__academic_year")
        .filter(pk=course_id)
        .first()
    )
    if course is None or course.pk not in {
        c.pk for c in selectors.student_courses(student, course.term)
    }:
        raise Http404(_("Page not found."))
    detail = selectors.student_course_detail(student, course)
    context = {
        "student": student,
        "course": course,
        "detail": detail,
        "marks": dict(AttendanceMark.choices),
        "own": student.user_id == request.user.pk,
    }
    return render(request, "grades/journal/my_course.html", context)
