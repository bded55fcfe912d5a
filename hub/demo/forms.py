from django import forms
from django.utils.translation import gettext_lazy as _

from hub.demo.seed import MAX_STUDENTS

STUDENTS_RANGE_MESSAGE = _("Enter a number of students from 1 to 20000.")


class SeedDemoForm(forms.Form):
    students = forms.IntegerField(
        label=_("Number of students"),
        min_value=1,
        max_value=MAX_STUDENTS,
        initial=600,
        error_messages={
            "min_value": STUDENTS_RANGE_MESSAGE,
            "max_value": STUDENTS_RANGE_MESSAGE,
            "invalid": STUDENTS_RANGE_MESSAGE,
            "required": STUDENTS_RANGE_MESSAGE,
        },
    )
    seed = forms.IntegerField(widget=forms.HiddenInput, required=False, initial=2026)

    def clean_seed(self) -> int:
        return self.cleaned_data["seed"] if self.cleaned_data["seed"] is not None else 2026
