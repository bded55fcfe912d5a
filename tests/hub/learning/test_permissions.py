"""Who reads and writes an e-course; students follow the records (a transfer moves them)."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.utils import timezone

from academic.records import actions as records
from academic.records.models import OrderKind
from hub.accounts.models import User
from hub.learning.actions import assignment_give, submission_submit
from hub.learning.models import ECourse
from hub.learning.permissions import (
    access_assignment,
    access_ecourse,
    access_submission,
    visible_ecourses,
)
from tests.grades_objects import graded_course, plan_line
from tests.hub.learning.conftest import in_days
from tests.policies.learning import READERS, WRITERS
from tests.policy import EVERYONE

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    # Rights and the student's group are read once per user object.
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("member", sorted(EVERYONE))
def test_who_reads_and_writes_the_e_course(stream, cast, member):
    user = getattr(cast, member)
    for write, allowed in ((False, READERS), (True, WRITERS)):
        if member in allowed:
            assert access_ecourse(fresh(user), stream.ecourse.pk, write=write) == stream.ecourse
        else:
            with pytest.raises(Http404):
                access_ecourse(fresh(user), stream.ecourse.pk, write=write)


def test_a_missing_e_course_is_not_found_like_a_forbidden_one(cast):
    with pytest.raises(Http404):
        access_ecourse(cast.admin, 999_999)


def test_a_student_sees_only_the_assignments_given_to_them(stream, cast):
    assignment = assignment_give(
        by=cast.teacher, ecourse=stream.ecourse, title_en="Solo", deadline=in_days(3),
        max_score=5, students=[stream.other_student],
    )  # fmt: skip

    assert access_assignment(fresh(cast.other_student), assignment.pk) == assignment
    with pytest.raises(Http404):
        access_assignment(fresh(cast.student), assignment.pk)
    assert access_assignment(fresh(cast.teacher), assignment.pk) == assignment


def test_a_student_reads_only_their_own_submission(stream, cast):
    assignment = assignment_give(
        by=cast.teacher, ecourse=stream.ecourse, title_en="Essay", deadline=in_days(3),
        max_score=5,
    )  # fmt: skip
    submission = submission_submit(by=cast.student, assignment=assignment, text="Mine")

    assert access_submission(fresh(cast.student), submission.pk) == submission
    with pytest.raises(Http404):
        access_submission(fresh(cast.other_student), submission.pk)
    with pytest.raises(Http404):
        access_submission(fresh(cast.student), submission.pk, write=True)
    assert access_submission(fresh(cast.teacher), submission.pk, write=True) == submission


def test_a_transferred_student_follows_the_records_to_the_new_group_s_course(
    stream, cast, university
):
    line_b = plan_line(university.group_b, stream.term, code="LRN-B")
    graded_course(university.group_b, stream.term, line_b, teacher=cast.other_teacher)
    from hub.learning.actions import ecourses_sync

    ecourses_sync()
    course_b = ECourse.objects.get(discipline=line_b.discipline)
    assert list(visible_ecourses(fresh(cast.student))) == [stream.ecourse]

    today = timezone.localdate()
    order = records.order_create(
        by=None, kind=OrderKind.TRANSFER, number="T-1", date=today, effective_date=today
    )
    records.order_line_add(by=None, order=order, student=stream.student, group=university.group_b)
    records.order_sign(by=None, order=order, signer="Ректор")

    student = fresh(cast.student)
    assert list(visible_ecourses(student)) == [course_b]
    assert access_ecourse(student, course_b.pk) == course_b
    with pytest.raises(Http404):
        access_ecourse(fresh(cast.student), stream.ecourse.pk)


def test_the_deanery_lists_the_courses_of_its_faculty_only(stream, cast):
    assert list(visible_ecourses(fresh(cast.deanery_a))) == [stream.ecourse]
    assert list(visible_ecourses(fresh(cast.deanery_b))) == []
    assert list(visible_ecourses(fresh(cast.teacher))) == [stream.ecourse]
    assert list(visible_ecourses(fresh(cast.other_teacher))) == []
    assert list(visible_ecourses(fresh(cast.parent))) == []
