"""Structure pages of the back office: overview, groups, reference data (colleges,
academic years, rooms, the SOATE classifier) and the records office's forms."""

from __future__ import annotations

import copy
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from academic.structure import actions
from academic.structure.forms import (
    AcademicYearForm,
    CollegeForm,
    CuratorForm,
    DepartmentForm,
    FacultyForm,
    GroupFilterForm,
    GroupForm,
    RoomFilterForm,
    RoomForm,
    SoateSearchForm,
    SpecialtyForm,
    SubgroupForm,
    TermForm,
)
from academic.structure.models import (
    AcademicYear,
    College,
    Department,
    Faculty,
    Room,
    SoateUnit,
    Specialty,
    Subgroup,
    Term,
)
from academic.structure.permissions import (
    access_group,
    access_structure,
    may_write_structure,
    read_scopes,
)
from academic.structure.selectors import (
    SOATE_SEARCH_LIMIT,
    academic_years_list,
    colleges_list,
    group_curatorships,
    groups_list,
    rooms_list,
    soate_children,
    soate_display,
    soate_path,
    soate_search,
    soate_units,
    structure_overview,
)
from hub.errors import DomainError
from hub.exports import export_response, requested_format

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
    fmt = requested_format(request)
    if fmt:
        return _export_groups(fmt, groups)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "may_write": may_write_structure(request.user)}
    return render(request, "structure/group_list.html", context)


def _export_groups(fmt: str, groups) -> HttpResponse:
    headers = [
        _("Group"),
        _("Specialty"),
        _("Faculty"),
        _("Course"),
        _("Study form"),
        _("Language"),
        _("Curator"),
    ]
    rows = (
        [
            g.name,
            f"{g.specialty.code} {g.specialty.name}",
            g.specialty.department.unit.name,
            g.course,
            g.get_study_form_display(),
            g.get_language_display(),
            g.curator.get_full_name() if g.curator else "",
        ]
        for g in groups
    )
    return export_response(
        fmt=fmt, filename="groups", title=_("Groups"), headers=headers, rows=rows
    )


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


# --- Reference data: colleges, academic years, rooms ---------------------------------------


def _page(request: HttpRequest, items) -> object:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def college_list(request: HttpRequest) -> HttpResponse:
    access_structure(request.user)
    colleges = colleges_list()
    fmt = requested_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            filename="colleges",
            title=_("Colleges"),
            headers=[_("Code"), _("Name"), _("Departments")],
            rows=((c.code, c.name, c.department_count) for c in colleges),
        )
    context = {"page": _page(request, colleges), "may_write": may_write_structure(request.user)}
    return render(request, "structure/college_list.html", context)


def _to_colleges(_saved: models.Model) -> HttpResponse:
    return redirect("structure:colleges")


@login_required
@require_http_methods(["GET", "POST"])
def college_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=CollegeForm,
        title=gettext_lazy("New college"),
        save=lambda **data: actions.college_create(by=request.user, **data),
        after=_to_colleges,
    )


@login_required
@require_http_methods(["GET", "POST"])
def college_edit(request: HttpRequest, college_id: int) -> HttpResponse:
    access_structure(request.user, write=True)
    college = _get(College, college_id)
    return _edit(
        request,
        form_class=CollegeForm,
        title=_("College %(name)s") % {"name": college.name},
        instance=college,
        save=lambda **data: actions.college_update(by=request.user, college=college, **data),
        after=_to_colleges,
    )


def _term_dates(year: AcademicYear, number: int) -> str:
    for term in year.terms.all():
        if term.number == number:
            return f"{term.starts_on.isoformat()} – {term.ends_on.isoformat()}"
    return ""


@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    access_structure(request.user)
    years = academic_years_list()
    fmt = requested_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            filename="academic-years",
            title=_("Academic years"),
            headers=[
                _("Name"),
                _("Starts on"),
                _("Ends on"),
                _("Current"),
                _("Term 1"),
                _("Term 2"),
            ],
            rows=(
                (y.name, y.starts_on, y.ends_on, y.is_current, _term_dates(y, 1), _term_dates(y, 2))
                for y in years
            ),
        )
    context = {"page": _page(request, years), "may_write": may_write_structure(request.user)}
    return render(request, "structure/year_list.html", context)


def _to_years(_saved: models.Model) -> HttpResponse:
    return redirect("structure:years")


@login_required
@require_http_methods(["GET", "POST"])
def year_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=AcademicYearForm,
        title=gettext_lazy("New academic year"),
        save=lambda **data: actions.academic_year_create(by=request.user, **data),
        after=_to_years,
    )


@login_required
@require_http_methods(["GET", "POST"])
def year_edit(request: HttpRequest, year_id: int) -> HttpResponse:
    access_structure(request.user, write=True)
    year = _get(AcademicYear, year_id)
    return _edit(
        request,
        form_class=AcademicYearForm,
        title=_("Academic year %(name)s") % {"name": year.name},
        instance=year,
        save=lambda **data: actions.academic_year_update(by=request.user, year=year, **data),
        after=_to_years,
    )


@login_required
@require_http_methods(["GET", "POST"])
def year_make_current(request: HttpRequest, year_id: int) -> HttpResponse:
    access_structure(request.user, write=True)
    year = _get(AcademicYear, year_id)
    if request.method == "GET":
        question = _(
            "Make %(name)s the current academic year? The year current now stops being it."
        ) % {"name": year.name}
        context = {
            "question": question,
            "button": _("Make it current"),
            "cancel_url": reverse("structure:years"),
        }
        return render(request, "confirm.html", context)
    try:
        actions.academic_year_make_current(by=request.user, year=year)
    except DomainError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(name)s is the current academic year.") % {"name": year.name})
    return redirect("structure:years")


@login_required
@require_http_methods(["GET", "POST"])
def term_create(request: HttpRequest, year_id: int) -> HttpResponse:
    access_structure(request.user, write=True)
    year = _get(AcademicYear, year_id)
    return _edit(
        request,
        form_class=TermForm,
        title=_("New term of %(name)s") % {"name": year.name},
        save=lambda **data: actions.term_create(by=request.user, academic_year=year, **data),
        after=_to_years,
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_edit(request: HttpRequest, term_id: int) -> HttpResponse:
    access_structure(request.user, write=True)
    term = _get(Term, term_id)
    return _edit(
        request,
        form_class=TermForm,
        title=_("Term %(term)s") % {"term": term},
        instance=term,
        save=lambda **data: actions.term_update(by=request.user, term=term, **data),
        after=_to_years,
    )


@login_required
def room_list(request: HttpRequest) -> HttpResponse:
    access_structure(request.user)
    form = RoomFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rooms = rooms_list(
        building=filters.get("building", ""),
        type=filters.get("type", ""),
        min_capacity=filters.get("min_capacity"),
    )
    fmt = requested_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            filename="rooms",
            title=_("Rooms"),
            headers=[_("Building"), _("Number"), _("Type"), _("Capacity")],
            rows=((r.building, r.number, r.get_type_display(), r.capacity) for r in rooms),
        )
    context = {
        "form": form,
        "page": _page(request, rooms),
        "may_write": may_write_structure(request.user),
    }
    return render(request, "structure/room_list.html", context)


def _to_rooms(_saved: models.Model) -> HttpResponse:
    return redirect("structure:rooms")


@login_required
@require_http_methods(["GET", "POST"])
def room_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=RoomForm,
        title=gettext_lazy("New room"),
        save=lambda **data: actions.room_create(by=request.user, **data),
        after=_to_rooms,
    )


@login_required
@require_http_methods(["GET", "POST"])
def room_edit(request: HttpRequest, room_id: int) -> HttpResponse:
    access_structure(request.user, write=True)
    room = _get(Room, room_id)
    return _edit(
        request,
        form_class=RoomForm,
        title=_("Room %(room)s") % {"room": room},
        instance=room,
        save=lambda **data: actions.room_update(by=request.user, room=room, **data),
        after=_to_rooms,
    )


# --- Subgroups -----------------------------------------------------------------------------


def _subgroup_to_write(request: HttpRequest, subgroup_id: int) -> Subgroup:
    """The subgroup, if the user may keep its group (Http404 otherwise)."""
    subgroup = Subgroup.objects.filter(pk=subgroup_id).first()
    if subgroup is None:
        raise Http404(_("Page not found."))
    subgroup.group = access_group(request.user, subgroup.group_id, write=True)
    return subgroup


@login_required
@require_http_methods(["GET", "POST"])
def subgroup_create(request: HttpRequest, group_id: int) -> HttpResponse:
    group = access_group(request.user, group_id, write=True)
    return _edit(
        request,
        form_class=SubgroupForm,
        title=_("New subgroup of %(name)s") % {"name": group.name},
        save=lambda **data: actions.subgroup_create(by=request.user, group=group, **data),
        after=lambda _saved: _to_group(group),
    )


@login_required
@require_http_methods(["GET", "POST"])
def subgroup_rename(request: HttpRequest, subgroup_id: int) -> HttpResponse:
    subgroup = _subgroup_to_write(request, subgroup_id)
    return _edit(
        request,
        form_class=SubgroupForm,
        title=_("Subgroup %(name)s") % {"name": subgroup},
        instance=subgroup,
        save=lambda **data: actions.subgroup_rename(by=request.user, subgroup=subgroup, **data),
        after=lambda _saved: _to_group(subgroup.group),
    )


@login_required
@require_http_methods(["GET", "POST"])
def subgroup_delete(request: HttpRequest, subgroup_id: int) -> HttpResponse:
    subgroup = _subgroup_to_write(request, subgroup_id)
    group = subgroup.group
    if request.method == "GET":
        context = {
            "question": _("Delete subgroup %(name)s? Only an empty subgroup can be deleted.")
            % {"name": subgroup},
            "button": _("Delete the subgroup"),
            "cancel_url": reverse("structure:group", args=[group.pk]),
        }
        return render(request, "confirm.html", context)
    try:
        actions.subgroup_delete(by=request.user, subgroup=subgroup)
    except DomainError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The subgroup is deleted."))
    return _to_group(group)


# --- SOATE classifier (X-3) ------------------------------------------------------------------


def _soate_parent(request: HttpRequest) -> SoateUnit | None:
    """The unit named by ?parent= (None when absent); Http404 for an unknown one."""
    raw = request.GET.get("parent", "").strip()
    if not raw:
        return None
    parent = soate_units().filter(pk=raw).first() if raw.isdigit() else None
    if parent is None:
        raise Http404(_("Page not found."))
    return parent


@login_required
@require_GET
def soate_children_json(request: HttpRequest) -> JsonResponse:
    """The units inside ?parent= (the top level without it), or those matching ?q=
    (name or code), as JSON for the address pickers; names in the active language."""
    q = request.GET.get("q", "").strip()
    if q:
        units = list(soate_search(q=q)[:SOATE_SEARCH_LIMIT])
    else:
        units = list(soate_children(parent=_soate_parent(request)))
    results = [
        {
            "id": unit.pk,
            "code": unit.code,
            "name": unit.name,
            "level": unit.level,
            "has_children": unit.has_children,
            **({"path": soate_display(unit)} if q else {}),
        }
        for unit in units
    ]
    return JsonResponse({"results": results})


@login_required
def soate_browser(request: HttpRequest) -> HttpResponse:
    access_structure(request.user)
    parent = _soate_parent(request)
    form = SoateSearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    units = soate_search(q=q, within=parent) if q else soate_children(parent=parent)
    fmt = requested_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            filename="soate",
            title=_("SOATE classifier"),
            headers=[_("SOATE code"), _("Level"), _("Name")],
            rows=(
                (u.code, u.get_level_display(), soate_display(u) if q else u.name) for u in units
            ),
        )
    page = _page(request, units)
    for unit in page.object_list:
        # Found units are shown with their whole path; children under the breadcrumb.
        unit.display = soate_display(unit) if q else unit.name
    context = {"form": form, "q": q, "path": soate_path(parent), "page": page}
    return render(request, "structure/soate_browser.html", context)
