"""Live events of sheets: a saved line to the grade audience, a closed sheet to the office."""

from __future__ import annotations

from decimal import Decimal

import pytest

from academic.grades.actions import sheets as actions
from academic.grades.models import SheetLine


@pytest.fixture
def sent(monkeypatch):
    events = []
    monkeypatch.setattr(
        actions, "send_event", lambda group, kind, data: events.append((group, str(kind), data))
    )
    return events


def test_a_saved_line_goes_to_the_grade_audience(sent, cast, course, sheet, enrolled):
    line = SheetLine.objects.get(sheet=sheet, student=enrolled.student)
    actions.sheet_line_save(by=None, line=line, final_score=Decimal(35))
    changed = [(g, d) for g, k, d in sent if k == "sheet.line_changed"]
    # The course's grids, the student, their parent and the group's curator view.
    assert {g for g, _d in changed} == {
        f"course.{course.pk}", f"user.{enrolled.student.user_id}", f"user.{cast.parent.pk}",
        f"academic.{course.group_id}",
    }  # fmt: skip
    data = changed[0][1]
    assert (data["sheet"], data["line"], data["final_score"], data["total"], data["mark"]) == (
        sheet.pk,
        line.pk,
        "35.00",
        "75.00",
        4,
    )
    assert set(data) == {
        "sheet", "line", "student", "final_score", "absent", "total", "letter", "mark", "passed",
        "version",
    }  # fmt: skip
    grade = [d for g, k, d in sent if k == "grade.changed"]
    assert grade and grade[0]["value"] == "35.00" and grade[0]["lesson"] is None


def test_a_closed_sheet_goes_to_the_grades_office_and_the_course(
    sent, university, course, sheet, enrolled
):
    for line in sheet.lines.all():
        actions.sheet_line_save(by=None, line=line, final_score=Decimal(20))
    sent.clear()
    actions.sheet_close(by=None, sheet=sheet)
    closed = [(g, d) for g, k, d in sent if k == "sheet.closed"]
    assert {g for g, _d in closed} == {"office.grades", f"course.{course.pk}"}
    data = closed[0][1]
    assert (data["sheet"], data["group"], data["faculty"], data["status"]) == (
        sheet.pk,
        university.group_a.pk,
        university.faculty_a.pk,
        "closed",
    )
