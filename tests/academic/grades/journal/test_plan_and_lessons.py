"""checkpoint_plan_update and the lesson actions (GB-2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from academic.grades.actions import journal as actions
from academic.grades.actions.journal import CheckpointDraft
from academic.grades.models import Checkpoint, CheckpointKind, Lesson, Score
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.academic.grades.journal.conftest import make_lesson

pytestmark = pytest.mark.usefixtures("today", "in_english")

CURRENT, FINAL = CheckpointKind.CURRENT, CheckpointKind.FINAL


def drafts(course, *plan):
    """Drafts for (name, kind, max) rows, reusing the course's checkpoints by name."""
    existing = {c.name: c.pk for c in course.checkpoints.all()}
    return [CheckpointDraft(name=n, kind=k, max_score=m, pk=existing.get(n)) for n, k, m in plan]


def test_a_plan_is_saved_in_order_and_audited(cast, course):
    plan = drafts(
        course,
        ("Module 1", CURRENT, 20),
        ("Colloquium", CURRENT, 20),
        ("Module 2", CURRENT, 20),
        ("Final exam", FINAL, 40),
    )
    actions.checkpoint_plan_update(
        by=cast.teacher, course=course, checkpoints=plan, admission_minimum=35
    )

    rows = list(course.checkpoints.order_by("order").values_list("order", "name", "max_score"))
    assert rows == [
        (1, "Module 1", 20),
        (2, "Colloquium", 20),
        (3, "Module 2", 20),
        (4, "Final exam", 40),
    ]
    course.refresh_from_db()
    assert course.admission_minimum == 35
    assert AuditEntry.objects.filter(action="checkpoint_create").count() == 1
    assert (
        AuditEntry.objects.filter(action="checkpoint_update").count() == 3
    )  # all moved or resized


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ((("Module 1", CURRENT, 30), ("Final exam", FINAL, 40)), "add up to 70, not 100"),
        ((("Module 1", CURRENT, 60), ("Module 2", CURRENT, 40)), "Exactly one checkpoint"),
        ((("Final exam", FINAL, 40), ("Module 1", CURRENT, 60)), "must be the last"),
        ((("A", FINAL, 50), ("B", FINAL, 50)), "Exactly one checkpoint"),
        ((), "at least one checkpoint"),
    ],
)
def test_a_plan_that_breaks_the_rules_is_refused(cast, course, plan, message):
    with pytest.raises(DomainError, match=message):
        actions.checkpoint_plan_update(
            by=cast.teacher,
            course=course,
            checkpoints=drafts(course, *plan),
            admission_minimum=None,
        )
    assert course.checkpoints.count() == 3


def test_a_checkpoint_with_scores_cannot_be_removed(cast, enrolled, course, module_2, lesson):
    Score.objects.create(
        checkpoint=module_2, student=enrolled.student, value=Decimal(5), source="test", ref="t:1"
    )
    plan = drafts(course, ("Module 1", CURRENT, 60), ("Final exam", FINAL, 40))

    with pytest.raises(DomainError, match="Module 2 cannot be removed: scores or lessons"):
        actions.checkpoint_plan_update(
            by=cast.teacher, course=course, checkpoints=plan, admission_minimum=None
        )
    assert course.checkpoints.count() == 3


def test_an_unused_checkpoint_is_removed(cast, course):
    plan = drafts(course, ("Module 1", CURRENT, 60), ("Final exam", FINAL, 40))

    actions.checkpoint_plan_update(
        by=cast.teacher, course=course, checkpoints=plan, admission_minimum=None
    )

    assert list(course.checkpoints.values_list("name", flat=True)) == ["Module 1", "Final exam"]
    assert AuditEntry.objects.filter(action="checkpoint_delete").count() == 1


def test_a_lesson_is_created_inside_the_journal_window(cast, course, module_1):
    lesson = actions.lesson_create(
        by=cast.teacher, course=course, date=date(2026, 9, 15), kind="lab", topic=" SQL joins ",
        checkpoint=module_1, max_score=5,
    )  # fmt: skip

    assert (lesson.topic, lesson.max_score, lesson.checkpoint) == ("SQL joins", 5, module_1)
    assert AuditEntry.objects.filter(action="lesson_create").count() == 1


@pytest.mark.parametrize(
    ("on", "checkpoint", "max_score", "message"),
    [
        (date(2026, 8, 31), "module_1", 5, "Entries are open from"),
        (date(2027, 2, 1), "module_1", 5, "Entries are open from"),
        (date(2026, 10, 1), "final", 5, "scored on the exam sheet"),
        (date(2026, 10, 1), "module_1", 31, "at most the checkpoint's 30 points"),
        (date(2026, 10, 1), None, 5, "Choose the checkpoint"),
    ],
)
def test_a_bad_lesson_is_refused(cast, course, request, on, checkpoint, max_score, message):
    chosen = request.getfixturevalue(checkpoint) if checkpoint else None
    with pytest.raises(DomainError, match=message):
        actions.lesson_create(
            by=cast.teacher,
            course=course,
            date=on,
            kind="practice",
            checkpoint=chosen,
            max_score=max_score,
        )


def test_a_checkpoint_of_another_course_is_refused(cast, course, credit_course):
    other = credit_course.checkpoints.get(order=1)

    with pytest.raises(DomainError, match="another course"):
        actions.lesson_create(
            by=cast.teacher, course=course, date=date(2026, 10, 1), checkpoint=other, max_score=5
        )


def test_moving_a_lesson_to_another_checkpoint_moves_its_scores(cast, enrolled, lesson, module_2):
    actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(7),
        expected_version=0,
    )

    actions.lesson_update(
        by=cast.teacher, lesson=lesson, date=lesson.date, kind=lesson.kind, topic="",
        checkpoint=module_2, max_score=10,
    )  # fmt: skip

    assert Score.objects.get().checkpoint == module_2


def test_the_maximum_cannot_go_below_a_given_score(cast, enrolled, lesson, module_1):
    actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(7),
        expected_version=0,
    )

    with pytest.raises(DomainError, match=r"Scores up to 7\.00"):
        actions.lesson_update(
            by=cast.teacher, lesson=lesson, date=lesson.date, kind=lesson.kind, topic="",
            checkpoint=module_1, max_score=5,
        )  # fmt: skip


def test_deleting_a_lesson_takes_its_cells_with_it(cast, enrolled, lesson):
    actions.journal_score_set(
        by=cast.teacher,
        lesson=lesson,
        student=enrolled.student,
        value=Decimal(7),
        expected_version=0,
    )
    actions.attendance_set(
        by=cast.teacher, lesson=lesson, student=enrolled.student, mark="present", expected_version=0
    )

    actions.lesson_delete(by=cast.teacher, lesson=lesson)

    assert not Lesson.objects.exists() and not Score.objects.exists()
    entry = AuditEntry.objects.get(action="lesson_delete")
    assert "1 scores and 1 attendance marks" in entry.reason


def test_a_checkpoint_with_lessons_cannot_be_removed(cast, course, module_2):
    make_lesson(course, date(2026, 10, 1), checkpoint=module_2, max_score=5)
    plan = drafts(course, ("Module 1", CURRENT, 60), ("Final exam", FINAL, 40))

    with pytest.raises(DomainError, match="Module 2 cannot be removed"):
        actions.checkpoint_plan_update(
            by=cast.teacher, course=course, checkpoints=plan, admission_minimum=None
        )
    assert Checkpoint.objects.filter(pk=module_2.pk).exists()
