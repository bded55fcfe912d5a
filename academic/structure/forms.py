"""Forms of the structure pages: they parse input; the actions decide and write.

Address forms of other apps take a SOATE unit (X-3) with `SoateField`:

    from academic.structure.forms import SoateField

    class AddressForm(forms.Form):
        place = SoateField(label=_("Region, district, settlement"))
        street = forms.CharField(label=_("Street, house, flat"))

    # or on a ModelForm, for a ForeignKey to structure.SoateUnit:
    #     field_classes = {"place": SoateField}

The field accepts a unit of any level (a region, a district, a city or a
village). It renders as a plain select of every unit labelled with its whole
path ("Chuy region, Alamudun district, Lebedinovka"), which works without
JavaScript; frontend/static/js/soate-picker.js turns it into cascading selects
region → district → settlement filled from `structure:soate-children`, an
endpoint every signed-in user may call. Show a chosen unit with
selectors.soate_display(unit).
"""

from __future__ import annotations

import json

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from academic.structure.models import (
    COURSE_MAX,
    COURSE_MIN,
    AcademicYear,
    College,
    Department,
    Faculty,
    Group,
    InstructionLanguage,
    Room,
    RoomType,
    SoateUnit,
    Specialty,
    StudyForm,
    Subgroup,
    Term,
)
from academic.structure.selectors import room_buildings, soate_display, soate_path, soate_units
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


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class CollegeForm(forms.ModelForm):
    class Meta:
        model = College
        fields = ["code", "name_ky", "name_ru", "name_en"]


class AcademicYearForm(forms.ModelForm):
    class Meta:
        model = AcademicYear
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["number", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["building", "number", "capacity", "type"]


class RoomFilterForm(forms.Form):
    building = forms.ChoiceField(label=_("Building"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *RoomType.choices]
    )
    min_capacity = forms.IntegerField(label=_("Seats at least"), required=False, min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        buildings = [(name, name) for name in room_buildings()]
        self.fields["building"].choices = [("", _("All buildings")), *buildings]


class SubgroupForm(forms.ModelForm):
    class Meta:
        model = Subgroup
        fields = ["name"]


class SoatePicker(forms.Select):
    """A select of SOATE units that soate-picker.js turns into cascading selects.

    The select keeps the value: the script hides it and sets it to the deepest
    unit chosen, so the form posts the same field with or without JavaScript.
    """

    template_name = "structure/widgets/soate_picker.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        unit = soate_units().filter(pk=value).first() if str(value or "").isdigit() else None
        context["widget"]["children_url"] = reverse("structure:soate-children")
        context["widget"]["path"] = json.dumps([part.pk for part in soate_path(unit)])
        context["widget"]["level_labels"] = json.dumps(
            [str(_("Region")), str(_("District")), str(_("Settlement"))]
        )
        return context


class SoateField(forms.ModelChoiceField):
    """A SOATE unit of any level, picked region → district → settlement (X-3).

    See the module docstring for how address forms use it. `queryset` may
    narrow the units (say, to settlements); by default every unit is offered.
    """

    widget = SoatePicker

    def __init__(self, queryset=None, **kwargs) -> None:
        kwargs.setdefault("label", _("Place (SOATE)"))
        super().__init__(queryset if queryset is not None else soate_units(), **kwargs)

    def label_from_instance(self, obj: SoateUnit) -> str:
        return soate_display(obj)


class SoateSearchForm(forms.Form):
    """The SOATE browser's search: a name or code, inside the unit picked (or anywhere)."""

    q = forms.CharField(label=_("Name or SOATE code"), required=False, max_length=64, strip=True)
    parent = SoateField(label=_("Inside"), required=False)
