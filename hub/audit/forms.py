"""The filter of the audit log pages and of its export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.audit.selectors import AuditFilter


class AuditFilterForm(forms.Form):
    object_type = forms.CharField(
        label=_("Object type"),
        max_length=100,
        required=False,
        help_text=_("For example accounts.user"),
    )
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
    user = forms.CharField(
        label=_("User"), max_length=150, required=False, help_text=_("Name or login")
    )
    action = forms.CharField(label=_("Action"), max_length=64, required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    batch = forms.UUIDField(label=_("Batch"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> AuditFilter:
        """The filter of the valid fields; an invalid field filters nothing."""
        if not self.is_bound:
            return AuditFilter()
        self.is_valid()
        data = self.cleaned_data
        return AuditFilter(
            object_type=data.get("object_type", "").strip().lower(),
            object_id=data.get("object_id", "").strip(),
            user=data.get("user", "").strip(),
            action=data.get("action", "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            batch=data.get("batch"),
        )
