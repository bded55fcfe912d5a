"""Forms of the curricula pages: they parse input; the actions decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from academic.curricula.actions import SemesterPart
from academic.curricula.models import (
    FINAL_CONTROL_FORMS,
    Component,
    Curriculum,
    CurriculumSettings,
    Cycle,
    Discipline,
    ElectiveBlock,
    PlanStatus,
    StudySystem,
    WorkingPlanLine,
)
from academic.structure.models import AcademicYear, Department, Specialty, StudyForm
from hub.accounts.models import Cabinet, User


class DisciplineFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=64)
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.order_by("code")
    )


class CurriculumFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=64)
    specialty = forms.ModelChoiceField(
        label=_("Specialty"), required=False, queryset=Specialty.objects.order_by("code")
    )
    intake_year = forms.IntegerField(
        label=_("Intake year"), required=False, min_value=1990, max_value=2100
    )
    system = forms.ChoiceField(
        label=_("System"), required=False, choices=[("", _("All systems")), *StudySystem.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *PlanStatus.choices]
    )


class WorkingPlanFilterForm(forms.Form):
    academic_year = forms.ModelChoiceField(
        label=_("Academic year"), required=False, queryset=AcademicYear.objects.all()
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CurriculumSettings
        fields = ["hours_per_credit", "credits_per_semester", "semester_deviation"]


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["code", "name_ky", "name_ru", "name_en", "order"]


class DisciplineForm(forms.ModelForm):
    class Meta:
        model = Discipline
        fields = ["code", "name_ky", "name_ru", "name_en", "department", "is_active"]


class CurriculumForm(forms.Form):
    """A plan's heading; a plain form, so curriculum_create alone says an intake is taken."""

    specialty = forms.ModelChoiceField(
        label=_("Specialty"), queryset=Specialty.objects.order_by("code")
    )
    intake_year = forms.IntegerField(label=_("Intake year"), min_value=1990, max_value=2100)
    study_form = forms.ChoiceField(label=_("Study form"), choices=StudyForm.choices)
    system = forms.ChoiceField(label=_("System"), choices=StudySystem.choices)

    def __init__(self, *args, instance: Curriculum | None = None, **kwargs) -> None:
        if instance is not None:
            kwargs["initial"] = {name: getattr(instance, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)


class CopyForm(forms.Form):
    intake_year = forms.IntegerField(label=_("Intake year"), min_value=1990, max_value=2100)


class ElectiveBlockForm(forms.ModelForm):
    class Meta:
        model = ElectiveBlock
        fields = ["name_ky", "name_ru", "name_en", "choose", "rule"]


class LineForm(forms.Form):
    """A base plan's line: the discipline, its hours and, per semester, the amount and control.

    Semester fields are made for the plan's number of semesters: `s3_amount`
    (credits in the credit system, hours in the linear one), `s3_control`,
    `s3_coursework`. `semester_parts()` gives them to the action.
    """

    discipline = forms.ModelChoiceField(
        label=_("Discipline"), queryset=Discipline.objects.filter(is_active=True)
    )
    cycle = forms.ModelChoiceField(label=_("Cycle"), queryset=Cycle.objects.all())
    component = forms.ChoiceField(label=_("Component"), choices=Component.choices)
    elective_block = forms.ModelChoiceField(
        label=_("Elective block"), required=False, queryset=ElectiveBlock.objects.none()
    )
    department = forms.ModelChoiceField(
        label=_("Responsible department"),
        required=False,
        queryset=Department.objects.order_by("code"),
        help_text=_("Leave empty for the discipline's own department."),
    )
    credits = forms.IntegerField(label=_("Credits"), min_value=0, initial=0)
    total_hours = forms.IntegerField(label=_("Total hours"), min_value=1)
    lecture_hours = forms.IntegerField(label=_("Lecture hours"), min_value=0, initial=0)
    practice_hours = forms.IntegerField(label=_("Practice hours"), min_value=0, initial=0)
    lab_hours = forms.IntegerField(label=_("Lab hours"), min_value=0, initial=0)
    independent_hours = forms.IntegerField(
        label=_("Independent work hours"), min_value=0, initial=0
    )
    checks = forms.IntegerField(label=_("Interim checks (modules)"), min_value=0, initial=2)
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=52, initial=15)

    def __init__(self, *args, curriculum: Curriculum, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.curriculum = curriculum
        self.fields["elective_block"].queryset = curriculum.blocks.all()
        if not curriculum.is_credit:
            self.fields["credits"].widget = forms.HiddenInput()
        unit = _("credits") if curriculum.is_credit else _("hours")
        for number in range(1, curriculum.semesters + 1):
            self.fields[f"s{number}_amount"] = forms.IntegerField(
                label=_("Semester %(n)d, %(unit)s") % {"n": number, "unit": unit},
                required=False,
                min_value=0,
            )
            self.fields[f"s{number}_control"] = forms.ChoiceField(
                label=_("Semester %(n)d, control") % {"n": number},
                required=False,
                choices=[("", "—"), *FINAL_CONTROL_FORMS],
            )
            self.fields[f"s{number}_coursework"] = forms.BooleanField(
                label=_("Semester %(n)d, coursework") % {"n": number}, required=False
            )

    def line_values(self) -> dict:
        data = self.cleaned_data
        names = ["discipline", "cycle", "component", "elective_block", "department"]
        names += ["credits", "total_hours", "lecture_hours", "practice_hours", "lab_hours"]
        names += ["independent_hours", "checks", "weeks"]
        return {name: data[name] for name in names}

    def semester_parts(self) -> list[SemesterPart]:
        data = self.cleaned_data
        parts = []
        for number in range(1, self.curriculum.semesters + 1):
            amount = data.get(f"s{number}_amount")
            if amount or data.get(f"s{number}_control") or data.get(f"s{number}_coursework"):
                parts.append(
                    SemesterPart(
                        semester=number,
                        amount=amount or 0,
                        control_form=data.get(f"s{number}_control", ""),
                        has_coursework=bool(data.get(f"s{number}_coursework")),
                    )
                )
        return parts

    @staticmethod
    def initial_for(line) -> dict:
        initial = {
            name: getattr(line, name)
            for name in (
                "discipline",
                "cycle",
                "component",
                "elective_block",
                "department",
                "credits",
                "total_hours",
                "lecture_hours",
                "practice_hours",
                "lab_hours",
                "independent_hours",
                "checks",
                "weeks",
            )
        }
        for part in line.semesters.all():
            amount = part.credits if line.curriculum.is_credit else part.hours
            initial[f"s{part.semester}_amount"] = amount
            initial[f"s{part.semester}_control"] = part.control_form
            initial[f"s{part.semester}_coursework"] = part.has_coursework
        return initial


class DeriveForm(forms.Form):
    academic_year = forms.ModelChoiceField(
        label=_("Academic year"), queryset=AcademicYear.objects.all()
    )
    term_number = forms.TypedChoiceField(
        label=_("Term"), coerce=int, choices=[(1, _("first")), (2, _("second"))]
    )


class WorkingLineForm(forms.ModelForm):
    class Meta:
        model = WorkingPlanLine
        fields = [
            "lecture_hours",
            "practice_hours",
            "lab_hours",
            "independent_hours",
            "credits",
            "control_form",
            "has_coursework",
            "checks",
            "weeks",
            "department",
        ]


class IndividualPlanForm(forms.Form):
    student = forms.ModelChoiceField(
        label=_("Student"),
        queryset=User.objects.filter(cabinet=Cabinet.STUDENT, is_active=True),
    )
    curriculum = forms.ModelChoiceField(
        label=_("Curriculum"),
        queryset=Curriculum.objects.filter(status=PlanStatus.APPROVED).select_related("specialty"),
    )
