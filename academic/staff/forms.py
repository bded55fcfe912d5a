"""Forms of the staff pages: they parse input; the actions decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from academic.staff.models import (
    RATE_CHOICES,
    AcademicDegree,
    AcademicTitle,
    AwardKind,
    DocumentKind,
    Employee,
    Employment,
    LeaveKind,
    OrderKind,
    OrderStatus,
    Position,
    PositionTitle,
)
from academic.structure.forms import SoateField
from academic.structure.models import Department
from hub.accounts.models import Cabinet, User

STAFF_CABINETS = [Cabinet.STAFF, Cabinet.TEACHER, Cabinet.CURATOR, Cabinet.ADMIN]
SORT_CHOICES = [
    ("name", _("Name, A–Z")),
    ("-name", _("Name, Z–A")),
    ("number", _("Personnel number")),
    ("age", _("Youngest first")),
    ("-age", _("Oldest first")),
]


def _staff_users():
    return User.objects.filter(cabinet__in=STAFF_CABINETS, is_active=True).order_by(
        "last_name", "first_name"
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=64,
        help_text=_("Name in Cyrillic or Latin letters, or personnel number"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.order_by("code")
    )
    degree = forms.ChoiceField(
        label=_("Academic degree"),
        required=False,
        choices=[("", _("Any degree")), *AcademicDegree.choices],
    )
    title = forms.ChoiceField(
        label=_("Academic title"),
        required=False,
        choices=[("", _("Any title")), *AcademicTitle.choices],
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)


class EmployeeForm(forms.ModelForm):
    """The personal data of a card; the person is chosen only when the card is opened."""

    class Meta:
        model = Employee
        fields = [
            "user",
            "personnel_number",
            "birth_date",
            "sex",
            "citizenship",
            "id_document",
            "phone",
            "email",
            "soate",
            "street",
            "degree",
            "title",
        ]
        widgets = {"birth_date": DateInput()}
        field_classes = {"soate": SoateField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["soate"].label = _("Settlement (SOATE)")
        if self.instance.pk:
            del self.fields["user"]
        else:
            without_card = _staff_users().filter(employee__isnull=True)
            self.fields["user"].queryset = without_card
            self.fields["user"].label = _("Person")

    def _post_clean(self) -> None:
        # The action validates and saves: the form only parses.
        pass


class EducationForm(forms.Form):
    institution = forms.CharField(label=_("Educational institution"), max_length=255)
    specialty = forms.CharField(label=_("Specialty"), max_length=255)
    year = forms.IntegerField(label=_("Year of graduation"), min_value=1940, max_value=2100)
    diploma = forms.CharField(label=_("Diploma number"), max_length=64, required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class EstablishmentForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("code")
    )
    title = forms.ModelChoiceField(label=_("Position"), queryset=PositionTitle.objects.all())
    rates = forms.DecimalField(
        label=_("Budgeted rates"), min_value=0, max_digits=6, decimal_places=2
    )


class OrderFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=64)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrderKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *OrderStatus.choices]
    )


class OrderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrderKind.choices)
    number = forms.CharField(label=_("Number"), max_length=32)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    effective_date = forms.DateField(label=_("Effective date"), widget=DateInput())
    signer = forms.ModelChoiceField(label=_("Signed by"), queryset=_staff_users())
    reason = forms.CharField(label=_("Grounds"), required=False, widget=forms.Textarea)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]


class OrderLineForm(forms.Form):
    """One paragraph; which fields show depends on the order's kind."""

    KIND_FIELDS = {
        OrderKind.HIRING: ("employee", "title", "department", "office", "rate", "employment"),
        OrderKind.TRANSFER: (
            "employee",
            "position",
            "title",
            "department",
            "office",
            "rate",
            "employment",
        ),
        OrderKind.LEAVE: ("employee", "leave_kind", "leave_from", "leave_to"),
        OrderKind.AWARD: ("employee", "award_kind", "text"),
        OrderKind.DISMISSAL: ("employee", "position", "text"),
    }

    employee = forms.ModelChoiceField(
        label=_("Employee"),
        queryset=Employee.objects.select_related("user").order_by(
            "user__last_name", "user__first_name"
        ),
    )
    position = forms.ModelChoiceField(
        label=_("Current post"),
        required=False,
        queryset=Position.objects.none(),
        help_text=_("For a dismissal, leave empty to end every post."),
    )
    title = forms.ModelChoiceField(
        label=_("Position"), required=False, queryset=PositionTitle.objects.all()
    )
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.order_by("code")
    )
    office = forms.CharField(
        label=_("Office"),
        required=False,
        max_length=128,
        help_text=_("A unit outside the departments (rector's office, HR…)."),
    )
    rate = forms.TypedChoiceField(
        label=_("Staff rate"),
        required=False,
        coerce=str,
        choices=[("", "—"), *((str(value), label) for value, label in RATE_CHOICES)],
    )
    employment = forms.ChoiceField(
        label=_("Employment"), required=False, choices=Employment.choices
    )
    leave_kind = forms.ChoiceField(
        label=_("Leave"), required=False, choices=[("", "—"), *LeaveKind.choices]
    )
    leave_from = forms.DateField(label=_("First day"), required=False, widget=DateInput())
    leave_to = forms.DateField(label=_("Last day"), required=False, widget=DateInput())
    award_kind = forms.ChoiceField(
        label=_("Award"), required=False, choices=[("", "—"), *AwardKind.choices]
    )
    text = forms.CharField(label=_("Wording or reason"), required=False, widget=forms.Textarea)

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        wanted = self.KIND_FIELDS[kind]
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if "position" in self.fields:
            open_posts = Position.objects.filter(valid_to__isnull=True).select_related(
                "employee__user", "title", "department"
            )
            self.fields["position"].queryset = open_posts
            self.fields["position"].label_from_instance = _position_label

    def line_values(self) -> dict:
        """cleaned_data as the action takes it: empty text fields as "", no rate as None."""
        data = dict(self.cleaned_data)
        if "rate" in data:
            data["rate"] = data["rate"] or None
        return data


def _position_label(position: Position) -> str:
    return f"{position.employee.user.get_full_name()}: {position}, {position.rate}"
