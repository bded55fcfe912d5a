"""Forms of the roles, rights and ownership pages: they parse input; the actions decide and write."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hub.accounts.access import Scope, unit_free
from hub.accounts.models import (
    DataOwnership,
    Level,
    Module,
    Role,
    RoleAssignment,
    RoleKind,
    ScopeKind,
)


def _label(model, field: str):
    """The model field's own (translated) name as a form label: one string to translate."""
    return capfirst(model._meta.get_field(field).verbose_name)


NO_RIGHT = ""
LEVEL_CHOICES = [(NO_RIGHT, _("none")), *Level.choices]


class RoleForm(forms.Form):
    """The description of a new role; its rights come from RightsForm."""

    code = forms.SlugField(
        label=_label(Role, "code"),
        max_length=64,
        help_text=_("Latin letters, digits, - and _; it never changes."),
    )
    name_ky = forms.CharField(label=_label(Role, "name_ky"), max_length=200)
    name_ru = forms.CharField(label=_label(Role, "name_ru"), max_length=200)
    name_en = forms.CharField(label=_label(Role, "name_en"), max_length=200)
    description = forms.CharField(
        label=_label(Role, "description"), required=False, widget=forms.Textarea
    )
    kind = forms.ChoiceField(label=_label(Role, "kind"), choices=RoleKind.choices)
    default_scope_kind = forms.ChoiceField(
        label=_label(Role, "default_scope_kind"),
        choices=ScopeKind.choices,
        initial=ScopeKind.INSTITUTION,
        help_text=Role._meta.get_field("default_scope_kind").help_text,
    )


class RightsForm(forms.Form):
    """One level choice per module; a module left at "none" grants nothing."""

    def __init__(self, *args, role: Role | None = None, **kwargs) -> None:
        if role is not None and "initial" not in kwargs:
            kwargs["initial"] = {right.module: right.level for right in role.rights.all()}
        super().__init__(*args, **kwargs)
        for module, label in Module.choices:
            self.fields[module] = forms.TypedChoiceField(
                label=label,
                choices=LEVEL_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )

    def rights(self) -> dict[str, int]:
        """Module → level of the modules given a level, for role_create / role_update_rights."""
        return {module: level for module, level in self.cleaned_data.items() if level is not None}


def unit_choices(units: dict[str, list[tuple[int, str]]]) -> list:
    """The unit select's options grouped by scope kind; each value is `kind:id`."""
    labels = dict(ScopeKind.choices)
    groups = [
        (labels[kind], [(f"{kind}:{pk}", name) for pk, name in rows])
        for kind, rows in units.items()
        if rows
    ]
    return [("", _("none (whole institution or own data)")), *groups]


class AssignmentForm(forms.Form):
    """A role for a user within a scope: the kind, the unit of that kind, a period."""

    role = forms.ModelChoiceField(
        label=_label(RoleAssignment, "role"), queryset=Role.objects.order_by("code")
    )
    scope_kind = forms.ChoiceField(
        label=_label(RoleAssignment, "scope_kind"), choices=ScopeKind.choices
    )
    unit = forms.ChoiceField(
        label=_label(RoleAssignment, "scope_id"),
        required=False,
        help_text=_("The faculty, department, college or group; none for the whole institution."),
    )
    valid_from = forms.DateField(
        label=_label(RoleAssignment, "valid_from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_to = forms.DateField(
        label=_label(RoleAssignment, "valid_to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, units: dict[str, list[tuple[int, str]]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)

    def clean(self) -> dict:
        data = super().clean()
        kind, unit = data.get("scope_kind"), data.get("unit")
        if kind is None or unit is None:
            return data
        if unit_free(kind):
            if unit:
                self.add_error("unit", _("This scope names no unit; choose none."))
            data["scope"] = Scope(kind, None)
            return data
        unit_kind, _colon, unit_id = unit.partition(":")
        if unit_kind != kind:
            self.add_error("unit", _("Choose a unit of the chosen scope."))
        else:
            data["scope"] = Scope(kind, int(unit_id))
        return data


class OwnershipForm(forms.Form):
    """The role that is to own a kind of data from now on (AC-2)."""

    owner = forms.ModelChoiceField(
        label=_label(DataOwnership, "owner"), queryset=Role.objects.order_by("code")
    )
