"""A bank imported from GIFT and a test of it for cast.teacher's course of group A, its
score going to the course's first checkpoint (Module 1, 30 points)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from hub.testing import actions
from hub.testing.models import Bank, Question, Test, Topic
from tests.conftest import enrol_cast
from tests.grades_objects import autumn_term, graded_course, plan_line

GIFT = """
$CATEGORY: $course$/Geography

::capital::Кыргызстандын борбору? {=Бишкек ~Ош ~Нарын}

::mountains::Which are mountains of Kyrgyzstan? {~%50%Tian Shan ~%50%Pamir-Alay ~%-100%Alps}

::round::Земля круглая. {T}

$CATEGORY: $course$/Words

::russia::Столица России? {=Москва}

::numbers::Жупташтыр {=1 -> бир =2 -> эки =3 -> үч}

::lake::The biggest lake of Kyrgyzstan? {=Issyk-Kul =Ysyk-Kol}
"""


@dataclass
class Setup:
    bank: Bank
    test: Test
    course: object
    checkpoint: object
    student: object
    other_student: object

    def question(self, name: str) -> Question:
        return Question.objects.get(bank=self.bank, name=name)


def make_bank(teacher, *, title: str = "Geography") -> Bank:
    bank = actions.bank_create(by=teacher, title=title)
    actions.bank_import(
        by=teacher, bank=bank, name="bank.gift", content=GIFT.encode(), language="ky"
    )
    return bank


def make_test(teacher, bank: Bank, *, checkpoint=None, group=None, **options) -> Test:
    now = timezone.now()
    fields = {
        "title": "Geography quiz",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=1),
        "time_limit": 30,
        "questions": list(bank.questions.order_by("pk")),
        "checkpoint": checkpoint,
    } | options
    test = actions.test_create(by=teacher, **fields)
    if group is not None:
        actions.test_assign(by=teacher, test=test, groups=[group])
    return test


@pytest.fixture
def setup(cast, university) -> Setup:
    enrolled = enrol_cast(cast, university)
    term = autumn_term(2033)
    line = plan_line(university.group_a, term, code="TST-1")
    course = graded_course(university.group_a, term, line, teacher=cast.teacher)
    checkpoint = course.checkpoints.get(order=1)
    bank = make_bank(cast.teacher)
    test = make_test(cast.teacher, bank, checkpoint=checkpoint, group=university.group_a)
    return Setup(bank, test, course, checkpoint, enrolled.student, enrolled.other_student)


def topic(bank: Bank, name: str) -> Topic:
    return Topic.objects.get(bank=bank, name=name)
