"""When the journal and the sheets are open, read from the academic calendar (GB-7).

The calendar of a term is kept per study form (CalendarPeriod). Where an office
has not entered one, the term's own dates stand in: the journal is open for
the term, and the sheets whenever they are not closed. Once periods exist:

- the journal is open from the term's start to the end of its last period;
- a regular sheet takes scores during the examination session, a retake sheet
  during a retake period (or the session, when no retake period is set).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from academic.grades.models import CalendarPeriod, PeriodKind, SheetKind


@dataclass(frozen=True)
class Window:
    """Open from `starts_on` to `ends_on` inclusive; `reason` says why not, when closed."""

    starts_on: date | None
    ends_on: date | None

    def contains(self, on: date) -> bool:
        return (self.starts_on is None or self.starts_on <= on) and (
            self.ends_on is None or on <= self.ends_on
        )


def periods_of(term, study_form: str) -> list[CalendarPeriod]:
    """The term's calendar for one study form, in date order (one query)."""
    return list(CalendarPeriod.objects.filter(term=term, study_form=study_form))


def journal_window(course, periods: list[CalendarPeriod] | None = None) -> Window:
    """When the journal of `course` takes attendance and scores."""
    periods = periods_of(course.term, course.group.study_form) if periods is None else periods
    ends = max((p.ends_on for p in periods), default=course.term.ends_on)
    return Window(course.term.starts_on, max(ends, course.term.ends_on))


def sheet_window(sheet, periods: list[CalendarPeriod] | None = None) -> Window:
    """When `sheet` takes scores: its session or retake period; open-ended without a calendar."""
    course = sheet.course
    periods = periods_of(course.term, course.group.study_form) if periods is None else periods
    wanted = (
        [PeriodKind.RETAKE, PeriodKind.SESSION]
        if sheet.kind == SheetKind.RETAKE
        else [PeriodKind.SESSION]
    )
    for kind in wanted:
        matching = [p for p in periods if p.kind == kind]
        if matching:
            return Window(min(p.starts_on for p in matching), max(p.ends_on for p in matching))
    return Window(None, None)


def closed_reason(window: Window, on: date | None = None) -> str | None:
    """Why nothing may be entered on `on` (today by default), or None when it may."""
    on = on or timezone.localdate()
    if window.contains(on):
        return None
    return _("Entries are open from %(start)s to %(end)s by the academic calendar.") % {
        "start": window.starts_on or "…",
        "end": window.ends_on or "…",
    }
