"""Grading scale, settings, academic calendar, session results and rating (GB-1, GB-7, GB-10, GB-11).

The scale and the calendar are read by everyone signed in; the scale and the
settings are kept by the administrator and the vice-rector (APPROVE on grades
institution-wide), the calendar by academic affairs and the administrator
(EDIT on curricula institution-wide). Session results, final scores,
monitoring and the rating are for those reading grades as an office.
"""

from __future__ import annotations

from datetime import date

from academic.grades.models import CalendarPeriod, PeriodKind
from academic.structure.models import AcademicYear, StudyForm, Term
from tests.policy import SIGNED_IN, Policy

# VIEW on grades beyond their own data: each within their scope.
GRADES_OFFICE = frozenset(
    {
        "admin",
        "vice_rector",
        "records_office",
        "academic_affairs",
        "deanery_a",
        "deanery_b",
        "curator",
    }
)
SCALE_KEEPERS = frozenset({"admin", "vice_rector"})
CALENDAR_KEEPERS = frozenset({"admin", "academic_affairs"})

POLICY = {
    "grades:scale": SIGNED_IN,
    "grades:scale-edit": Policy(SCALE_KEEPERS),
    "grades:grading-settings": Policy(SCALE_KEEPERS),
    "grades:calendar": SIGNED_IN,
    "grades:calendar-create": Policy(CALENDAR_KEEPERS),
    "grades:calendar-edit": Policy(CALENDAR_KEEPERS, kwargs="calendar_period"),
    "grades:calendar-delete": Policy(CALENDAR_KEEPERS, kwargs="calendar_period"),
    "grades:session-results": Policy(GRADES_OFFICE),
    "grades:final-journal": Policy(GRADES_OFFICE),
    "grades:session-monitor": Policy(GRADES_OFFICE),
    "grades:session-monitor-data": Policy(GRADES_OFFICE),
    "grades:rating": Policy(GRADES_OFFICE),
}


def objects(cast, university) -> dict[str, dict]:
    year = AcademicYear.objects.create(
        name="2030–2031", starts_on=date(2030, 9, 1), ends_on=date(2031, 6, 30)
    )
    term = Term.objects.create(
        academic_year=year, number=1, starts_on=date(2030, 9, 1), ends_on=date(2031, 1, 31)
    )
    period = CalendarPeriod.objects.create(
        term=term,
        study_form=StudyForm.FULL_TIME,
        kind=PeriodKind.SESSION,
        starts_on=date(2031, 1, 10),
        ends_on=date(2031, 1, 25),
    )
    return {"calendar_period": {"period_id": period.pk}}
