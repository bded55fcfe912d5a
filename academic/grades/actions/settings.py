"""Reference data of grading: the scale bands, grading settings and the academic calendar.

Kept by the administrator and the vice-rector (the scale, the settings) and
by academic affairs (the calendar). Every change is audited; nothing is sent
live: the pages that use these read them afresh on every request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from academic.grades.models import CalendarPeriod, GradingSettings, PeriodKind, ScaleBand
from academic.grades.scales import Band, scale_problems
from academic.structure.models import Institution, StudyForm, Term
from hub.audit.log import audit_record, snapshot
from hub.errors import DomainError
from hub.writes import create_audited, update_audited, validated_save

BAND_FIELDS = ("low", "high", "letter", "gpa", "mark")
SETTINGS_FIELDS = ("admission_minimum", "change_window_days")
PERIOD_FIELDS = ("term", "study_form", "kind", "number", "starts_on", "ends_on", "note")
SCALE_MAXIMUM = 100
# Teaching and the examination session of one study form never run at once.
EXCLUSIVE_KINDS = {PeriodKind.TEACHING: PeriodKind.SESSION, PeriodKind.SESSION: PeriodKind.TEACHING}


# --- Scale bands -------------------------------------------------------------------------


def _messages() -> dict[str, str]:
    # Built per call: each is translated into the language active now.
    return {
        "empty": _("A scale needs at least one band."),
        "reversed": _("The band %(letter)s starts (%(low)s) above its end (%(high)s)."),
        "gap": _("Scores %(at)s–%(before)s are in no band (a gap before %(letter)s)."),
        "overlap": _(
            "The band %(letter)s starts at %(low)s, inside the band before it (an overlap)."
        ),
        "mark": _("The band %(letter)s has a mark that is not 2–5."),
        "gpa": _("The band %(letter)s has GPA points outside 0–4."),
        "end": _("The bands end at %(end)s, not at %(maximum)s."),
        "falling": _("A higher score must never give a lower mark."),
        "letters": _("Every band needs its own letter."),
    }


def band_problems(bands: Sequence[Band], maximum: int = SCALE_MAXIMUM) -> list[str]:
    """Every reason `bands` do not make a scale over 0..maximum, in the user's language.

    The rules are scales.scale_problems'; this only words them for the page.
    """
    messages = _messages()
    return [messages[p.kind] % dict(p.values) for p in scale_problems(bands, maximum)]


@transaction.atomic
def scale_bands_replace(*, by, institution: Institution, bands: Sequence[Band]) -> list[ScaleBand]:
    """Replace the institution's scale bands with `bands` (GB-1), audited as one change.

    Raises DomainError with every problem when the bands do not cover 0–100
    exactly once with marks never falling as scores rise. Exam sheets closed
    before keep the letters and marks they were closed with; the scale applies
    to what is graded from now on. Nobody is notified.
    """
    problems = band_problems(bands)
    if problems:
        raise DomainError(problems[0], messages=problems)
    existing = list(ScaleBand.objects.select_for_update().filter(institution=institution))
    before = {"bands": [snapshot(b, BAND_FIELDS) for b in existing]}
    ScaleBand.objects.filter(institution=institution).delete()
    created = ScaleBand.objects.bulk_create(
        ScaleBand(
            institution=institution,
            low=b.low,
            high=b.high,
            letter=b.letter.strip(),
            gpa=b.gpa,
            mark=b.mark,
        )
        for b in sorted(bands, key=lambda band: -band.low)
    )
    after = {"bands": [snapshot(b, BAND_FIELDS) for b in created]}
    audit_record(
        action="scale_bands_replace", obj=institution, before=before, after=after, actor=by
    )
    return created


@transaction.atomic
def grading_settings_update(
    *, by, institution: Institution, admission_minimum: int, change_window_days: int
) -> GradingSettings:
    """Set the minimum points for exam admission and the days to ask for a sheet change.

    Creates the institution's settings on first use. Sheets apply the new
    minimum when they next check admission. Raises DomainError for a minimum
    above 100 or a window of 0 days. Nobody is notified.
    """
    if not 0 <= admission_minimum <= SCALE_MAXIMUM:
        raise DomainError(_("The minimum for admission lies between 0 and 100 points."))
    if change_window_days < 1:
        raise DomainError(_("Allow at least one day to ask for a change."))
    found = GradingSettings.objects.select_for_update().filter(institution=institution).first()
    values = {"admission_minimum": admission_minimum, "change_window_days": change_window_days}
    if found is None:
        return create_audited(
            GradingSettings,
            by=by,
            action="grading_settings_update",
            fields=SETTINGS_FIELDS,
            values={"institution": institution, **values},
        )
    return update_audited(
        found, by=by, action="grading_settings_update", fields=SETTINGS_FIELDS, changes=values
    )


# --- Academic calendar -------------------------------------------------------------------


def _period_problems(period: CalendarPeriod) -> list[str]:
    term = period.term
    problems = []
    if period.ends_on < period.starts_on:
        problems.append(_("The period must end after it starts."))
    if period.starts_on < term.starts_on or period.ends_on > term.ends_on:
        problems.append(
            _("The period must lie inside the term (%(start)s – %(end)s).")
            % {"start": term.starts_on.isoformat(), "end": term.ends_on.isoformat()}
        )
    if period.kind == PeriodKind.MODULE and period.number < 1:
        problems.append(_("Give the module week its number."))
    other_kind = EXCLUSIVE_KINDS.get(period.kind)
    if other_kind and not problems:
        clash = (
            CalendarPeriod.objects.filter(
                term=term,
                study_form=period.study_form,
                kind=other_kind,
                starts_on__lte=period.ends_on,
                ends_on__gte=period.starts_on,
            )
            .exclude(pk=period.pk)
            .first()
        )
        if clash:
            problems.append(
                _("The session and teaching cannot overlap: %(other)s runs %(start)s – %(end)s.")
                % {
                    "other": clash.get_kind_display(),
                    "start": clash.starts_on.isoformat(),
                    "end": clash.ends_on.isoformat(),
                }
            )
    return problems


def _period_checked_save(period: CalendarPeriod) -> CalendarPeriod:
    # The term is locked so two keepers adding a session and teaching weeks at
    # once cannot both pass the overlap check.
    Term.objects.select_for_update().filter(pk=period.term_id).first()
    problems = _period_problems(period)
    if problems:
        raise DomainError(problems[0], messages=problems)
    return validated_save(period)


@transaction.atomic
def calendar_period_create(
    *,
    by,
    term: Term,
    study_form: str,
    kind: str,
    starts_on: date,
    ends_on: date,
    number: int = 0,
    note: str = "",
) -> CalendarPeriod:
    """Add a period to the term's calendar of one study form (GB-7), audited.

    Raises DomainError when it ends before it starts, leaves the term, is a
    module week without a number, or makes the session and teaching overlap.
    The journal and sheets of the term follow it at once (academic.grades.calendar).
    """
    if study_form not in StudyForm.values or kind not in PeriodKind.values:
        raise DomainError(_("Choose the study form and the kind of the period."))
    period = CalendarPeriod(
        term=term,
        study_form=study_form,
        kind=kind,
        number=number if kind == PeriodKind.MODULE else 0,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip(),
    )
    _period_checked_save(period)
    audit_record(
        action="calendar_period_create", obj=period, after=snapshot(period, PERIOD_FIELDS), actor=by
    )
    return period


@transaction.atomic
def calendar_period_update(
    *,
    by,
    period: CalendarPeriod,
    kind: str,
    starts_on: date,
    ends_on: date,
    number: int = 0,
    note: str = "",
) -> CalendarPeriod:
    """Change a period's kind, dates, number or note, with the checks of calendar_period_create."""
    if kind not in PeriodKind.values:
        raise DomainError(_("Choose the study form and the kind of the period."))
    period = CalendarPeriod.objects.select_related("term").get(pk=period.pk)
    before = snapshot(period, PERIOD_FIELDS)
    period.kind = kind
    period.number = number if kind == PeriodKind.MODULE else 0
    period.starts_on, period.ends_on = starts_on, ends_on
    period.note = note.strip()
    _period_checked_save(period)
    audit_record(
        action="calendar_period_update",
        obj=period,
        before=before,
        after=snapshot(period, PERIOD_FIELDS),
        actor=by,
    )
    return period


@transaction.atomic
def calendar_period_delete(*, by, period: CalendarPeriod) -> None:
    """Remove a period from the calendar, audited with what it was."""
    before = snapshot(period, PERIOD_FIELDS)
    audit_record(action="calendar_period_delete", obj=period, before=before, actor=by)
    period.delete()
