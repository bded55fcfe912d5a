"""Testing (TS-2…TS-7, SC-4): banks, tests, attempts and results.

cast.teacher's bank and test; the test is given to group A (cast.student and
cast.other_student) with its score going to a checkpoint of cast.teacher's
course; cast.student has an attempt in progress. Banks are read by their
owner and institution-wide VIEW on testing (the administrator, the
vice-rector); written by the owner and the administrator. A test is managed
by its owner, testing offices over group A (the administrator, the
vice-rector reading) and those keeping group A's grades (deanery A, who
annuls). An attempt is taken only by its student; its result is read by the
student and the test's managers.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from hub.testing import actions
from tests.conftest import enrol_cast
from tests.grades_objects import autumn_term, graded_course, plan_line
from tests.policy import EVERYONE, Policy

GIFT = "::capital::Кыргызстандын борбору? {=Бишкек ~Ош ~Нарын}\n\n::round::Жер тегерек. {T}\n"

TEACHERS = frozenset({"teacher", "other_teacher", "admin"})
BANK_READERS = frozenset({"teacher", "admin", "vice_rector"})
BANK_WRITERS = frozenset({"teacher", "admin"})
TEST_MANAGERS = frozenset({"teacher", "admin", "vice_rector", "deanery_a"})
TEST_WRITERS = frozenset({"teacher", "admin"})
ANNULLERS = frozenset({"teacher", "admin", "vice_rector", "deanery_a"})
STUDENTS = frozenset({"student", "other_student"})

POLICY = {
    "testing:my-tests": Policy(EVERYONE),
    "testing:banks": Policy(TEACHERS),
    "testing:bank": Policy(BANK_READERS, kwargs="bank"),
    "testing:bank-import": Policy(BANK_WRITERS, kwargs="bank"),
    # Making a test: a teacher reading the bank (its owner; the administrator).
    "testing:test-create": Policy(BANK_WRITERS, kwargs="bank"),
    "testing:tests": Policy(TEACHERS),
    "testing:test": Policy(TEST_MANAGERS, kwargs="test"),
    # The student resumes their attempt, the other student starts one.
    "testing:start": Policy(STUDENTS, ok=(200,), method="post", kwargs="test"),
    "testing:attempt": Policy(frozenset({"student"}), kwargs="attempt"),
    # An empty body is not an answer: 400 with the reason, for the attempt's student only.
    "testing:answer": Policy(frozenset({"student"}), ok=(400,), method="post", kwargs="attempt"),
    "testing:submit": Policy(frozenset({"student"}), ok=(302,), method="post", kwargs="attempt"),
    "testing:result": Policy(TEST_MANAGERS | {"student"}, kwargs="attempt"),
    "testing:annul": Policy(
        ANNULLERS, ok=(302,), method="post", kwargs="attempt", data={"reason": "Cheating"}
    ),
    # Analysis and reports: the test's managers.
    "testing:test-analysis": Policy(TEST_MANAGERS, kwargs="test"),
    "testing:test-protocol": Policy(TEST_MANAGERS, kwargs="test"),
    "testing:test-results": Policy(TEST_MANAGERS, kwargs="test", data={"export": "xlsx"}),
    # Export: whoever reads the bank. Copying: a teacher reading it (the owner, the
    # administrator). Merging and sharing: its writers.
    "testing:bank-export": Policy(BANK_READERS, kwargs="bank", data={"format": "xml"}),
    "testing:bank-copy": Policy(BANK_WRITERS, kwargs="bank"),
    "testing:bank-merge": Policy(BANK_WRITERS, kwargs="bank"),
    "testing:bank-share": Policy(BANK_WRITERS, kwargs="bank"),
    # Stopping a share: its writers too (GET chooses the colleague; nothing changes).
    "testing:bank-unshare": Policy(BANK_WRITERS, kwargs="bank"),
    "testing:questions-copy": Policy(BANK_WRITERS, kwargs="bank"),
}


def objects(cast, university) -> dict[str, dict]:
    enrol_cast(cast, university)
    term = autumn_term(2033)
    line = plan_line(university.group_a, term, code="TST-P")
    course = graded_course(university.group_a, term, line, teacher=cast.teacher)
    bank = actions.bank_create(by=cast.teacher, title="Geography")
    actions.bank_import(
        by=cast.teacher, bank=bank, name="bank.gift", content=GIFT.encode(), language="ky"
    )
    now = timezone.now()
    test = actions.test_create(
        by=cast.teacher, title="Quiz", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1), time_limit=30, questions=list(bank.questions.all()),
        checkpoint=course.checkpoints.get(order=1),
    )  # fmt: skip
    actions.test_assign(by=cast.teacher, test=test, groups=[university.group_a])
    attempt = actions.attempt_start(by=cast.student, test=test)
    return {
        "bank": {"bank_id": bank.pk},
        "test": {"test_id": test.pk},
        "attempt": {"attempt_id": attempt.pk},
    }
