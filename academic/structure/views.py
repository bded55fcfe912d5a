"""Structure pages of the back office: overview, groups, and the records office's forms."""

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

from academic.structure import actions
from academic.structure.forms import (
    CuratorForm,
    DepartmentForm,
    FacultyForm,
    GroupFilterForm,
    GroupForm,
    SpecialtyForm,
)
from academic.structure.models import Department, Faculty, Specialty
from academic.structure.permissions import (
    access_group,
    access_structure,
    may_write_structure,
    read_scopes,
)
from academic.structure.selectors import group_curatorships, groups_list, structure_overview
from hub.errors import DomainError

PAGE_SIZE = 50


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    access_structure(request.user)
    context = {
        "faculties": structure_overview(scopes=read_scopes(request.user)),
        "may_write": may_write_structure(request.user),
    }
    return render(request, "structure/overview.html", context)


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    access_structure(request.user)
    form = GroupFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    groups = groups_list(
        scopes=read_scopes(request.user),
        faculty=getattr(filters.get("faculty"), "pk", None),
        specialty=getattr(filters.get("specialty"), "pk", None),
        course=filters.get("course"),
        study_form=filters.get("study_form", ""),
        language=filters.get("language", ""),
        q=filters.get("q", ""),
    )
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "may_write": may_write_structure(request.user)}
    return render(request, "structure/group_list.html", context)


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id)
    context = {
        "group": group,
        "curatorships": group_curatorships(group=group),
        "subgroups": group.subgroups.all(),
        "may_write": may_write_structure(request.user),
    }
    return render(request, "structure/group_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_curator(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id, write=True)
    form = CuratorForm(request.POST or None, initial={"curator": group.curator_id})
    if request.method == "POST" and form.is_valid():
        try:
            actions.group_assign_curator(
                by=request.user,
                group=group,
                curator=form.cleaned_data["curator"],
                on=form.cleaned_data["valid_from"],
            )
        except DomainError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The curator is saved."))
            return redirect("structure:group", group_id=group.pk)
    if form.errors:
        messages.error(request, _("Please correct the errors below."))
    title = _("Curator of group %(name)s") % {"name": group.name}
    return render(request, "structure/form.html", {"form": form, "title": title})


# --- The records office's forms ------------------------------------------------------


def _edit(
    request: HttpRequest,
    *,
    form_class: type,
    title: str,
    save: Callable[..., models.Model],
    instance: models.Model | None = None,
    after: Callable[[models.Model], HttpResponse],
) -> HttpResponse:
    """Show `form_class`; on a valid POST call `save(**cleaned_data)` and go on with `after`.

    The form works on a copy, so the action snapshots the object as it was.
    """
    access_structure(request.user, write=True)
    form = form_class(request.POST or None, instance=copy.copy(instance) if instance else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(**form.cleaned_data)
        except DomainError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved."))
            return after(saved)
    if form.errors:
        messages.error(request, _("Please correct the errors below."))
    return render(request, "structure/form.html", {"form": form, "title": title})


def _get(model: type[models.Model], pk: int) -> models.Model:
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise Http404(_("Page not found."))
    return found


def _to_overview(_saved: models.Model) -> HttpResponse:
    return redirect("structure:overview")


def _to_group(group: models.Model) -> HttpResponse:
    return redirect("structure:group", group_id=group.pk)


@login_required
@require_http_methods(["GET", "POST"])
def faculty_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=FacultyForm,
        title=gettext_lazy("New faculty"),
        save=lambda **data: actions.faculty_create(by=request.user, **data),
        after=_to_overview,
    )


@login_required
@require_http_methods(["GET", "POST"])
def faculty_edit(request: HttpRequest, faculty_id: int) -> HttpResponse:
    access_structure(request.user, write=True)
    faculty = _get(Faculty, faculty_id)
    return _edit(
        request,
        form_class=FacultyForm,
        title=_("Faculty %(name)s") % {"name": faculty.name},
        instance=faculty,
        save=lambda **data: actions.faculty_update(by=request.user, faculty=faculty, **data),
        after=_to_overview,
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=DepartmentForm,
        title=gettext_lazy("New department"),
        save=lambda **data: actions.department_create(by=request.user, **data),
        after=_to_overview,
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, department_id: int) -> HttpResponse:
    access_structure(request.user, write=True)
    department = _get(Department, department_id)
    return _edit(
        request,
        form_class=DepartmentForm,
        title=_("Department %(name)s") % {"name": department.name},
        instance=department,
        save=lambda **data: actions.department_update(
            by=request.user, department=department, **data
        ),
        after=_to_overview,
    )


@login_required
@require_http_methods(["GET", "POST"])
def specialty_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=SpecialtyForm,
        title=gettext_lazy("New specialty"),
        save=lambda **data: actions.specialty_create(by=request.user, **data),
        after=_to_overview,
    )


@login_required
@require_http_methods(["GET", "POST"])
def specialty_edit(request: HttpRequest, specialty_id: int) -> HttpResponse:
    access_structure(request.user, write=True)
    specialty = _get(Specialty, specialty_id)
    return _edit(
        request,
        form_class=SpecialtyForm,
        title=_("Specialty %(code)s") % {"code": specialty.code},
        instance=specialty,
        save=lambda **data: actions.specialty_update(by=request.user, specialty=specialty, **data),
        after=_to_overview,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=GroupForm,
        title=gettext_lazy("New group"),
        save=lambda **data: actions.group_create(by=request.user, **data),
        after=_to_group,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id, write=True)
    return _edit(
        request,
        form_class=GroupForm,
        title=_("Group %(name)s") % {"name": group.name},
        instance=group,
        save=lambda **data: actions.group_update(by=request.user, group=group, **data),
        after=_to_group,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_deactivate(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id, write=True)
    if request.method == "GET":
        question = _(
            "Close group %(name)s? It stays in the records with its history, "
            "but it no longer appears among the active groups."
        ) % {"name": group.name}
        context = {
            "question": question,
            "button": _("Close the group"),
            "cancel_url": reverse("structure:group", args=[group.pk]),
        }
        return render(request, "confirm.html", context)
    try:
        actions.group_deactivate(by=request.user, group=group)
    except DomainError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The group is closed."))
    return redirect("structure:group", group_id=group.pk)
