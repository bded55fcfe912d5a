"""Forms of the student records pages: they parse input; the actions decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from academic.records.models import (
    ExpulsionReason,
    Funding,
    Order,
    OrderKind,
    OrderStatus,
    Status,
    Student,
    StudentContact,
)
from academic.structure.forms import SoateField
from academic.structure.models import Faculty, Group, Specialty, StudyForm
from hub.accounts.models import Language

PENDING = "pending"
SORTS = {
    "name": ("student__user__last_name", "student__user__first_name", "student_id"),
    "record": ("student__record_number",),
    "group": ("group__name", "student__user__last_name", "student_id"),
}
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class StudentFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or record book number"), required=False, max_length=64)
    on = forms.DateField(label=_("On date"), required=False, widget=DATE_INPUT)
    faculty = forms.ModelChoiceField(
        label=_("Faculty"), required=False, queryset=Faculty.objects.order_by("code")
    )
    specialty = forms.ModelChoiceField(
        label=_("Specialty"), required=False, queryset=Specialty.objects.order_by("code")
    )
    group = forms.CharField(label=_("Group"), required=False, max_length=32)
    course = forms.TypedChoiceField(
        label=_("Course"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(n, str(n)) for n in range(1, 7)],
    )
    study_form = forms.ChoiceField(
        label=_("Study form"), required=False, choices=[("", "—"), *StudyForm.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "—"), *Status.choices, (PENDING, _("not admitted yet"))],
    )
    funding = forms.ChoiceField(
        label=_("Funding"), required=False, choices=[("", "—"), *Funding.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("name", _("name")), ("record", _("record book number")), ("group", _("group"))],
    )


class PersonalFileForm(forms.ModelForm):
    """The personal file's own fields (not where the student studies: orders say that)."""

    class Meta:
        model = Student
        fields = [
            "record_number",
            "pin",
            "sex",
            "birth_date",
            "citizenship",
            "nationality",
            "document_kind",
            "document_number",
            "document_issued_by",
            "document_issued_on",
            "address_unit",
            "address_street",
            "prior_school",
            "prior_year",
            "prior_document",
            "photo",
        ]
        field_classes = {"address_unit": SoateField}
        widgets = {"birth_date": DATE_INPUT, "document_issued_on": DATE_INPUT}


class NewStudentForm(PersonalFileForm):
    """A new personal file with the student's account."""

    last_name = forms.CharField(label=_("Last name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    username = forms.CharField(label=_("Login"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)

    field_order = ["last_name", "first_name", "patronymic", "username", "email", "phone"]

    ACCOUNT_FIELDS = ("last_name", "first_name", "patronymic", "username", "email", "phone")

    def split(self) -> tuple[dict, dict]:
        """The account's fields and the personal file's, from cleaned_data."""
        data = dict(self.cleaned_data)
        account = {name: data.pop(name) for name in (*self.ACCOUNT_FIELDS, "language")}
        return account, data


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    file = forms.FileField(label=_("File (PDF, JPG or PNG, up to 10 MB)"))


class ContactForm(forms.ModelForm):
    class Meta:
        model = StudentContact
        fields = ["relation", "full_name", "phone"]


class OrderFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or grounds"), required=False, max_length=64)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *OrderKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *OrderStatus.choices]
    )


class OrderForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ["kind", "number", "date", "effective_date", "reason", "signer"]
        widgets = {"date": DATE_INPUT, "effective_date": DATE_INPUT}


class OrderHeadingForm(OrderForm):
    class Meta(OrderForm.Meta):
        fields = ["number", "date", "effective_date", "reason", "signer"]


class OrderLineForm(forms.Form):
    """One student (found by record book number or name) with what the order kind needs."""

    student = forms.CharField(
        label=_("Student: record book number or name"), max_length=128, required=False
    )
    group = forms.ModelChoiceField(
        label=_("Group"),
        required=False,
        queryset=Group.objects.filter(is_active=True).order_by("name"),
    )
    funding = forms.ChoiceField(
        label=_("Funding"), required=False, choices=[("", "—"), *Funding.choices]
    )
    expulsion_reason = forms.ChoiceField(
        label=_("Reason of expulsion"),
        required=False,
        choices=[("", "—"), *ExpulsionReason.choices],
    )
    leave_until = forms.DateField(label=_("Leave until"), required=False, widget=DATE_INPUT)
    whole_group = forms.BooleanField(
        label=_("Add every student now studying in the group"), required=False
    )


class SignForm(forms.Form):
    signer = forms.CharField(label=_("Signed by"), max_length=255)


class HistoryDateForm(forms.Form):
    on = forms.DateField(label=_("Show the state on"), required=False, widget=DATE_INPUT)


class StarostaForm(forms.Form):
    """The head of a group, chosen among its students on the date."""

    student = forms.ModelChoiceField(
        label=_("Group head (starosta)"), queryset=Student.objects.none()
    )
    valid_from = forms.DateField(label=_("From"), widget=DATE_INPUT)

    def __init__(self, *args, students=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if students is not None:
            self.fields["student"].queryset = students
        self.fields["student"].label_from_instance = lambda s: (
            f"{s.user.get_full_name()} ({s.record_number})"
        )
