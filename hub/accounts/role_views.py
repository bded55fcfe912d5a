"""The administrator's pages for roles, rights, role assignments and data ownership (AC-2, AC-7).

They replace Django admin for these tables: every change goes through an
audited action of hub.accounts.actions.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from academic.structure.models import College, Department, Faculty, Group
from hub.accounts import actions
from hub.accounts.models import DataKind, Module, Role, RoleAssignment, ScopeKind
from hub.accounts.permissions import access_accounts_admin, access_role, access_user
from hub.accounts.role_forms import AssignmentForm, OwnershipForm, RightsForm, RoleForm
from hub.accounts.selectors import ownership_map, role_list, roles_of
from hub.errors import DomainError

RIGHTS_PREFIX = "rights"

# The models whose ids the unit scopes name, and how a unit is ordered in a select.
UNIT_MODELS = {
    ScopeKind.FACULTY: (Faculty, "name_ru"),
    ScopeKind.DEPARTMENT: (Department, "name_ru"),
    ScopeKind.COLLEGE: (College, "name_ru"),
    ScopeKind.GROUP: (Group, "name"),
}


def _show_errors(form, error: DomainError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- Roles and their rights -------------------------------------------------------


@login_required
def role_index(request: HttpRequest) -> HttpResponse:
    """Every role with its kind, usual scope, holders and rights as a module matrix."""
    access_accounts_admin(request.user)
    modules = Module.choices
    rows = []
    for role in role_list():
        levels = {right.module: right for right in role.rights.all()}
        rows.append((role, [levels.get(module) for module, _label in modules]))
    return render(request, "accounts/role_list.html", {"modules": modules, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def role_create(request: HttpRequest) -> HttpResponse:
    access_accounts_admin(request.user)
    form = RoleForm(request.POST or None)
    rights = RightsForm(request.POST or None, prefix=RIGHTS_PREFIX)
    if request.method == "POST" and form.is_valid() and rights.is_valid():
        try:
            role = actions.role_create(by=request.user, rights=rights.rights(), **form.cleaned_data)
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The role is created."))
            return redirect("accounts-role", role_id=role.pk)
    if form.errors or rights.errors:
        messages.error(request, _("Please correct the errors below."))
    return render(request, "accounts/role_create.html", {"form": form, "rights": rights})


@login_required
@require_http_methods(["GET", "POST"])
def role_rights(request: HttpRequest, role_id: int) -> HttpResponse:
    """A role's description and its rights editor."""
    role = access_role(request.user, role_id, write=request.method == "POST")
    rights = RightsForm(request.POST or None, role=role, prefix=RIGHTS_PREFIX)
    if request.method == "POST" and rights.is_valid():
        try:
            actions.role_update_rights(by=request.user, role=role, rights=rights.rights())
        except DomainError as error:
            _show_errors(rights, error)
        else:
            messages.success(request, _("The rights of the role are saved."))
            return redirect("accounts-role", role_id=role.pk)
    if rights.errors:
        messages.error(request, _("Please correct the errors below."))
    holders = role.assignments.count()
    owned = [ownership.get_data_kind_display() for ownership in role.owned_data.all()]
    context = {"role": role, "rights": rights, "holders": holders, "owned": owned}
    return render(request, "accounts/role_rights.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def role_delete(request: HttpRequest, role_id: int) -> HttpResponse:
    role = access_role(request.user, role_id, write=True)
    if request.method == "GET":
        context = {
            "question": _("Delete the role %(name)s? Its rights are deleted with it.")
            % {"name": role.name},
            "button": _("Delete the role"),
            "cancel_url": reverse("accounts-role", args=[role.pk]),
        }
        return render(request, "confirm.html", context)
    try:
        actions.role_delete(by=request.user, role=role)
    except DomainError as error:
        messages.error(request, error.messages[0])
        return redirect("accounts-role", role_id=role.pk)
    messages.success(request, _("The role is deleted."))
    return redirect("accounts-roles")


# --- A user's roles ------------------------------------------------------------------


def _units() -> dict[str, list[tuple[int, str]]]:
    """Every unit a role may be assigned in, by scope kind; four queries."""
    units = {}
    for kind, (model, order) in UNIT_MODELS.items():
        rows = model.objects.order_by(order, "pk")
        if model is Group:
            rows = rows.filter(is_active=True)
        units[kind] = [(unit.pk, str(unit)) for unit in rows]
    return units


def _unit_names(assignments: list[RoleAssignment]) -> dict[tuple[str, int], str]:
    """(scope kind, id) → the unit's name, one query per kind the assignments name."""
    wanted: dict[str, set[int]] = {}
    for assignment in assignments:
        if assignment.scope_id is not None and assignment.scope_kind in UNIT_MODELS:
            wanted.setdefault(assignment.scope_kind, set()).add(assignment.scope_id)
    names = {}
    for kind, ids in wanted.items():
        model, _order = UNIT_MODELS[kind]
        for pk, unit in model.objects.in_bulk(ids).items():
            names[(kind, pk)] = str(unit)
    return names


@login_required
@require_http_methods(["GET", "POST"])
def user_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    """The user's role assignments and the form to assign one more."""
    account = access_user(request.user, user_id, write=request.method == "POST")
    form = AssignmentForm(request.POST or None, units=_units())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.role_assign(
                by=request.user,
                user=account,
                role=data["role"],
                scope=data["scope"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
        except DomainError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The role is assigned."))
            return redirect("accounts-user-roles", user_id=account.pk)
    if form.errors:
        messages.error(request, _("Please correct the errors below."))
    assignments = list(roles_of(account).select_related("granted_by"))
    names = _unit_names(assignments)
    rows = [(a, names.get((a.scope_kind, a.scope_id))) for a in assignments]
    context = {"account": account, "rows": rows, "form": form}
    return render(request, "accounts/role_assignments.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_role_revoke(request: HttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    account = access_user(request.user, user_id, write=True)
    try:
        assignment = account.role_assignments.select_related("role").get(pk=assignment_id)
    except RoleAssignment.DoesNotExist:
        raise Http404(_("Page not found.")) from None
    if request.method == "GET":
        context = {
            "question": _(
                "Take the role %(role)s away from %(name)s? They lose its rights at once."
            )
            % {"role": assignment.role.name, "name": account.get_full_name() or account.username},
            "button": _("Revoke the role"),
            "cancel_url": reverse("accounts-user-roles", args=[account.pk]),
        }
        return render(request, "confirm.html", context)
    actions.role_revoke(by=request.user, assignment=assignment)
    messages.success(request, _("The role is revoked."))
    return redirect("accounts-user-roles", user_id=account.pk)


# --- Data ownership (AC-2) -------------------------------------------------------------


@login_required
def ownership_list(request: HttpRequest) -> HttpResponse:
    """Each kind of data with the role that alone writes it."""
    access_accounts_admin(request.user)
    owners = ownership_map()
    roles = list(Role.objects.order_by("code"))
    rows = [(kind, label, owners.get(kind)) for kind, label in DataKind.choices]
    return render(request, "accounts/ownership_list.html", {"rows": rows, "roles": roles})


@login_required
@require_http_methods(["GET", "POST"])
def ownership_move(request: HttpRequest, data_kind: str) -> HttpResponse:
    """Choose the new owner (GET), confirm it (GET with `owner`), move it (POST).

    The chosen owner travels in the query string, so the shared confirmation
    page, which posts to its own address, posts it back unchanged.
    """
    access_accounts_admin(request.user)
    if data_kind not in DataKind.values:
        raise Http404(_("Page not found."))
    label = DataKind(data_kind).label
    form = OwnershipForm(request.GET if "owner" in request.GET else None)
    if not form.is_valid():
        if request.method == "POST":
            messages.error(request, _("Please correct the errors below."))
        current = ownership_map().get(data_kind)
        context = {"form": form, "data_kind": data_kind, "label": label, "current": current}
        return render(request, "accounts/ownership_form.html", context)
    owner = form.cleaned_data["owner"]
    if request.method == "GET":
        context = {
            "question": _(
                "Make %(role)s the only office that writes %(data)s? "
                "The present owner can no longer change it."
            )
            % {"role": owner.name, "data": label},
            "button": _("Move the ownership"),
            "cancel_url": reverse("accounts-ownership"),
        }
        return render(request, "confirm.html", context)
    actions.ownership_set(by=request.user, data_kind=data_kind, owner=owner)
    messages.success(request, _("The ownership of the data is moved."))
    return redirect("accounts-ownership")
