"""Contingent reports and student search pages (SR-6, SR-7) of the back office.

Every page is for those who read student records as an office; the figures
and the students found are limited to the reader's scope.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academic.records.models import Sex, Status
from academic.records.permissions import access_records, office_scopes, visible_students
from academic.records.reports import (
    ALL_STATUSES,
    DIMENSION_CHOICES,
    chart_data,
    contingent,
    export_rows,
    ministry_export_rows,
    ministry_report,
)
from academic.records.search import StudentFilters, picker_rows, search_page, search_students
from academic.structure.models import Faculty, Group, SoateUnit, Specialty
from academic.structure.permissions import groups_visible_filter
from hub.exports import export_response, requested_format

PAGE_SIZE = 50
CHART_TYPES = [("bar", gettext_lazy("bar chart")), ("pie", gettext_lazy("pie chart"))]


def _visible_groups(user):
    condition = groups_visible_filter(office_scopes(user))
    groups = Group.objects.all()
    return groups if condition is None else groups.filter(condition)


def _visible_faculties(user):
    groups = _visible_groups(user).values("specialty__department__faculty_id")
    return Faculty.objects.filter(pk__in=groups).order_by("code")


# --- Forms -----------------------------------------------------------------------------


class ContingentForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("On date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    rows = forms.ChoiceField(label=gettext_lazy("Count by"), choices=DIMENSION_CHOICES)
    columns = forms.ChoiceField(
        label=gettext_lazy("and by (cross table)"),
        required=False,
        choices=[("", "—"), *DIMENSION_CHOICES],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[*Status.choices, (ALL_STATUSES, gettext_lazy("all statuses"))],
    )
    faculty = forms.ModelChoiceField(
        label=gettext_lazy("Faculty"), required=False, queryset=Faculty.objects.none()
    )
    chart = forms.ChoiceField(label=gettext_lazy("Chart"), required=False, choices=CHART_TYPES)

    def __init__(self, data, *, user) -> None:
        defaults = {"rows": "faculty", "status": Status.STUDYING, "chart": "bar"}
        super().__init__({**defaults, **data.dict()} if data else defaults)
        self.fields["faculty"].queryset = _visible_faculties(user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("columns") and cleaned.get("columns") == cleaned.get("rows"):
            self.add_error("columns", _("Choose another dimension for the columns."))
        return cleaned


class MinistryForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("Movement from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    on = forms.DateField(
        label=gettext_lazy("to (contingent on this date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        start, on = cleaned.get("start"), cleaned.get("on")
        if start and on and start > on:
            self.add_error("start", _("The period must start before it ends."))
        return cleaned


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name, record book, PIN, phone, document, group"),
        required=False,
        max_length=100,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status today"),
        required=False,
        choices=[("", gettext_lazy("any status")), *Status.choices],
    )
    faculty = forms.ModelChoiceField(
        label=gettext_lazy("Faculty"), required=False, queryset=Faculty.objects.none()
    )
    specialty = forms.ModelChoiceField(
        label=gettext_lazy("Specialty"), required=False, queryset=Specialty.objects.none()
    )
    group = forms.ModelChoiceField(
        label=gettext_lazy("Group"), required=False, queryset=Group.objects.none()
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"), required=False, choices=[("", gettext_lazy("any")), *Sex.choices]
    )
    birth_year = forms.IntegerField(
        label=gettext_lazy("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        required=False,
        queryset=SoateUnit.objects.filter(parent__isnull=True),
    )
    nationality = forms.CharField(label=gettext_lazy("Nationality"), required=False, max_length=64)
    citizenship = forms.CharField(label=gettext_lazy("Citizenship"), required=False, max_length=64)

    def __init__(self, data, *, user) -> None:
        super().__init__(data)
        groups = _visible_groups(user)
        self.fields["faculty"].queryset = _visible_faculties(user)
        self.fields["specialty"].queryset = Specialty.objects.filter(
            pk__in=groups.values("specialty_id")
        ).order_by("code")
        self.fields["group"].queryset = groups.order_by("name")
        self.fields["region"].queryset = self.fields["region"].queryset.order_by("code")

    def filters(self) -> StudentFilters:
        data = self.cleaned_data
        return StudentFilters(
            status=data.get("status", ""),
            group=getattr(data.get("group"), "pk", None),
            specialty=getattr(data.get("specialty"), "pk", None),
            faculty=getattr(data.get("faculty"), "pk", None),
            sex=data.get("sex", ""),
            birth_year=data.get("birth_year"),
            region=getattr(data.get("region"), "pk", None),
            nationality=data.get("nationality", "").strip(),
            citizenship=data.get("citizenship", "").strip(),
        )

    def is_blank(self) -> bool:
        return not any(value for value in self.cleaned_data.values())


# --- Pages -----------------------------------------------------------------------------


@login_required
def contingent_report(request: HttpRequest) -> HttpResponse:
    access_records(request.user)
    form = ContingentForm(request.GET, user=request.user)
    table = None
    if form.is_valid():
        data = form.cleaned_data
        table = contingent(
            on=data["on"] or timezone.localdate(),
            scopes=office_scopes(request.user),
            rows=data["rows"],
            columns=data["columns"],
            status=data["status"],
            faculty=getattr(data["faculty"], "pk", None),
        )
        fmt = requested_format(request)
        if fmt:
            headers, rows = export_rows(table)
            title = _("Contingent on %(date)s") % {"date": table.on.strftime("%d.%m.%Y")}
            return export_response(
                fmt=fmt, filename="contingent", title=title, headers=headers, rows=rows
            )
    context = {
        "form": form,
        "table": table,
        "chart": chart_data(table) if table else None,
        "chart_type": (form.cleaned_data.get("chart") if table else "") or "bar",
    }
    return render(request, "records/report_contingent.html", context)


def _academic_year_start(on: date) -> date:
    return date(on.year if on.month >= 9 else on.year - 1, 9, 1)


@login_required
def ministry(request: HttpRequest) -> HttpResponse:
    access_records(request.user)
    form = MinistryForm(request.GET or None)
    report = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        on = data.get("on") or timezone.localdate()
        start = data.get("start") or _academic_year_start(on)
        report = ministry_report(start=start, on=on, scopes=office_scopes(request.user))
        fmt = requested_format(request)
        if fmt:
            headers, rows = ministry_export_rows(report)
            title = _("Higher education contingent on %(date)s") % {"date": on.strftime("%d.%m.%Y")}
            return export_response(
                fmt=fmt, filename="contingent-form", title=title, headers=headers, rows=rows
            )
    return render(request, "records/report_ministry.html", {"form": form, "report": report})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    access_records(request.user)
    form = SearchForm(request.GET or None, user=request.user)
    page = None
    if form.is_bound and form.is_valid() and not form.is_blank():
        found = search_students(
            visible_students(request.user), text=form.cleaned_data["q"], filters=form.filters()
        )
        page = search_page(found, request.GET.get("page"), PAGE_SIZE)
    return render(request, "records/search.html", {"form": form, "page": page})


@login_required
def search_json(request: HttpRequest) -> JsonResponse:
    """Up to 20 students matching `?q=` (and `?status=`), for pickers in other forms."""
    access_records(request.user)
    text = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    if not text or (status and status not in Status.values):
        return JsonResponse({"results": []})
    found = search_students(
        visible_students(request.user), text=text, filters=StudentFilters(status=status)
    )
    return JsonResponse({"results": picker_rows(found)})
