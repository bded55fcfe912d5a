"""external_score_record and external_score_withdraw: the GB-5 API of the testing and learning modules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from academic.grades.actions import journal as actions
from academic.grades.models import ExamSheet, Score, SheetStatus
from hub.audit.models import AuditEntry
from hub.errors import DomainError
from tests.academic.grades.journal.conftest import transfer

pytestmark = pytest.mark.usefixtures("today", "in_english")


def record(enrolled, checkpoint, value, ref="testing.attempt:17", source="test", student=None):
    return actions.external_score_record(
        by=None, checkpoint=checkpoint, student=student or enrolled.student,
        value=value, source=source, ref=ref,
    )  # fmt: skip


def test_a_test_result_lands_in_the_chosen_checkpoint(enrolled, module_2):
    score = record(enrolled, module_2, "12.5")

    assert (score.checkpoint, score.value, score.source, score.lesson) == (
        module_2,
        Decimal("12.5"),
        "test",
        None,
    )
    assert AuditEntry.objects.filter(action="external_score_record").count() == 1


def test_delivering_the_same_result_again_changes_nothing(enrolled, module_2):
    first = record(enrolled, module_2, 12)
    again = record(enrolled, module_2, 12)

    assert again.pk == first.pk and again.version == 1
    assert Score.objects.count() == 1
    assert AuditEntry.objects.filter(action="external_score_record").count() == 1


def test_a_regraded_result_updates_the_same_row(enrolled, module_2):
    first = record(enrolled, module_2, 12)
    regraded = record(enrolled, module_2, 15)

    assert regraded.pk == first.pk and (regraded.value, regraded.version) == (Decimal(15), 2)


def test_results_with_other_refs_add_up(enrolled, module_2):
    record(enrolled, module_2, 12, ref="testing.attempt:1")
    record(enrolled, module_2, 8, ref="learning.submission:4", source="assignment")

    assert Score.objects.filter(checkpoint=module_2).count() == 2


@pytest.mark.parametrize(
    ("value", "message"), [(31, "from 0 to 30"), (-1, "from 0 to 30"), ("x", "is a number")]
)
def test_a_value_out_of_the_checkpoint_range_is_refused(enrolled, module_2, value, message):
    with pytest.raises(DomainError, match=message):
        record(enrolled, module_2, value)


def test_the_journal_and_sheet_sources_are_not_external(enrolled, module_2):
    with pytest.raises(DomainError, match="computer test or an assignment"):
        record(enrolled, module_2, 5, source="journal")


def test_a_student_not_in_the_group_is_refused(cast, university, enrolled, module_2):
    transfer(enrolled.other_student, university.group_b, on=date(2026, 10, 15))

    with pytest.raises(DomainError, match="is not a student of the course's group"):
        record(enrolled, module_2, 5, student=enrolled.other_student)


def test_the_final_of_a_closed_sheet_is_refused(enrolled, course, final):
    ExamSheet.objects.create(
        course=course, control_form="exam", number="E-1", status=SheetStatus.CLOSED
    )

    with pytest.raises(DomainError, match="exam sheet of this course is closed"):
        record(enrolled, final, 30)


def test_the_final_of_an_open_sheet_takes_a_result(enrolled, course, final):
    ExamSheet.objects.create(course=course, control_form="exam", number="E-1")

    assert record(enrolled, final, 30).value == Decimal(30)


def test_a_withdrawn_result_is_removed_with_its_reason(enrolled, module_2):
    record(enrolled, module_2, 12)

    removed = actions.external_score_withdraw(
        by=None, source="test", ref="testing.attempt:17", reason="Proctoring: annulled"
    )

    assert removed == 1 and not Score.objects.exists()
    assert AuditEntry.objects.get(action="external_score_withdraw").reason == "Proctoring: annulled"


def test_withdrawing_twice_is_harmless(enrolled, module_2):
    record(enrolled, module_2, 12)
    actions.external_score_withdraw(by=None, source="test", ref="testing.attempt:17", reason="x")

    assert (
        actions.external_score_withdraw(
            by=None, source="test", ref="testing.attempt:17", reason="x"
        )
        == 0
    )


def test_a_withdrawal_needs_a_reason(enrolled, module_2):
    with pytest.raises(DomainError, match="Say why"):
        actions.external_score_withdraw(
            by=None, source="test", ref="testing.attempt:17", reason=" "
        )
