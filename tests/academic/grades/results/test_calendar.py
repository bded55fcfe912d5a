"""The academic calendar of a term per study form (GB-7)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from academic.grades.actions.settings import (
    calendar_period_create,
    calendar_period_delete,
    calendar_period_update,
)
from academic.grades.models import CalendarPeriod, PeriodKind
from academic.structure.models import StudyForm
from hub.audit.models import AuditEntry
from hub.errors import DomainError

pytestmark = pytest.mark.django_db
FULL, EVENING = StudyForm.FULL_TIME, StudyForm.PART_TIME


def _add(term, kind, start, end, *, study_form=FULL, number=0):
    return calendar_period_create(
        by=None,
        term=term,
        study_form=study_form,
        kind=kind,
        starts_on=start,
        ends_on=end,
        number=number,
    )


def test_a_period_is_added_and_audited(term):
    period = _add(term, PeriodKind.TEACHING, date(2026, 9, 1), date(2026, 12, 31))

    assert period.pk
    assert AuditEntry.objects.filter(action="calendar_period_create").count() == 1


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2026, 10, 5), date(2026, 10, 1), "The period must end after it starts."),
        (date(2026, 8, 20), date(2026, 9, 10), "The period must lie inside the term"),
        (date(2027, 1, 20), date(2027, 2, 5), "The period must lie inside the term"),
    ],
)
def test_dates_outside_the_term_or_backwards_are_refused(term, english, start, end, message):
    with pytest.raises(DomainError) as error:
        _add(term, PeriodKind.HOLIDAY, start, end)

    assert error.value.messages[0].startswith(message)
    assert not CalendarPeriod.objects.exists()


def test_the_session_cannot_overlap_teaching_of_the_same_study_form(term, english):
    _add(term, PeriodKind.TEACHING, date(2026, 9, 1), date(2026, 12, 31))

    with pytest.raises(DomainError) as error:
        _add(term, PeriodKind.SESSION, date(2026, 12, 25), date(2027, 1, 20))

    assert "cannot overlap" in str(error.value)
    # Another study form has its own calendar.
    _add(term, PeriodKind.SESSION, date(2026, 12, 25), date(2027, 1, 20), study_form=EVENING)
    # The day after teaching ends is fine.
    _add(term, PeriodKind.SESSION, date(2027, 1, 1), date(2027, 1, 20))


def test_a_module_week_needs_its_number(term, english):
    with pytest.raises(DomainError, match="number"):
        _add(term, PeriodKind.MODULE, date(2026, 10, 20), date(2026, 10, 26))

    period = _add(term, PeriodKind.MODULE, date(2026, 10, 20), date(2026, 10, 26), number=1)
    assert period.number == 1


def test_an_update_is_checked_like_a_creation(term, english):
    _add(term, PeriodKind.SESSION, date(2027, 1, 5), date(2027, 1, 25))
    teaching = _add(term, PeriodKind.TEACHING, date(2026, 9, 1), date(2026, 12, 31))

    with pytest.raises(DomainError):
        calendar_period_update(
            by=None,
            period=teaching,
            kind=PeriodKind.TEACHING,
            starts_on=date(2026, 9, 1),
            ends_on=date(2027, 1, 10),
        )
    moved = calendar_period_update(
        by=None,
        period=teaching,
        kind=PeriodKind.TEACHING,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 1, 4),
    )
    assert moved.ends_on == date(2027, 1, 4)
    calendar_period_delete(by=None, period=moved)
    assert AuditEntry.objects.filter(action__startswith="calendar_period_").count() == 4


def test_everyone_signed_in_reads_the_timeline(client, cast, term, english):
    _add(term, PeriodKind.TEACHING, date(2026, 9, 1), date(2026, 12, 31))
    _add(term, PeriodKind.SESSION, date(2027, 1, 5), date(2027, 1, 25))
    client.force_login(cast.student)

    response = client.get(reverse("grades:calendar"), {"term": term.pk})

    text = response.content.decode()
    assert response.status_code == 200
    assert "timeline__bar--teaching" in text and "timeline__bar--session" in text
    assert "left: 0.0%" in text
    assert reverse("grades:calendar-create") not in text


def test_the_keeper_adds_a_period_through_the_form(client, cast, term):
    client.force_login(cast.academic_affairs)
    data = {
        "term": term.pk,
        "study_form": FULL,
        "kind": PeriodKind.MODULE,
        "number": "2",
        "starts_on": "2026-11-20",
        "ends_on": "2026-11-27",
        "note": "Модуль 2",
    }

    response = client.post(reverse("grades:calendar-create"), data)

    assert response.status_code == 302
    assert CalendarPeriod.objects.get().number == 2


def test_an_overlap_in_the_form_is_shown_as_a_message(client, cast, term, english):
    _add(term, PeriodKind.TEACHING, date(2026, 9, 1), date(2026, 12, 31))
    client.force_login(cast.admin)
    data = {
        "term": term.pk,
        "study_form": FULL,
        "kind": PeriodKind.SESSION,
        "starts_on": "2026-12-20",
        "ends_on": "2027-01-10",
    }

    response = client.post(reverse("grades:calendar-create"), data)

    assert response.status_code == 200
    assert "cannot overlap" in response.content.decode()


def test_editing_keeps_the_term_and_study_form(client, cast, term):
    period = _add(term, PeriodKind.HOLIDAY, date(2026, 12, 30), date(2027, 1, 7))
    client.force_login(cast.admin)
    data = {
        "term": term.pk,
        "study_form": EVENING,
        "kind": PeriodKind.HOLIDAY,
        "starts_on": "2026-12-31",
        "ends_on": "2027-01-08",
    }

    response = client.post(reverse("grades:calendar-edit", args=[period.pk]), data)

    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.study_form, period.starts_on) == (FULL, date(2026, 12, 31))


def test_removing_asks_first(client, cast, term):
    period = _add(term, PeriodKind.HOLIDAY, date(2026, 12, 30), date(2027, 1, 7))
    client.force_login(cast.admin)
    url = reverse("grades:calendar-delete", args=[period.pk])

    assert client.get(url).status_code == 200
    assert CalendarPeriod.objects.exists()
    assert client.post(url).status_code == 302
    assert not CalendarPeriod.objects.exists()


def test_a_missing_period_is_not_found(client, cast, term):
    client.force_login(cast.admin)

    assert client.get(reverse("grades:calendar-edit", args=[999])).status_code == 404
