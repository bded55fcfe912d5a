"""Curricula pages: reference data, base plans and their grid, reports, working plans,
individual plans (the student's electives)."""

from __future__ import annotations

import copy
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from academic.curricula import actions
from academic.curricula.forms import (
    CopyForm,
    CurriculumFilterForm,
    CurriculumForm,
    CycleForm,
    DeriveForm,
    DisciplineFilterForm,
    DisciplineForm,
    ElectiveBlockForm,
    IndividualPlanForm,
    LineForm,
    SettingsForm,
    WorkingLineForm,
    WorkingPlanFilterForm,
)
from academic.curricula.models import ControlForm, Cycle
from academic.curricula.permissions import (
    access_curricula,
    access_curriculum,
    access_curriculum_line,
    access_discipline,
    access_elective_block,
    access_individual_plan,
    access_working_plan,
    access_working_plan_line,
    may_write_curricula,
    read_scopes,
)
from academic.curricula.selectors import (
    curricula_list,
    curriculum_grid,
    curriculum_lines,
    curriculum_norms,
    curriculum_problems,
    cycle_totals,
    cycles_list,
    department_totals,
    disciplines_list,
    elective_blocks_of,
    individual_plans_list,
    individual_plans_of,
    semester_totals,
    working_plan_lines,
    working_plans_list,
)
from hub.errors import DomainError
from hub.exports import export_response, requested_format

PAGE_SIZE = 50


def _show_errors(form, error: DomainError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _form_page(request: HttpRequest, form, title: str, back: str) -> HttpResponse:
    if form.errors:
        messages.error(request, _("Please correct the errors below."))
    context = {"form": form, "title": title, "back": back}
    return render(request, "curricula/form.html", context)


def _edit(
    request: HttpRequest,
    *,
    form_class: type,
    title: str,
    save: Callable[..., models.Model],
    after: Callable[[models.Model], HttpResponse],
    back: str,
    instance: models.Model | None = None,
) -> HttpResponse:
    """Show `form_class`; on a valid POST call `save(**cleaned_data)` and go on with `after`.

    The form works on a copy, so the action snapshots the object as it was.
    """
    form = form_class(request.POST or None, instance=copy.copy(instance) if instance else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(**form.cleaned_data)
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return after(saved)
    return _form_page(request, form, title, back)


# --- Reference data ---------------------------------------------------------------------


@login_required
def discipline_list(request: HttpRequest) -> HttpResponse:
    access_curricula(request.user)
    form = DisciplineFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    disciplines = disciplines_list(
        q=filters.get("q", ""), department=getattr(filters.get("department"), "pk", None)
    )
    if fmt := requested_format(request):
        return export_response(
            fmt=fmt,
            filename="disciplines",
            title=_("Disciplines"),
            headers=[_("Code"), _("Name (Kyrgyz)"), _("Name (Russian)"), _("Department")],
            rows=((d.code, d.name_ky, d.name_ru, d.department.name) for d in disciplines),
        )
    page = Paginator(disciplines, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "may_write": may_write_curricula(request.user)}
    return render(request, "curricula/discipline_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def discipline_create(request: HttpRequest) -> HttpResponse:
    access_curricula(request.user, write=True)
    return _edit(
        request,
        form_class=DisciplineForm,
        title=gettext_lazy("New discipline"),
        save=lambda **data: actions.discipline_create(
            by=request.user, **{k: v for k, v in data.items() if k != "is_active"}
        ),
        after=lambda _saved: redirect("curricula:disciplines"),
        back=reverse("curricula:disciplines"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def discipline_edit(request: HttpRequest, discipline_id: int) -> HttpResponse:
    discipline = access_discipline(request.user, discipline_id, write=True)
    return _edit(
        request,
        form_class=DisciplineForm,
        title=_("Discipline %(code)s") % {"code": discipline.code},
        instance=discipline,
        save=lambda **data: actions.discipline_update(
            by=request.user, discipline=discipline, **data
        ),
        after=lambda _saved: redirect("curricula:disciplines"),
        back=reverse("curricula:disciplines"),
    )


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    access_curricula(request.user)
    context = {"cycles": cycles_list(), "may_write": may_write_curricula(request.user)}
    return render(request, "curricula/cycle_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    access_curricula(request.user, write=True)
    return _edit(
        request,
        form_class=CycleForm,
        title=gettext_lazy("New cycle"),
        save=lambda **data: actions.cycle_create(by=request.user, **data),
        after=lambda _saved: redirect("curricula:cycles"),
        back=reverse("curricula:cycles"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_edit(request: HttpRequest, cycle_id: int) -> HttpResponse:
    access_curricula(request.user, write=True)
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404(_("Page not found."))
    return _edit(
        request,
        form_class=CycleForm,
        title=_("Cycle %(code)s") % {"code": cycle.code},
        instance=cycle,
        save=lambda **data: actions.cycle_update(by=request.user, cycle=cycle, **data),
        after=lambda _saved: redirect("curricula:cycles"),
        back=reverse("curricula:cycles"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def norms_edit(request: HttpRequest) -> HttpResponse:
    access_curricula(request.user, write=True)
    return _edit(
        request,
        form_class=SettingsForm,
        title=gettext_lazy("Curriculum norms"),
        instance=curriculum_norms(),
        save=lambda **data: actions.curriculum_settings_update(by=request.user, **data),
        after=lambda _saved: redirect("curricula:list"),
        back=reverse("curricula:list"),
    )


# --- Base plans -------------------------------------------------------------------------


@login_required
def curriculum_list(request: HttpRequest) -> HttpResponse:
    access_curricula(request.user)
    form = CurriculumFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    curricula = curricula_list(
        scopes=read_scopes(request.user),
        specialty=getattr(filters.get("specialty"), "pk", None),
        intake_year=filters.get("intake_year"),
        system=filters.get("system", ""),
        status=filters.get("status", ""),
        q=filters.get("q", ""),
    )
    if fmt := requested_format(request):
        return export_response(
            fmt=fmt,
            filename="curricula",
            title=_("Curricula"),
            headers=[
                _("Specialty"),
                _("Intake year"),
                _("Study form"),
                _("System"),
                _("Status"),
                _("Lines"),
            ],
            rows=(
                (
                    f"{c.specialty.code} {c.specialty.name}",
                    c.intake_year,
                    c.get_study_form_display(),
                    c.get_system_display(),
                    c.get_status_display(),
                    c.line_count,
                )
                for c in curricula
            ),
        )
    page = Paginator(curricula, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "may_write": may_write_curricula(request.user)}
    return render(request, "curricula/curriculum_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_create(request: HttpRequest) -> HttpResponse:
    access_curricula(request.user, write=True)
    return _edit(
        request,
        form_class=CurriculumForm,
        title=gettext_lazy("New curriculum"),
        save=lambda **data: actions.curriculum_create(by=request.user, **data),
        after=lambda saved: redirect("curricula:detail", curriculum_id=saved.pk),
        back=reverse("curricula:list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_edit(request: HttpRequest, curriculum_id: int) -> HttpResponse:
    curriculum = access_curriculum(request.user, curriculum_id, write=True)
    return _edit(
        request,
        form_class=CurriculumForm,
        title=_("Curriculum %(plan)s") % {"plan": curriculum},
        instance=curriculum,
        save=lambda **data: actions.curriculum_update(
            by=request.user, curriculum=curriculum, **data
        ),
        after=lambda saved: redirect("curricula:detail", curriculum_id=saved.pk),
        back=reverse("curricula:detail", args=[curriculum.pk]),
    )


def _grid_rows(curriculum, grid) -> list[list]:
    rows = []
    for group in grid:
        for entry in group.lines:
            line = entry.line
            cells = ["" if cell is None else _cell_text(curriculum, cell) for cell in entry.cells]
            rows.append(
                [
                    group.cycle.name,
                    line.discipline.code,
                    line.discipline.name,
                    line.get_component_display(),
                    line.department.code,
                    line.credits,
                    line.total_hours,
                    line.lecture_hours,
                    line.practice_hours,
                    line.lab_hours,
                    line.independent_hours,
                    *cells,
                ]
            )
    return rows


def _cell_text(curriculum, cell) -> str:
    amount = cell.credits if curriculum.is_credit else cell.hours
    forms = ", ".join(str(ControlForm(form).label) for form in cell.control_forms)
    return f"{amount} ({forms})" if forms else str(amount)


@login_required
def curriculum_detail(request: HttpRequest, curriculum_id: int) -> HttpResponse:
    curriculum = access_curriculum(request.user, curriculum_id)
    grid = curriculum_grid(curriculum)
    semesters = list(range(1, curriculum.semesters + 1))
    if fmt := requested_format(request):
        headers = [_("Cycle"), _("Code"), _("Discipline"), _("Component"), _("Department")]
        headers += [_("Credits"), _("Total hours"), _("Lecture"), _("Practice"), _("Lab")]
        headers += [_("Independent work")]
        headers += [_("Semester %(n)d") % {"n": n} for n in semesters]
        return export_response(
            fmt=fmt,
            filename=f"curriculum-{curriculum.specialty.code}-{curriculum.intake_year}",
            title=_("Curriculum %(plan)s") % {"plan": curriculum},
            headers=headers,
            rows=_grid_rows(curriculum, grid),
        )
    may_write = may_write_curricula(request.user)
    context = {
        "curriculum": curriculum,
        "grid": grid,
        "semesters": semesters,
        "blocks": curriculum.blocks.all(),
        "problems": curriculum_problems(curriculum)
        if may_write and not curriculum.is_approved
        else [],
        "may_edit": may_write and not curriculum.is_approved,
        "may_write": may_write,
    }
    return render(request, "curricula/curriculum_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_approve(request: HttpRequest, curriculum_id: int) -> HttpResponse:
    curriculum = access_curriculum(request.user, curriculum_id, write=True)
    back = reverse("curricula:detail", args=[curriculum.pk])
    if request.method == "GET":
        question = _(
            "Approve curriculum %(plan)s? An approved curriculum is frozen: its lines "
            "can no longer be changed, and working plans are made from it."
        ) % {"plan": curriculum}
        context = {"question": question, "button": _("Approve"), "cancel_url": back}
        return render(request, "confirm.html", context)
    try:
        actions.curriculum_approve(by=request.user, curriculum=curriculum)
    except DomainError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The curriculum is approved."))
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def curriculum_copy(request: HttpRequest, curriculum_id: int) -> HttpResponse:
    curriculum = access_curriculum(request.user, curriculum_id, write=True)
    form = CopyForm(request.POST or None, initial={"intake_year": curriculum.intake_year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.curriculum_copy(
                by=request.user,
                curriculum=curriculum,
                intake_year=form.cleaned_data["intake_year"],
            )
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The copy is a new draft."))
            return redirect("curricula:detail", curriculum_id=made.pk)
    title = _("Copy %(plan)s to another intake year") % {"plan": curriculum}
    return _form_page(request, form, title, reverse("curricula:detail", args=[curriculum.pk]))


@login_required
def curriculum_report(request: HttpRequest, curriculum_id: int) -> HttpResponse:
    curriculum = access_curriculum(request.user, curriculum_id)
    lines = curriculum_lines(curriculum)
    totals = list(semester_totals(curriculum, lines).values())
    cycles = cycle_totals(lines)
    departments = department_totals(lines)
    headers = [_("Semester"), _("Lecture"), _("Practice"), _("Lab"), _("Independent work")]
    headers += [_("Total hours"), _("Credits"), _("Exams"), _("Pass/fail credits")]
    headers += [_("Differentiated credits"), _("Courseworks")]
    rows = [
        [
            t.semester,
            t.hours.lecture,
            t.hours.practice,
            t.hours.lab,
            t.hours.independent,
            t.hours.total,
            t.credits,
            t.exams,
            t.pass_fail,
            t.differentiated,
            t.courseworks,
        ]
        for t in totals
    ]
    if fmt := requested_format(request):
        cycle_rows = [[c.cycle.name, "", "", "", "", c.hours, c.credits] for c in cycles]
        return export_response(
            fmt=fmt,
            filename=f"curriculum-summary-{curriculum.specialty.code}-{curriculum.intake_year}",
            title=_("Summary of curriculum %(plan)s") % {"plan": curriculum},
            headers=headers,
            rows=[*rows, *([[*row, "", "", "", ""] for row in cycle_rows])],
        )
    chart = {
        "labels": [str(t.semester) for t in totals],
        "series": [
            {"label": str(_("Lecture")), "data": [t.hours.lecture for t in totals]},
            {"label": str(_("Practice")), "data": [t.hours.practice for t in totals]},
            {"label": str(_("Lab")), "data": [t.hours.lab for t in totals]},
            {"label": str(_("Independent work")), "data": [t.hours.independent for t in totals]},
        ],
        "credits": {"label": str(_("Credits")), "data": [t.credits for t in totals]},
    }
    context = {
        "curriculum": curriculum,
        "headers": headers,
        "rows": rows,
        "cycles": cycles,
        "departments": departments,
        "chart": chart,
        "total_credits": sum(t.credits for t in totals),
        "total_hours": sum(t.hours.total for t in totals),
    }
    return render(request, "curricula/curriculum_report.html", context)


# --- Lines and elective blocks ------------------------------------------------------------


def _line_page(request: HttpRequest, curriculum, form, title: str) -> HttpResponse:
    if form.errors:
        messages.error(request, _("Please correct the errors below."))
    semester_fields = [
        (
            n,
            form[f"s{n}_amount"],
            form[f"s{n}_control"],
            form[f"s{n}_coursework"],
        )
        for n in range(1, curriculum.semesters + 1)
    ]
    main_fields = [form[name] for name in LineForm.base_fields]
    context = {
        "form": form,
        "title": title,
        "curriculum": curriculum,
        "main_fields": main_fields,
        "semester_fields": semester_fields,
    }
    return render(request, "curricula/line_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def line_create(request: HttpRequest, curriculum_id: int) -> HttpResponse:
    curriculum = access_curriculum(request.user, curriculum_id, write=True)
    form = LineForm(request.POST or None, curriculum=curriculum)
    if request.method == "POST" and form.is_valid():
        try:
            actions.curriculum_line_create(
                by=request.user,
                curriculum=curriculum,
                semesters=form.semester_parts(),
                **form.line_values(),
            )
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The line is saved."))
            return redirect("curricula:detail", curriculum_id=curriculum.pk)
    return _line_page(request, curriculum, form, _("New line of %(plan)s") % {"plan": curriculum})


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request: HttpRequest, line_id: int) -> HttpResponse:
    line = access_curriculum_line(request.user, line_id, write=True)
    curriculum = line.curriculum
    form = LineForm(request.POST or None, curriculum=curriculum, initial=LineForm.initial_for(line))
    if request.method == "POST" and form.is_valid():
        try:
            actions.curriculum_line_update(
                by=request.user, line=line, semesters=form.semester_parts(), **form.line_values()
            )
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The line is saved."))
            return redirect("curricula:detail", curriculum_id=curriculum.pk)
    title = _("%(discipline)s in %(plan)s") % {"discipline": line.discipline, "plan": curriculum}
    return _line_page(request, curriculum, form, title)


@login_required
@require_http_methods(["GET", "POST"])
def line_delete(request: HttpRequest, line_id: int) -> HttpResponse:
    line = access_curriculum_line(request.user, line_id, write=True)
    back = reverse("curricula:detail", args=[line.curriculum_id])
    if request.method == "GET":
        question = _("Take %(discipline)s out of the curriculum?") % {"discipline": line.discipline}
        context = {"question": question, "button": _("Remove the line"), "cancel_url": back}
        return render(request, "confirm.html", context)
    try:
        actions.curriculum_line_delete(by=request.user, line=line)
    except DomainError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The line is removed."))
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def block_create(request: HttpRequest, curriculum_id: int) -> HttpResponse:
    curriculum = access_curriculum(request.user, curriculum_id, write=True)
    return _edit(
        request,
        form_class=ElectiveBlockForm,
        title=_("New elective block of %(plan)s") % {"plan": curriculum},
        save=lambda **data: actions.elective_block_create(
            by=request.user, curriculum=curriculum, **data
        ),
        after=lambda _saved: redirect("curricula:detail", curriculum_id=curriculum.pk),
        back=reverse("curricula:detail", args=[curriculum.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def block_edit(request: HttpRequest, block_id: int) -> HttpResponse:
    block = access_elective_block(request.user, block_id, write=True)
    return _edit(
        request,
        form_class=ElectiveBlockForm,
        title=_("Elective block %(name)s") % {"name": block.name},
        instance=block,
        save=lambda **data: actions.elective_block_update(by=request.user, block=block, **data),
        after=lambda _saved: redirect("curricula:detail", curriculum_id=block.curriculum_id),
        back=reverse("curricula:detail", args=[block.curriculum_id]),
    )


# --- Working plans ----------------------------------------------------------------------


@login_required
def working_plan_list(request: HttpRequest) -> HttpResponse:
    access_curricula(request.user)
    form = WorkingPlanFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    curriculum = request.GET.get("curriculum", "")
    plans = working_plans_list(
        scopes=read_scopes(request.user),
        academic_year=getattr(filters.get("academic_year"), "pk", None),
        curriculum=int(curriculum) if curriculum.isdigit() else None,
    )
    if fmt := requested_format(request):
        return export_response(
            fmt=fmt,
            filename="working-plans",
            title=_("Working plans"),
            headers=[_("Academic year"), _("Curriculum"), _("Semester"), _("Status"), _("Lines")],
            rows=(
                (
                    p.academic_year.name,
                    f"{p.curriculum.specialty.code} {p.curriculum.specialty.name} "
                    f"({p.curriculum.intake_year})",
                    p.semester,
                    p.get_status_display(),
                    p.line_count,
                )
                for p in plans
            ),
        )
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "curricula/working_plan_list.html", {"form": form, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def working_plan_derive(request: HttpRequest, curriculum_id: int) -> HttpResponse:
    curriculum = access_curriculum(request.user, curriculum_id, write=True)
    form = DeriveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.working_plan_derive(
                by=request.user, curriculum=curriculum, **form.cleaned_data
            )
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The working plan is made from the curriculum."))
            return redirect("curricula:working-plan", plan_id=plan.pk)
    title = _("Working plan of %(plan)s") % {"plan": curriculum}
    return _form_page(request, form, title, reverse("curricula:detail", args=[curriculum.pk]))


@login_required
def working_plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_working_plan(request.user, plan_id)
    lines = list(working_plan_lines(plan))
    if fmt := requested_format(request):
        return export_response(
            fmt=fmt,
            filename=f"working-plan-{plan.curriculum.specialty.code}-{plan.semester}",
            title=_("Working plan %(plan)s") % {"plan": plan},
            headers=[
                _("Discipline"),
                _("Department"),
                _("Lecture"),
                _("Practice"),
                _("Lab"),
                _("Independent work"),
                _("Credits"),
                _("Control"),
            ],
            rows=(
                (
                    line.discipline.name,
                    line.department.code,
                    line.lecture_hours,
                    line.practice_hours,
                    line.lab_hours,
                    line.independent_hours,
                    line.credits,
                    ", ".join(str(ControlForm(f).label) for f in line.control_forms),
                )
                for line in lines
            ),
        )
    may_write = may_write_curricula(request.user)
    context = {
        "plan": plan,
        "lines": lines,
        "may_edit": may_write and plan.status != "approved",
    }
    return render(request, "curricula/working_plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def working_plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_working_plan(request.user, plan_id, write=True)
    back = reverse("curricula:working-plan", args=[plan.pk])
    if request.method == "GET":
        question = _(
            "Approve working plan %(plan)s? Its lines can no longer be changed afterwards."
        ) % {"plan": plan}
        context = {"question": question, "button": _("Approve"), "cancel_url": back}
        return render(request, "confirm.html", context)
    try:
        actions.working_plan_approve(by=request.user, plan=plan)
    except DomainError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The working plan is approved."))
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def working_line_edit(request: HttpRequest, line_id: int) -> HttpResponse:
    line = access_working_plan_line(request.user, line_id, write=True)
    plan_id = line.working_plan_id
    return _edit(
        request,
        form_class=WorkingLineForm,
        title=_("%(discipline)s in the working plan") % {"discipline": line.discipline},
        instance=line,
        save=lambda **data: actions.working_plan_line_update(by=request.user, line=line, **data),
        after=lambda _saved: redirect("curricula:working-plan", plan_id=plan_id),
        back=reverse("curricula:working-plan", args=[plan_id]),
    )


# --- Individual plans -------------------------------------------------------------------


@login_required
def individual_plan_list(request: HttpRequest) -> HttpResponse:
    access_curricula(request.user)
    plans = individual_plans_list(scopes=read_scopes(request.user))
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "may_write": may_write_curricula(request.user)}
    return render(request, "curricula/individual_plan_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def individual_plan_create(request: HttpRequest) -> HttpResponse:
    access_curricula(request.user, write=True)
    form = IndividualPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.individual_plan_open(by=request.user, **form.cleaned_data)
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The individual plan is open."))
            return redirect("curricula:individual-plans")
    title = _("New individual study plan")
    return _form_page(request, form, title, reverse("curricula:individual-plans"))


@login_required
def my_plans(request: HttpRequest) -> HttpResponse:
    """The signed-in student's own individual plans: where they choose electives."""
    context = {"plans": individual_plans_of(request.user)}
    return render(request, "curricula/my_plans.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def individual_plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_individual_plan(request.user, plan_id)
    own = plan.student_id == request.user.pk
    errors: list[str] = []
    if request.method == "POST":
        plan = access_individual_plan(request.user, plan_id, write=True)
        wanted = {int(pk) for pk in request.POST.getlist("line") if pk.isdigit()}
        lines = list(plan.curriculum.lines.filter(pk__in=wanted))
        if len(lines) != len(wanted):
            errors = [_("Only the electives of your curriculum can be chosen.")]
        else:
            try:
                actions.individual_plan_choose(by=request.user, plan=plan, lines=lines)
            except DomainError as error:
                errors = error.messages
            else:
                messages.success(request, _("Your electives are saved."))
                return redirect("curricula:individual-plan", plan_id=plan.pk)
        messages.error(request, _("Please correct the errors below."))
    blocks = elective_blocks_of(plan)
    if errors:
        chosen = {int(pk) for pk in request.POST.getlist("line") if pk.isdigit()}
        for block in blocks:
            block.chosen = chosen
    context = {"plan": plan, "blocks": blocks, "own": own, "errors": errors}
    return render(request, "curricula/individual_plan_detail.html", context)
