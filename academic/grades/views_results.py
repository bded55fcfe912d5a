"""Pages of the grading reference data and of the session's results (GB-1, GB-7, GB-10, GB-11).

- The scale and the academic calendar are read by everyone signed in; the
  scale and the grading settings are kept by `permissions.may_keep_scale`
  users, the calendar by `permissions.may_keep_calendar` users.
- Session results, the final-score journal, the monitoring of a running
  session and the rating are for those reading grades as an office, each
  within their scope (a deanery: its faculty; a curator: their group).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from academic.grades import permissions
from academic.grades.actions import settings as actions
from academic.grades.models import CalendarPeriod, PeriodKind, ScaleBand
from academic.grades.scales import DEFAULT_BANDS, MARKS, Band
from academic.grades.scoring import grading_settings, scale_for
from academic.grades.selectors import results as selectors
from academic.structure.models import Institution, StudyForm, Term
from hub.errors import DomainError
from hub.exports import export_response, requested_format

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _institution() -> Institution:
    institution = Institution.objects.order_by("pk").first()
    if institution is None:
        raise Http404(_("Page not found."))
    return institution


def _show_errors(request: HttpRequest, form: forms.BaseForm, error: DomainError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- Scale (GB-1) ------------------------------------------------------------------------


class BandForm(forms.Form):
    low = forms.IntegerField(label=gettext_lazy("From"), min_value=0, max_value=100)
    high = forms.IntegerField(label=gettext_lazy("To"), min_value=0, max_value=100)
    letter = forms.CharField(label=gettext_lazy("Letter"), max_length=4)
    gpa = forms.DecimalField(
        label=gettext_lazy("GPA points"),
        min_value=Decimal(0),
        max_value=Decimal(4),
        max_digits=3,
        decimal_places=2,
    )
    mark = forms.TypedChoiceField(
        label=gettext_lazy("5-point mark"), coerce=int, choices=[(m, str(m)) for m in MARKS]
    )


BandFormSet = formset_factory(BandForm, extra=1, can_delete=True, max_num=20, validate_max=True)


def _stored_bands(institution: Institution) -> list[Band]:
    bands = [
        Band(b.low, b.high, b.letter, b.gpa, b.mark)
        for b in ScaleBand.objects.filter(institution=institution)
    ]
    return bands or list(DEFAULT_BANDS)


@login_required
@require_GET
def scale(request: HttpRequest) -> HttpResponse:
    """The institution's scale (the default until one is stored) and its grading settings."""
    permissions.access_scale(request.user)
    institution = _institution()
    stored = ScaleBand.objects.filter(institution=institution).exists()
    context = {
        "bands": _stored_bands(institution),
        "is_default": not stored,
        "settings": grading_settings(),
        "may_keep": permissions.may_keep_scale(request.user),
    }
    return render(request, "grades/results/scale.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scale_edit(request: HttpRequest) -> HttpResponse:
    """Edit the bands as one formset; saved only when they make a whole scale."""
    permissions.access_scale(request.user, write=True)
    institution = _institution()
    initial = [
        {"low": b.low, "high": b.high, "letter": b.letter, "gpa": b.gpa, "mark": b.mark}
        for b in _stored_bands(institution)
    ]
    formset = BandFormSet(request.POST or None, initial=initial)
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        bands = [
            Band(f["low"], f["high"], f["letter"].strip(), f["gpa"], f["mark"])
            for f in formset.cleaned_data
            if f and not f.get("DELETE")
        ]
        try:
            actions.scale_bands_replace(by=request.user, institution=institution, bands=bands)
        except DomainError as error:
            problems = error.messages
        else:
            messages.success(request, _("The scale is saved."))
            return redirect("grades:scale")
    return render(
        request, "grades/results/scale_edit.html", {"formset": formset, "problems": problems}
    )


class GradingSettingsForm(forms.Form):
    admission_minimum = forms.IntegerField(
        label=gettext_lazy("Minimum for exam admission"),
        min_value=0,
        max_value=100,
        help_text=gettext_lazy("Points a student needs from the checkpoints before the final one."),
    )
    change_window_days = forms.IntegerField(
        label=gettext_lazy("Days to ask for a change of a closed sheet"),
        min_value=1,
        max_value=365,
    )


@login_required
@require_http_methods(["GET", "POST"])
def grading_settings_edit(request: HttpRequest) -> HttpResponse:
    permissions.access_scale(request.user, write=True)
    institution = _institution()
    current = grading_settings()
    initial = {
        "admission_minimum": current.admission_minimum,
        "change_window_days": current.change_window_days,
    }
    form = GradingSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.grading_settings_update(
                by=request.user, institution=institution, **form.cleaned_data
            )
        except DomainError as error:
            _show_errors(request, form, error)
        else:
            messages.success(request, _("The grading settings are saved."))
            return redirect("grades:scale")
    return render(request, "grades/results/settings_form.html", {"form": form})


# --- Academic calendar (GB-7) ------------------------------------------------------------


class CalendarFilterForm(forms.Form):
    term = forms.ModelChoiceField(
        label=gettext_lazy("Term"), queryset=Term.objects.none(), required=False
    )
    study_form = forms.ChoiceField(
        label=gettext_lazy("Study form"),
        required=False,
        choices=[("", gettext_lazy("every study form")), *StudyForm.choices],
    )

    def __init__(self, data) -> None:
        super().__init__(data)
        self.fields["term"].queryset = selectors.terms_list()


class PeriodForm(forms.Form):
    term = forms.ModelChoiceField(label=gettext_lazy("Term"), queryset=Term.objects.none())
    study_form = forms.ChoiceField(label=gettext_lazy("Study form"), choices=StudyForm.choices)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=PeriodKind.choices)
    number = forms.IntegerField(
        label=gettext_lazy("Module number"),
        required=False,
        min_value=1,
        max_value=20,
        help_text=gettext_lazy("For a module week."),
    )
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=DATE_INPUT)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=255)

    def __init__(self, *args, fixed: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = selectors.terms_list()
        if fixed:
            # A period stays in its term and study form: delete it and add another to move it.
            for name in ("term", "study_form"):
                self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The period must end after it starts."))
        if cleaned.get("kind") == PeriodKind.MODULE and not cleaned.get("number"):
            self.add_error("number", _("Give the module week its number."))
        return cleaned


def _calendar_url(period: CalendarPeriod) -> str:
    return f"{reverse('grades:calendar')}?term={period.term_id}&study_form={period.study_form}"


def _access_period(user, period_id: int) -> CalendarPeriod:
    permissions.access_calendar(user, write=True)
    period = (
        CalendarPeriod.objects.select_related("term__academic_year").filter(pk=period_id).first()
    )
    if period is None:
        raise Http404(_("Page not found."))
    return period


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """The calendar of a term (the current one by default) per study form, with a timeline."""
    permissions.access_calendar(request.user)
    form = CalendarFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    term = data.get("term") or selectors.term_current()
    study_form = data.get("study_form") or ""
    timelines = []
    if term is not None:
        periods = CalendarPeriod.objects.filter(term=term).order_by("study_form", "starts_on", "pk")
        if study_form:
            periods = periods.filter(study_form=study_form)
        span = max((term.ends_on - term.starts_on).days + 1, 1)
        forms_ = dict(StudyForm.choices)
        by_form: dict[str, list] = {}
        for period in periods:
            offset = max((period.starts_on - term.starts_on).days, 0)
            length = (period.ends_on - period.starts_on).days + 1
            period.left = round(offset * 100 / span, 2)
            period.width = max(round(length * 100 / span, 2), 0.5)
            by_form.setdefault(period.study_form, []).append(period)
        timelines = [(forms_.get(key, key), items) for key, items in by_form.items()]
    context = {
        "form": form,
        "term": term,
        "timelines": timelines,
        "may_keep": permissions.may_keep_calendar(request.user),
    }
    return render(request, "grades/results/calendar.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_create(request: HttpRequest) -> HttpResponse:
    permissions.access_calendar(request.user, write=True)
    initial = {
        "term": request.GET.get("term") or getattr(selectors.term_current(), "pk", None),
        "study_form": request.GET.get("study_form") or StudyForm.FULL_TIME,
    }
    form = PeriodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = actions.calendar_period_create(
                by=request.user,
                term=data["term"],
                study_form=data["study_form"],
                kind=data["kind"],
                number=data["number"] or 0,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
            )
        except DomainError as error:
            _show_errors(request, form, error)
        else:
            messages.success(request, _("The period is added to the calendar."))
            return redirect(_calendar_url(period))
    context = {"form": form, "title": _("New period of the academic calendar")}
    return render(request, "grades/results/period_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _access_period(request.user, period_id)
    initial = {
        "term": period.term_id,
        "study_form": period.study_form,
        "kind": period.kind,
        "number": period.number or None,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "note": period.note,
    }
    form = PeriodForm(request.POST or None, initial=initial, fixed=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.calendar_period_update(
                by=request.user,
                period=period,
                kind=data["kind"],
                number=data["number"] or 0,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
            )
        except DomainError as error:
            _show_errors(request, form, error)
        else:
            messages.success(request, _("The period is saved."))
            return redirect(_calendar_url(period))
    context = {"form": form, "title": _("Period of the academic calendar"), "period": period}
    return render(request, "grades/results/period_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_delete(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _access_period(request.user, period_id)
    back = _calendar_url(period)
    if request.method == "POST":
        actions.calendar_period_delete(by=request.user, period=period)
        messages.success(request, _("The period is removed from the calendar."))
        return redirect(back)
    question = _("Remove %(period)s (%(form)s, term %(term)s) from the calendar?") % {
        "period": period,
        "form": period.get_study_form_display(),
        "term": period.term,
    }
    return render(
        request, "confirm.html", {"question": question, "button": _("Remove"), "cancel_url": back}
    )


# --- Session results, final journal, monitoring, rating (GB-10, GB-11) -------------------


class OfficeForm(forms.Form):
    """The term and the units an office report is about, limited to the reader's scope."""

    term = forms.ModelChoiceField(
        label=gettext_lazy("Term"), queryset=Term.objects.none(), required=False
    )

    def __init__(self, data, *, scopes) -> None:
        super().__init__(data or None)
        self.scopes = scopes
        self.fields["term"].queryset = selectors.terms_list()
        if "faculty" in self.fields:
            self.fields["faculty"].queryset = selectors.faculties_in_scope(scopes)
        if "group" in self.fields:
            self.fields["group"].queryset = selectors.groups_in_scope(scopes).order_by("name")
        if "specialty" in self.fields:
            self.fields["specialty"].queryset = selectors.specialties_in_scope(scopes)

    def values(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {**data, "term": data.get("term") or selectors.term_current()}


class ResultsForm(OfficeForm):
    by = forms.ChoiceField(
        label=gettext_lazy("Results"), required=False, choices=selectors.RESULT_DIMENSIONS
    )
    faculty = forms.ModelChoiceField(
        label=gettext_lazy("Faculty"), queryset=Term.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=gettext_lazy("Group"), queryset=Term.objects.none(), required=False
    )
    include_open = forms.BooleanField(
        label=gettext_lazy("Count the sheets still open"), required=False
    )


@login_required
@require_GET
def session_results(request: HttpRequest) -> HttpResponse:
    """Session results per faculty, group or course, with charts; exportable."""
    permissions.access_grades_office(request.user)
    scopes = permissions.office_scopes(request.user)
    form = ResultsForm(request.GET, scopes=scopes)
    values = form.values()
    results = None
    if values["term"] is not None and not form.errors:
        results = selectors.session_results(
            term=values["term"],
            scopes=scopes,
            by=values.get("by") or selectors.FACULTY,
            faculty=getattr(values.get("faculty"), "pk", None),
            group=getattr(values.get("group"), "pk", None),
            include_open=bool(values.get("include_open")),
            scale=scale_for(),
        )
        fmt = requested_format(request)
        if fmt:
            headers, rows = selectors.session_results_export(results)
            title = _("Session results, term %(term)s") % {"term": results.term}
            return export_response(
                fmt=fmt, filename="session-results", title=title, headers=headers, rows=rows
            )
    context = {
        "form": form,
        "results": results,
        "chart": selectors.session_results_chart(results) if results else None,
    }
    return render(request, "grades/results/session_results.html", context)


class FinalJournalForm(OfficeForm):
    group = forms.ModelChoiceField(
        label=gettext_lazy("Group"), queryset=Term.objects.none(), required=False
    )


@login_required
@require_GET
def final_journal(request: HttpRequest) -> HttpResponse:
    """The final-score journal of a group in a term: students × courses; exportable."""
    permissions.access_grades_office(request.user)
    form = FinalJournalForm(request.GET, scopes=permissions.office_scopes(request.user))
    values = form.values()
    journal = None
    if values.get("group") and values["term"] is not None:
        journal = selectors.final_journal(group=values["group"], term=values["term"])
        fmt = requested_format(request)
        if fmt:
            headers, rows = selectors.final_journal_export(journal)
            title = _("Final scores of %(group)s, term %(term)s") % {
                "group": journal.group.name,
                "term": journal.term,
            }
            return export_response(
                fmt=fmt, filename="final-scores", title=title, headers=headers, rows=rows
            )
    return render(request, "grades/results/final_journal.html", {"form": form, "journal": journal})


@login_required
@require_GET
def session_monitor(request: HttpRequest) -> HttpResponse:
    """Sheets closed of all, per faculty and group, kept current by SHEET_CLOSED events."""
    permissions.access_grades_office(request.user)
    scopes = permissions.office_scopes(request.user)
    form = OfficeForm(request.GET, scopes=scopes)
    term = form.values()["term"]
    whole, faculties = selectors.session_progress(term=term, scopes=scopes) if term else (None, [])
    data = selectors.session_progress_data(whole, faculties) if whole else None
    context = {"form": form, "term": term, "whole": whole, "faculties": faculties, "data": data}
    return render(request, "grades/results/session_monitor.html", context)


@login_required
@require_GET
def session_monitor_data(request: HttpRequest) -> JsonResponse:
    """The monitoring figures of `?term=` (the current term by default) as JSON."""
    permissions.access_grades_office(request.user)
    scopes = permissions.office_scopes(request.user)
    form = OfficeForm(request.GET, scopes=scopes)
    if form.is_bound and not form.is_valid():
        return JsonResponse({"detail": _("Choose an existing term.")}, status=400)
    term = form.values()["term"]
    if term is None:
        return JsonResponse({"total": None, "faculties": []})
    whole, faculties = selectors.session_progress(term=term, scopes=scopes)
    return JsonResponse(selectors.session_progress_data(whole, faculties))


class RatingForm(OfficeForm):
    group = forms.ModelChoiceField(
        label=gettext_lazy("Group"), queryset=Term.objects.none(), required=False
    )
    specialty = forms.ModelChoiceField(
        label=gettext_lazy("Specialty"), queryset=Term.objects.none(), required=False
    )
    faculty = forms.ModelChoiceField(
        label=gettext_lazy("Faculty"), queryset=Term.objects.none(), required=False
    )

    def clean(self):
        cleaned = super().clean()
        chosen = [n for n in ("group", "specialty", "faculty") if cleaned.get(n)]
        if len(chosen) > 1:
            raise forms.ValidationError(_("Choose one: a group, a specialty or a faculty."))
        return cleaned


@login_required
@require_GET
def rating(request: HttpRequest) -> HttpResponse:
    """Students of a group, specialty or faculty ranked by checkpoint points; exportable."""
    permissions.access_grades_office(request.user)
    scopes = permissions.office_scopes(request.user)
    form = RatingForm(request.GET, scopes=scopes)
    values = form.values()
    rows = None
    chosen = any(values.get(n) for n in ("group", "specialty", "faculty"))
    if chosen and values["term"] is not None:
        rows = selectors.rating(
            term=values["term"],
            scopes=scopes,
            group=getattr(values.get("group"), "pk", None),
            specialty=getattr(values.get("specialty"), "pk", None),
            faculty=getattr(values.get("faculty"), "pk", None),
        )
        fmt = requested_format(request)
        if fmt:
            headers, export_rows = selectors.rating_export(rows)
            title = _("Rating, term %(term)s") % {"term": values["term"]}
            return export_response(
                fmt=fmt, filename="rating", title=title, headers=headers, rows=export_rows
            )
    context = {"form": form, "rows": rows, "term": values["term"]}
    return render(request, "grades/results/rating.html", context)
