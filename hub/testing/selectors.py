"""Reads of the testing module: lists and the attempt page, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from academic.grades.models import Checkpoint, Course
from academic.records.models import Status, Student, StudentState
from academic.records.selectors import covering
from academic.structure.models import Group
from hub.testing.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Bank,
    Kind,
    Question,
    Test,
    Topic,
)


def banks_of(user) -> QuerySet[Bank]:
    """The banks `user` owns or that colleagues share with them."""
    return (
        Bank.objects.filter(Q(owner=user) | Q(shared_with=user))
        .distinct()
        .select_related("owner", "discipline")
    )


def bank_questions(bank: Bank) -> list[Question]:
    """The bank's questions with their topic and options, in order."""
    return list(
        bank.questions.select_related("topic").prefetch_related("options", "short_answers", "pairs")
    )


def bank_topics(bank: Bank) -> QuerySet[Topic]:
    return bank.topics.all()


def tests_of(user) -> QuerySet[Test]:
    """The tests `user` made, newest first."""
    return Test.objects.filter(owner=user).select_related("checkpoint__course")


def teacher_checkpoints(user) -> QuerySet[Checkpoint]:
    """The checkpoints of the courses `user` teaches (a test's score may go there)."""
    return Checkpoint.objects.filter(course__teacher=user).select_related(
        "course__discipline", "course__group"
    )


def assignable_groups(test: Test) -> QuerySet[Group]:
    """The groups of the courses the test's owner teaches."""
    return Group.objects.filter(
        pk__in=Course.objects.filter(teacher_id=test.owner_id).values("group_id")
    ).order_by("name")


def assignable_students(test: Test) -> QuerySet[Student]:
    """The students studying today in `assignable_groups`."""
    states = StudentState.objects.filter(
        covering(timezone.localdate()),
        status=Status.STUDYING,
        group__in=assignable_groups(test),
    )
    return Student.objects.filter(pk__in=states.values("student_id")).select_related("user")


@dataclass
class MyTest:
    test: Test
    attempts: list[Attempt]

    @property
    def running(self) -> Attempt | None:
        return next((a for a in self.attempts if a.status == AttemptStatus.IN_PROGRESS), None)

    @property
    def attempts_left(self) -> int:
        return max(self.test.attempts_allowed - len(self.attempts), 0)

    @property
    def is_open(self) -> bool:
        return self.test.opens_at <= timezone.now() < self.test.closes_at


def my_tests(state: StudentState) -> list[MyTest]:
    """The tests given to the student of `state` (their group or them), with their attempts."""
    tests = (
        Test.objects.filter(
            Q(assignments__group_id=state.group_id) | Q(assignments__student_id=state.student_id)
        )
        .distinct()
        .order_by("closes_at", "pk")
    )
    tests = list(tests)
    attempts: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(test__in=tests, student_id=state.student_id).order_by(
        "number"
    ):
        attempts.setdefault(attempt.test_id, []).append(attempt)
    return [MyTest(test, attempts.get(test.pk, [])) for test in tests]


@dataclass
class Shown:
    """One question of an attempt as shown: options (or matching answers) in frozen order,
    the saved answer and version, and after grading the fraction earned."""

    number: int
    question: Question
    choices: list = field(default_factory=list)
    response: dict = field(default_factory=dict)
    version: int = 0
    fraction: str | None = None

    @property
    def right(self) -> bool:
        return self.fraction is not None and float(self.fraction) >= 1

    @property
    def chosen(self) -> list[int]:
        if self.question.kind == Kind.SINGLE and self.response.get("option"):
            return [self.response["option"]]
        return list(self.response.get("options") or [])

    @property
    def matched(self) -> list[tuple[object, int | None]]:
        """Matching rows (pair, chosen pair id)."""
        matches = self.response.get("matches") or {}
        return [(p, matches.get(str(p.pk))) for p in self.question.pairs.all()]


def attempt_questions(attempt: Attempt) -> list[Shown]:
    """The attempt's questions in its order with saved answers: four queries whatever the size."""
    questions = Question.objects.filter(pk__in=attempt.questions).prefetch_related(
        "options", "pairs"
    )
    by_pk = {q.pk: q for q in questions}
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(attempt=attempt).only("question_id", "response", "version")
    }
    shown = []
    for number, pk in enumerate(attempt.questions, start=1):
        question = by_pk.get(pk)
        if question is None:
            continue
        order = attempt.option_orders.get(str(pk), [])
        rows = {o.pk: o for o in question.options.all()} or {p.pk: p for p in question.pairs.all()}
        choices = [rows[i] for i in order if i in rows]
        answer = answers.get(pk)
        shown.append(
            Shown(
                number=number,
                question=question,
                choices=choices,
                response=answer.response if answer else {},
                version=answer.version if answer else 0,
                fraction=attempt.results.get(str(pk)),
            )
        )
    return shown


def test_attempts(test: Test) -> list[Attempt]:
    """Every attempt at the test with its student, for the teacher's list."""
    return list(
        test.attempts.select_related("student__user").order_by("student__user__last_name", "number")
    )
