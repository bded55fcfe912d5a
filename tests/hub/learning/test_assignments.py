"""Assignments: give → submit → late rules → check → score in the journal → notifications
(TC-5, SC-2, DL-4)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from academic.grades.models import Score, ScoreSource
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from hub.learning.actions import assignment_give, submission_check, submission_submit
from hub.learning.models import LatePolicy, Submission, SubmissionStatus
from realtime.models import Notification
from tests.hub.learning.conftest import in_days, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def give(stream, teacher, **fields):
    values = {
        "title_en": "Essay",
        "deadline": in_days(7),
        "max_score": 10,
        "checkpoint": stream.course.checkpoints.get(order=1),
    }
    return assignment_give(by=teacher, ecourse=stream.ecourse, **(values | fields))


def test_giving_notifies_the_students_of_the_stream(stream, cast):
    assignment = give(stream, cast.teacher)

    notes = Notification.objects.filter(title="New assignment: Essay")
    assert {n.recipient_id for n in notes} == {cast.student.pk, cast.other_student.pk}
    assert notes[0].url == reverse("learning:assignment", args=[assignment.pk])
    assert AuditEntry.objects.filter(action="assignment_give").exists()


def test_an_assignment_for_a_chosen_student_goes_to_them_only(stream, cast):
    assignment = give(stream, cast.teacher, students=[stream.other_student])

    notes = Notification.objects.filter(title="New assignment: Essay")
    assert [n.recipient_id for n in notes] == [cast.other_student.pk]
    with pytest.raises(DomainError, match="not given to you"):
        submission_submit(by=cast.student, assignment=assignment, text="Mine")


def test_the_maximum_must_fit_the_checkpoint(stream, cast):
    with pytest.raises(DomainError, match="more than the checkpoint's 30 points"):
        give(stream, cast.teacher, max_score=40)


def test_submitting_notifies_the_teacher(stream, cast):
    assignment = give(stream, cast.teacher)

    submission = submission_submit(
        by=cast.student, assignment=assignment, text="My essay", files=[pdf("essay.pdf")]
    )

    assert submission.status == SubmissionStatus.SUBMITTED and not submission.late
    assert submission.files.get().file_name == "essay.pdf"
    note = Notification.objects.get(recipient=cast.teacher)
    assert note.title == f"{cast.student.get_full_name()} submitted Essay"
    assert note.url == reverse("learning:submission", args=[submission.pk])


def test_resubmitting_before_the_deadline_replaces_the_work(stream, cast):
    assignment = give(stream, cast.teacher)
    submission_submit(by=cast.student, assignment=assignment, text="First")

    submission_submit(by=cast.student, assignment=assignment, text="Second")

    assert Submission.objects.get().text == "Second"


def test_an_empty_submission_is_refused(stream, cast):
    assignment = give(stream, cast.teacher)

    with pytest.raises(DomainError, match="Write an answer or attach a file"):
        submission_submit(by=cast.student, assignment=assignment, text="  ")


def test_late_work_is_refused_by_default(stream, cast):
    assignment = give(stream, cast.teacher, deadline=in_days(-1))

    with pytest.raises(DomainError, match="deadline has passed"):
        submission_submit(by=cast.student, assignment=assignment, text="Late")
    assert not Submission.objects.exists()


def test_late_work_is_marked_when_the_policy_accepts_it(stream, cast):
    assignment = give(stream, cast.teacher, deadline=in_days(-1), late_policy=LatePolicy.MARK)

    submission = submission_submit(by=cast.student, assignment=assignment, text="Late")

    assert submission.late


def test_a_late_penalty_reduces_the_points_in_the_journal(stream, cast):
    assignment = give(
        stream, cast.teacher, deadline=in_days(-1), late_policy=LatePolicy.PENALTY, late_penalty=20
    )
    submission = submission_submit(by=cast.student, assignment=assignment, text="Late")

    submission_check(by=cast.teacher, submission=submission, score="8")

    score = Score.objects.get(source=ScoreSource.ASSIGNMENT)
    assert score.value == Decimal("6.40")
    assert submission.score == Decimal("8.00") and submission.points == Decimal("6.40")


def test_the_score_lands_in_the_journal_checkpoint(stream, cast):
    assignment = give(stream, cast.teacher)
    submission = submission_submit(by=cast.student, assignment=assignment, text="Essay")

    submission_check(by=cast.teacher, submission=submission, score="7,5", comment="Good")

    score = Score.objects.get()
    assert (score.checkpoint, score.student, score.value) == (
        assignment.checkpoint, stream.student, Decimal("7.50"),
    )  # fmt: skip
    assert (score.source, score.ref) == (
        ScoreSource.ASSIGNMENT,
        f"learning.submission:{submission.pk}",
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CHECKED and submission.comment == "Good"
    note = Notification.objects.get(recipient=cast.student, title="Checked: Essay")
    assert note.body == "Score 7.50 of 10."


def test_checking_again_updates_the_one_journal_row(stream, cast):
    assignment = give(stream, cast.teacher)
    submission = submission_submit(by=cast.student, assignment=assignment, text="Essay")
    submission_check(by=cast.teacher, submission=submission, score="5")

    submission_check(by=cast.teacher, submission=submission, score="9")

    assert list(Score.objects.values_list("value", flat=True)) == [Decimal("9.00")]


def test_clearing_the_score_withdraws_it_from_the_journal(stream, cast):
    assignment = give(stream, cast.teacher)
    submission = submission_submit(by=cast.student, assignment=assignment, text="Essay")
    submission_check(by=cast.teacher, submission=submission, score="5")

    submission_check(by=cast.teacher, submission=submission, score="", rework=True)

    assert not Score.objects.exists()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED and submission.score is None


def test_a_score_outside_the_maximum_is_refused(stream, cast):
    assignment = give(stream, cast.teacher)
    submission = submission_submit(by=cast.student, assignment=assignment, text="Essay")

    with pytest.raises(DomainError, match="from 0 to 10"):
        submission_check(by=cast.teacher, submission=submission, score="11")
    assert not Score.objects.exists()


def test_work_returned_for_rework_is_resent_after_the_deadline(stream, cast):
    assignment = give(stream, cast.teacher, deadline=in_days(-1), late_policy=LatePolicy.MARK)
    submission = submission_submit(by=cast.student, assignment=assignment, text="Draft")
    assignment.late_policy = LatePolicy.REFUSE
    assignment.save()
    submission_check(by=cast.teacher, submission=submission, rework=True, comment="Redo part 2")
    assert Notification.objects.filter(
        recipient=cast.student, title="Returned for rework: Essay"
    ).exists()

    again = submission_submit(by=cast.student, assignment=assignment, text="Reworked")

    assert again.status == SubmissionStatus.SUBMITTED and again.text == "Reworked"


def test_an_assignment_without_a_checkpoint_keeps_the_score_out_of_the_journal(stream, cast):
    assignment = give(stream, cast.teacher, checkpoint=None)
    submission = submission_submit(by=cast.student, assignment=assignment, text="Essay")

    submission_check(by=cast.teacher, submission=submission, score="4")

    assert not Score.objects.exists()
    assert submission.score == Decimal("4.00")


def test_a_student_of_another_group_of_the_stream_scores_in_their_own_course(
    stream, cast, university
):
    from academic.records import actions as records
    from academic.records.models import OrderKind
    from hub.accounts.models import User
    from tests.grades_objects import graded_course

    course_b = graded_course(university.group_b, stream.term, stream.line, teacher=cast.teacher)
    assignment = give(stream, cast.teacher)
    submission = submission_submit(by=cast.student, assignment=assignment, text="Essay")
    submission_check(by=cast.teacher, submission=submission, score="5")
    today = timezone.localdate()
    order = records.order_create(
        by=None, kind=OrderKind.TRANSFER, number="T-2", date=today, effective_date=today
    )
    records.order_line_add(by=None, order=order, student=stream.student, group=university.group_b)
    records.order_sign(by=None, order=order, signer="Ректор")
    submission = Submission.objects.get(pk=submission.pk)

    submission_check(by=User.objects.get(pk=cast.teacher.pk), submission=submission, score="6")

    score = Score.objects.get()  # the row in group A's course was withdrawn
    assert score.checkpoint == course_b.checkpoints.get(order=1)
    assert score.value == Decimal("6.00")


def test_only_students_and_groups_of_the_stream_can_be_chosen(stream, cast, university):
    from tests.conftest import personal_file

    outsider = personal_file(cast.applicant, "24-0099")

    with pytest.raises(DomainError, match="Choose students of this course"):
        give(stream, cast.teacher, students=[outsider])
    with pytest.raises(DomainError, match="Choose groups of this course"):
        give(stream, cast.teacher, groups=[university.group_b])
