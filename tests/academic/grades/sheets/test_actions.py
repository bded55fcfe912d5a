"""Exam sheets: generation, following the records, filling, closing, changes, retakes (GB-3/4/8/9, AC-3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from academic.curricula.models import ControlForm
from academic.grades.actions import sheets as actions
from academic.grades.models import (
    AcademicDifference,
    Checkpoint,
    Course,
    Debt,
    DebtKind,
    DebtStatus,
    ExamSheet,
    RequestStatus,
    Score,
    ScoreSource,
    SheetKind,
    SheetLine,
    SheetStatus,
)
from academic.records import actions as records_actions
from academic.records.models import OrderKind
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.academic.grades.conftest import make_course
from tests.academic.grades.sheets.conftest import ON, give_points, sheet_of

pytestmark = pytest.mark.usefixtures("in_english")


def line_of(sheet, student) -> SheetLine:
    return SheetLine.objects.get(sheet=sheet, student=student)


# --- Generation ---------------------------------------------------------------------------


def test_generation_makes_courses_checkpoints_and_sheets_once(
    university, term, grades_plan, enrolled, cast
):
    result = actions.courses_generate(by=cast.academic_affairs, term=term, on=ON)
    assert (result.courses, result.sheets) == (2, 2)
    databases = Course.objects.get(group=university.group_a, discipline__code="DB")
    assert databases.teacher is None
    assert [(c.max_score, c.kind) for c in databases.checkpoints.all()] == [
        (30, "current"),
        (30, "current"),
        (40, "final"),
    ]
    sheets = ExamSheet.objects.filter(course__group=university.group_a)
    assert {s.control_form for s in sheets} == {ControlForm.EXAM, ControlForm.CREDIT}
    for sheet in sheets:
        assert sheet.number.startswith("2026-1-")
        assert set(sheet.lines.values_list("student_id", flat=True)) == {
            enrolled.student.pk,
            enrolled.other_student.pk,
        }
        assert sheet.lines.get(student=enrolled.student).joined_on == date(2026, 9, 1)
    again = actions.courses_generate(by=None, term=term, on=ON)
    assert (again.courses, again.sheets) == (0, 0)
    assert AuditEntry.objects.filter(action="course_create").count() == 2


def test_coursework_gets_its_own_sheet(university, term, grades_plan, enrolled):
    grades_plan.lines.filter(discipline__code="DB").update(has_coursework=True)
    actions.courses_generate(by=None, term=term, on=ON)
    forms = set(
        ExamSheet.objects.filter(course__discipline__code="DB").values_list(
            "control_form", flat=True
        )
    )
    assert forms == {ControlForm.EXAM, ControlForm.COURSEWORK}


def test_teacher_assignment_names_the_examiner_and_notifies(course, cast, sheet):
    actions.course_teacher_assign(by=cast.deanery_a, course=course, teacher=cast.other_teacher)
    sheet.refresh_from_db()
    assert sheet.teacher == cast.other_teacher
    assert cast.other_teacher.notifications.count() == 1


# --- Following the records ----------------------------------------------------------------


def test_transfer_mid_term_moves_the_student_between_sheets(
    university, term, course, enrolled, django_capture_on_commit_callbacks
):
    give_points(course, enrolled.student, 40)
    sheet_a = sheet_of(course)
    course_b = make_course(university.group_b, term, course.line)
    sheet_b = sheet_of(course_b)
    assert not sheet_b.lines.exists()
    moved_on = date(2026, 11, 2)
    order = records_actions.order_create(
        by=None, kind=OrderKind.TRANSFER, number="T-7", date=moved_on, effective_date=moved_on
    )
    records_actions.order_line_add(
        by=None, order=order, student=enrolled.student, group=university.group_b
    )
    with django_capture_on_commit_callbacks(execute=True):
        records_actions.order_sign(by=None, order=order, signer="Ректор")
    left = line_of(sheet_a, enrolled.student)
    assert left.left_on == moved_on
    joined = line_of(sheet_b, enrolled.student)
    assert (joined.joined_on, joined.left_on) == (moved_on, None)
    assert line_of(sheet_a, enrolled.other_student).left_on is None
    with pytest.raises(DomainError, match="no longer on the sheet"):
        actions.sheet_line_save(by=None, line=left, final_score=Decimal(30))


def test_a_closed_sheet_does_not_follow_the_records(university, course, sheet, enrolled):
    for line in sheet.lines.all():
        actions.sheet_line_save(by=None, line=line, final_score=Decimal(30))
    actions.sheet_close(by=None, sheet=sheet)
    records_actions.order_sign(
        by=None,
        order=_transfer(enrolled.student, university.group_b),
        signer="Ректор",
    )
    assert actions.sheet_sync(sheet=sheet, on=ON).left == []
    assert line_of(sheet, enrolled.student).left_on is None


def _transfer(student, group):
    order = records_actions.order_create(
        by=None, kind=OrderKind.TRANSFER, number="T-8", date=ON, effective_date=ON
    )
    records_actions.order_line_add(by=None, order=order, student=student, group=group)
    return order


# --- Filling ------------------------------------------------------------------------------


def test_a_score_is_graded_stored_on_the_final_checkpoint_and_versioned(course, sheet, enrolled):
    line = line_of(sheet, enrolled.student)
    saved = actions.sheet_line_save(by=None, line=line, final_score=Decimal(35), version=1)
    assert (saved.current_score, saved.total, saved.mark, saved.passed) == (
        Decimal(40),
        Decimal(75),
        4,
        True,
    )
    assert saved.version == 2
    final = course.checkpoints.get(kind="final")
    score = Score.objects.get(checkpoint=final, student=enrolled.student, source=ScoreSource.SHEET)
    assert score.value == Decimal(35)
    with pytest.raises(actions.SheetLineConflict) as conflict:
        actions.sheet_line_save(by=None, line=line, final_score=Decimal(10), version=1)
    assert conflict.value.current["final_score"] == "35.00"
    assert conflict.value.current["version"] == 2
    absent = actions.sheet_line_save(by=None, line=line, final_score=None, absent=True, version=2)
    assert (absent.passed, absent.mark) == (False, None)
    assert not Score.objects.filter(checkpoint=final, source=ScoreSource.SHEET).exists()


@pytest.mark.parametrize("value", [Decimal(-1), Decimal(41), Decimal("10.555")])
def test_out_of_range_scores_are_refused(sheet, enrolled, value):
    with pytest.raises(DomainError):
        actions.sheet_line_save(by=None, line=line_of(sheet, enrolled.student), final_score=value)


def test_a_student_below_the_minimum_is_not_admitted(course, enrolled):
    give_points(course, enrolled.student, 20)
    give_points(course, enrolled.other_student, 50)
    sheet = sheet_of(course)
    line = line_of(sheet, enrolled.student)
    assert not line.admitted
    assert "20" in line.admission_note
    with pytest.raises(DomainError, match="not admitted"):
        actions.sheet_line_save(by=None, line=line, final_score=Decimal(30))


def test_the_minimum_itself_admits_and_one_point_less_does_not(course, enrolled):
    give_points(course, enrolled.student, 31)
    give_points(course, enrolled.other_student, 30)
    sheet = sheet_of(course)
    assert line_of(sheet, enrolled.student).admitted
    assert not line_of(sheet, enrolled.other_student).admitted


def test_entries_outside_the_session_are_refused(course, sheet, enrolled):
    from academic.grades.models import CalendarPeriod, PeriodKind

    CalendarPeriod.objects.create(
        term=course.term,
        study_form=course.group.study_form,
        kind=PeriodKind.SESSION,
        starts_on=date(2027, 1, 10),
        ends_on=date(2027, 1, 25),
    )
    line = line_of(sheet, enrolled.student)
    with pytest.raises(DomainError, match="academic calendar"):
        actions.sheet_line_save(by=None, line=line, final_score=Decimal(30), on=date(2026, 12, 1))
    saved = actions.sheet_line_save(
        by=None, line=line, final_score=Decimal(30), on=date(2027, 1, 12)
    )
    assert saved.final_score == Decimal(30)


def test_a_pass_fail_credit_passes_from_the_passing_score(credit_sheet, enrolled):
    low = actions.sheet_line_save(
        by=None, line=line_of(credit_sheet, enrolled.student), final_score=Decimal(20)
    )
    assert (low.total, low.passed, low.mark, low.letter) == (Decimal(60), False, None, "")
    high = actions.sheet_line_save(
        by=None, line=line_of(credit_sheet, enrolled.other_student), final_score=Decimal(11)
    )
    assert (high.total, high.passed) == (Decimal(61), True)


# --- Closing ------------------------------------------------------------------------------


def test_closing_needs_every_result_then_locks_and_opens_debts(course, sheet, enrolled, cast):
    first = line_of(sheet, enrolled.student)
    actions.sheet_line_save(by=None, line=first, final_score=Decimal(5))  # 45: failed
    with pytest.raises(DomainError, match="no result"):
        actions.sheet_close(by=cast.teacher, sheet=sheet)
    actions.sheet_line_save(
        by=None, line=line_of(sheet, enrolled.other_student), final_score=None, absent=True
    )
    closed = actions.sheet_close(by=cast.teacher, sheet=sheet)
    assert (closed.status, closed.closed_by) == (SheetStatus.CLOSED, cast.teacher)
    assert closed.closed_at is not None
    debts = {d.student_id: d.kind for d in Debt.objects.all()}
    assert debts == {
        enrolled.student.pk: DebtKind.FAILED,
        enrolled.other_student.pk: DebtKind.MISSED,
    }
    with pytest.raises(DomainError, match="closed"):
        actions.sheet_line_save(by=None, line=first, final_score=Decimal(40))
    with pytest.raises(DomainError, match="already closed"):
        actions.sheet_close(by=cast.teacher, sheet=sheet)
    assert AuditEntry.objects.filter(action="sheet_close").count() == 1


def _closed(sheet, enrolled, student_score=Decimal(5), other_score=Decimal(30)):
    actions.sheet_line_save(
        by=None, line=line_of(sheet, enrolled.student), final_score=student_score
    )
    actions.sheet_line_save(
        by=None, line=line_of(sheet, enrolled.other_student), final_score=other_score
    )
    return actions.sheet_close(by=None, sheet=sheet)


# --- Changes of closed sheets -------------------------------------------------------------


def test_a_closed_sheet_changes_only_through_an_approved_request(course, sheet, enrolled, cast):
    _closed(sheet, enrolled)
    line = line_of(sheet, enrolled.student)
    request = actions.change_request_create(
        by=cast.teacher, line=line, new_final_score=Decimal(30), reason="Arithmetic error"
    )
    line.refresh_from_db()
    assert line.final_score == Decimal(5)  # nothing changes until the decision
    with pytest.raises(DomainError, match="awaiting decision"):
        actions.change_request_create(
            by=cast.teacher, line=line, new_final_score=Decimal(31), reason="again"
        )
    actions.change_request_decide(by=cast.vice_rector, request=request, approve=True, note="")
    line.refresh_from_db()
    assert (line.final_score, line.total, line.passed, line.mark) == (
        Decimal(30),
        Decimal(70),
        True,
        3,
    )
    debt = Debt.objects.get(line=line)
    assert debt.status == DebtStatus.CLOSED
    final = course.checkpoints.get(kind="final")
    assert Score.objects.get(checkpoint=final, student=enrolled.student).value == Decimal(30)
    assert cast.teacher.notifications.count() == 1
    assert AuditEntry.objects.filter(action="sheet_line_change").count() == 1


def test_a_rejected_request_leaves_the_sheet_unchanged(course, sheet, enrolled, cast):
    _closed(sheet, enrolled)
    line = line_of(sheet, enrolled.student)
    request = actions.change_request_create(
        by=cast.deanery_a, line=line, new_final_score=Decimal(30), reason="Appeal"
    )
    with pytest.raises(DomainError, match="why"):
        actions.change_request_decide(by=cast.vice_rector, request=request, approve=False)
    decided = actions.change_request_decide(
        by=cast.vice_rector, request=request, approve=False, note="The appeal was late"
    )
    assert decided.status == RequestStatus.REJECTED
    line.refresh_from_db()
    assert (line.final_score, line.passed) == (Decimal(5), False)
    assert Debt.objects.get(line=line).status == DebtStatus.OPEN
    with pytest.raises(DomainError, match="already been decided"):
        actions.change_request_decide(by=cast.vice_rector, request=request, approve=True)


def test_requests_for_open_sheets_or_without_change_are_refused(sheet, enrolled, cast):
    line = line_of(sheet, enrolled.student)
    with pytest.raises(DomainError, match="open"):
        actions.change_request_create(
            by=cast.teacher, line=line, new_final_score=Decimal(30), reason="x"
        )
    _closed(sheet, enrolled)
    line.refresh_from_db()
    with pytest.raises(DomainError, match="same"):
        actions.change_request_create(
            by=cast.teacher, line=line, new_final_score=Decimal(5), reason="x"
        )
    with pytest.raises(DomainError):
        actions.change_request_create(
            by=cast.teacher, line=line, new_final_score=Decimal(50), reason="x"
        )


# --- Retakes and differences --------------------------------------------------------------


def test_a_retake_clears_the_debts_of_those_who_pass(course, sheet, enrolled, cast):
    _closed(sheet, enrolled, student_score=Decimal(5), other_score=Decimal(0))
    assert Debt.objects.filter(status=DebtStatus.OPEN).count() == 2
    with pytest.raises(DomainError, match="no open debt"):
        actions.retake_sheet_create(
            by=cast.deanery_a,
            course=course,
            control_form=ControlForm.CREDIT,
            students=[enrolled.student],
        )
    retake = actions.retake_sheet_create(
        by=cast.deanery_a,
        course=course,
        control_form=ControlForm.EXAM,
        students=[enrolled.student, enrolled.other_student],
    )
    assert (retake.kind, retake.attempt) == (SheetKind.RETAKE, 2)
    assert retake.lines.count() == 2
    actions.sheet_line_save(
        by=None, line=line_of(retake, enrolled.student), final_score=Decimal(30)
    )
    actions.sheet_line_save(
        by=None, line=line_of(retake, enrolled.other_student), final_score=Decimal(5)
    )
    actions.sheet_close(by=None, sheet=retake)
    cleared = Debt.objects.get(student=enrolled.student)
    assert (cleared.status, cleared.cleared_by) == (
        DebtStatus.CLOSED,
        line_of(retake, enrolled.student),
    )
    assert Debt.objects.get(student=enrolled.other_student).status == DebtStatus.OPEN
    assert Debt.objects.count() == 2  # a failed retake keeps the first debt, adds none


def test_academic_difference_is_created_and_cleared_by_a_pass(enrolled, course, cast):
    difference = actions.difference_create(
        by=cast.deanery_a,
        student=enrolled.student,
        discipline=course.discipline,
        semester=3,
        credits=4,
        control_form=ControlForm.EXAM,
        due_on=date(2027, 1, 20),
    )
    with pytest.raises(DomainError, match="already owes"):
        actions.difference_create(
            by=None,
            student=enrolled.student,
            discipline=course.discipline,
            semester=3,
            credits=4,
            control_form=ControlForm.EXAM,
        )
    failed = actions.difference_result_record(by=None, difference=difference, score=Decimal(50))
    assert (failed.status, failed.mark) == (DebtStatus.OPEN, 2)
    passed = actions.difference_result_record(
        by=None, difference=difference, score=Decimal(88), on=date(2027, 1, 15)
    )
    assert (passed.status, passed.letter, passed.mark, passed.cleared_on) == (
        DebtStatus.CLOSED,
        "A-",
        5,
        date(2027, 1, 15),
    )
    assert AcademicDifference.objects.count() == 1


def test_nightly_task_generates_and_syncs(university, term, grades_plan, enrolled, settings):
    from academic.grades.tasks import nightly_sheets

    made = nightly_sheets()
    assert made["sheets"] >= 0
    schedule = settings.CELERY_BEAT_SCHEDULE["grades-nightly-sheets"]
    assert schedule["task"] == nightly_sheets.name


def test_checkpoints_sum_to_a_hundred(university, term, grades_plan):
    actions.courses_generate(by=None, term=term, on=ON)
    for course in Course.objects.all():
        assert (
            sum(Checkpoint.objects.filter(course=course).values_list("max_score", flat=True)) == 100
        )


def test_an_elective_gets_a_course_only_when_a_student_of_the_group_chose_it(
    university, term, grades_plan, enrolled
):
    from academic.curricula.models import Component, IndividualPlan

    physics = grades_plan.lines.get(discipline__code="PH")
    grades_plan.lines.filter(pk=physics.pk).update(component=Component.ELECTIVE)
    actions.courses_generate(by=None, term=term, on=ON)
    assert not Course.objects.filter(discipline__code="PH").exists()
    plan = IndividualPlan.objects.create(
        student=enrolled.student.user, curriculum=grades_plan.curriculum
    )
    plan.choices.add(physics.source)
    made = actions.courses_generate(by=None, term=term, on=ON)
    assert made.courses == 1
    assert Course.objects.filter(discipline__code="PH", group=university.group_a).exists()
