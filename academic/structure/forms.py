"""Forms of the structure pages: they parse input; the actions decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from academic.structure.models import (
    COURSE_MAX,
    COURSE_MIN,
    Department,
    Faculty,
    Group,
    InstructionLanguage,
    Specialty,
    StudyForm,
)
from hub.accounts.models import Cabinet, User


class GroupFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=64)
    faculty = forms.ModelChoiceField(
        label=_("Faculty"), required=False, queryset=Faculty.objects.order_by("code")
    )
    specialty = forms.ModelChoiceField(
        label=_("Specialty"), required=False, queryset=Specialty.objects.order_by("code")
    )
    course = forms.TypedChoiceField(
        label=_("Course"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All courses"))] + [(n, n) for n in range(COURSE_MIN, COURSE_MAX + 1)],
    )
    study_form = forms.ChoiceField(
        label=_("Study form"), required=False, choices=[("", _("All forms")), *StudyForm.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *InstructionLanguage.choices],
    )


class FacultyForm(forms.ModelForm):
    class Meta:
        model = Faculty
        fields = ["code", "name_ky", "name_ru", "name_en"]


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["faculty", "code", "name_ky", "name_ru", "name_en"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["faculty"].required = True


class SpecialtyForm(forms.ModelForm):
    class Meta:
        model = Specialty
        fields = ["department", "code", "name_ky", "name_ru", "name_en"]
        fields += ["degree_level", "duration_years"]


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "specialty", "intake_year", "course", "study_form", "language"]


class CuratorForm(forms.Form):
    curator = forms.ModelChoiceField(
        label=_("Curator"),
        required=False,
        queryset=User.objects.filter(
            cabinet__in=[Cabinet.CURATOR, Cabinet.TEACHER], is_active=True
        ).order_by("last_name", "first_name"),
        help_text=_("Leave empty to leave the group without a curator."),
    )
    valid_from = forms.DateField(label=_("From"), required=False)
