"""attendance_set and journal_score_set: ranges, versions, the roll and the calendar."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from academic.grades.actions import journal as actions
from academic.grades.models import Attendance, AttendanceMark, Score
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.academic.grades.journal.conftest import make_lesson, transfer

pytestmark = pytest.mark.usefixtures("today", "in_english")


def test_a_score_is_saved_with_the_students_totals(cast, enrolled, lesson):
    result = actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(7),
        expected_version=0,
    )

    assert (result.value, result.version) == (Decimal(7), 1)
    assert (result.checkpoint_total, result.total) == (Decimal(7), Decimal(7))
    score = Score.objects.get(lesson=lesson, student=enrolled.student)
    assert score.checkpoint_id == lesson.checkpoint_id and score.updated_by == cast.teacher
    assert AuditEntry.objects.filter(action="journal_score_set").count() == 1


def test_a_score_counts_with_other_results_capped_at_the_checkpoint_maximum(
    cast, enrolled, course, module_1
):
    for day in (1, 2, 3, 6):
        lesson = make_lesson(course, date(2026, 10, day), checkpoint=module_1, max_score=10)
        result = actions.journal_score_set(
            by=cast.teacher,
            lesson=lesson,
            student=enrolled.student,
            value=Decimal(9),
            expected_version=0,
        )

    assert result.checkpoint_total == Decimal(30)  # 36 capped at Module 1's 30


def test_an_edit_names_the_version_it_saw(cast, enrolled, lesson):
    first = actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(5),
        expected_version=0,
    )
    second = actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(8),
        expected_version=first.version,
    )

    assert second.version == 2
    assert Score.objects.get(lesson=lesson).value == Decimal(8)


def test_the_second_editor_of_a_cell_gets_a_conflict_with_the_current_value(
    cast, enrolled, course, lesson
):
    # Both teachers opened the grid with the empty cell (version 0).
    actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(6),
        expected_version=0,
    )
    with pytest.raises(actions.CellConflict) as conflict:
        actions.journal_score_set(
            by=cast.deanery_a,
            lesson=lesson,
            student=enrolled.student,
            value=Decimal(9),
            expected_version=0,
        )

    assert (conflict.value.value, conflict.value.version) == (Decimal(6), 1)
    assert "6" in str(conflict.value)
    assert Score.objects.get(lesson=lesson).value == Decimal(6)  # nothing overwritten


def test_the_second_editor_of_an_attendance_cell_gets_a_conflict(cast, enrolled, lesson):
    actions.attendance_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        mark=AttendanceMark.LATE,
        expected_version=0,
    )
    actions.attendance_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        mark=AttendanceMark.PRESENT,
        expected_version=1,
    )
    with pytest.raises(actions.CellConflict) as conflict:
        actions.attendance_set(
            by=cast.deanery_a,
            lesson=lesson,
            student=enrolled.student,
            mark=AttendanceMark.ABSENT,
            expected_version=1,
        )

    assert (conflict.value.value, conflict.value.version) == ("present", 2)
    assert Attendance.objects.get(lesson=lesson).mark == "present"


def test_clearing_a_cell_removes_it_and_its_version_starts_again(cast, enrolled, lesson):
    actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(5),
        expected_version=0,
    )
    result = actions.journal_score_set(
        by=cast.teacher, lesson=lesson, student=enrolled.student, value=None, expected_version=1
    )

    assert (result.value, result.version, result.total) == (None, 0, Decimal(0))
    assert not Score.objects.exists()
    assert AuditEntry.objects.filter(action="journal_score_clear").count() == 1


@pytest.mark.parametrize("value", [Decimal("-1"), Decimal("10.5"), Decimal(11)])
def test_a_score_out_of_the_lessons_range_is_refused(cast, enrolled, lesson, value):
    with pytest.raises(DomainError, match="from 0 to 10"):
        actions.journal_score_set(
            by=cast.teacher,
            lesson=lesson,
            student=enrolled.student,
            value=value,
            expected_version=0,
        )
    assert not Score.objects.exists()


def test_the_edges_of_the_range_are_taken(cast, enrolled, lesson):
    for version, value in enumerate((Decimal(0), Decimal(10))):
        actions.journal_score_set(
            by=cast.teacher,
            lesson=lesson,
            student=enrolled.student,
            value=value,
            expected_version=version,
        )
    assert Score.objects.get().value == Decimal(10)


def test_a_lesson_of_attendance_only_takes_no_score(cast, enrolled, course):
    lecture = make_lesson(course, date(2026, 10, 2))

    with pytest.raises(DomainError, match="attendance only"):
        actions.journal_score_set(
            by=cast.teacher,
            lesson=lecture,
            student=enrolled.student,
            value=Decimal(1),
            expected_version=0,
        )


def test_an_unknown_mark_is_refused(cast, enrolled, lesson):
    with pytest.raises(DomainError, match="present, absent, late or excused"):
        actions.attendance_set(
            by=cast.teacher,
            lesson=lesson,
            student=enrolled.student,
            mark="sick",
            expected_version=0,
        )


def test_a_closed_journal_is_refused(cast, enrolled, lesson, today):
    today.set(date(2027, 2, 15))

    with pytest.raises(DomainError, match="Entries are open from"):
        actions.journal_score_set(
            by=cast.teacher,
            lesson=lesson,
            student=enrolled.student,
            value=Decimal(5),
            expected_version=0,
        )
    with pytest.raises(DomainError, match="Entries are open from"):
        actions.attendance_set(
            by=cast.teacher,
            lesson=lesson,
            student=enrolled.student,
            mark="present",
            expected_version=0,
        )


def test_a_student_of_another_group_is_refused(cast, university, course, lesson):
    from tests.conftest import admit, personal_file

    stranger = personal_file(cast.other_student, "24-0099")
    admit([stranger], university.group_b, number="9-B")

    with pytest.raises(DomainError, match=r"was not a student of the group on 01\.10\.2026"):
        actions.attendance_set(
            by=cast.teacher, lesson=lesson, student=stranger, mark="present", expected_version=0
        )


def test_a_student_transferred_mid_term_leaves_the_journal_from_the_effective_date(
    cast, university, enrolled, course, lesson, late_lesson
):
    transfer(enrolled.other_student, university.group_b)

    before = actions.attendance_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.other_student,
        mark="present",
        expected_version=0,
    )
    with pytest.raises(DomainError, match=r"was not a student of the group on 20\.10\.2026"):
        actions.journal_score_set(
            by=cast.teacher,
            lesson=late_lesson,
            student=enrolled.other_student,
            value=Decimal(5),
            expected_version=0,
        )
    assert before.version == 1
