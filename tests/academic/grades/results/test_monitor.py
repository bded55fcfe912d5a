"""Monitoring a running session: sheets closed of all, per faculty and group (GB-10)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academic.grades.models import SheetStatus
from academic.grades.selectors.results import session_progress
from hub.accounts.access import Scope
from tests.academic.grades.results.conftest import extra_group_with_sheet

pytestmark = pytest.mark.django_db


def test_progress_counts_closed_sheets_per_faculty_and_group(session, university):
    whole, faculties = session_progress(term=session.course_a.term, scopes=[Scope.institution()])

    assert (whole.closed, whole.sheets) == (2, 3)
    figures = {
        f.label: (f.closed, f.sheets, [(g.label, g.percent) for g in f.groups]) for f in faculties
    }
    assert figures == {
        university.faculty_a.name: (2, 2, [(university.group_a.name, 100)]),
        university.faculty_b.name: (0, 1, [(university.group_b.name, 0)]),
    }


def test_the_json_follows_a_sheet_closing(client, cast, session):
    client.force_login(cast.deanery_b)
    url = reverse("grades:session-monitor-data")
    term = session.course_a.term.pk

    before = client.get(url, {"term": term}).json()["total"]
    assert (before["closed"], before["sheets"]) == (0, 1)
    sheet = session.sheets[2]
    sheet.status = SheetStatus.CLOSED
    sheet.save()

    data = client.get(url, {"term": term}).json()
    assert (data["total"]["closed"], data["total"]["sheets"]) == (1, 1)
    assert [f["id"] for f in data["faculties"]] == [2]


def test_a_bad_term_is_a_400_with_a_reason(client, cast, session):
    client.force_login(cast.admin)

    response = client.get(reverse("grades:session-monitor-data"), {"term": "nope"})

    assert response.status_code == 400 and response.json()["detail"]


def test_the_page_draws_bars_and_loads_the_live_script(client, cast, session, university):
    client.force_login(cast.curator)

    response = client.get(reverse("grades:session-monitor"), {"term": session.course_a.term.pk})

    text = response.content.decode()
    assert f'data-progress="g{university.group_a.pk}"' in text
    assert f'data-progress="g{university.group_b.pk}"' not in text  # not the curator's group
    assert "js/session-monitor.js" in text


def test_the_page_costs_the_same_queries_whatever_the_sheets(client, cast, session, university):
    client.force_login(cast.admin)
    url = reverse("grades:session-monitor")

    with CaptureQueriesContext(connection) as before:
        client.get(url, {"term": session.course_a.term.pk})
    for n in range(3):
        extra_group_with_sheet(university, session, n)
    with CaptureQueriesContext(connection) as after:
        client.get(url, {"term": session.course_a.term.pk})
    assert len(before) == len(after)
