"""actions.documents.document_issue: a code that cannot be guessed, a digest, an audit entry."""

from __future__ import annotations

import pytest

from academic.grades.actions.documents import (
    CODE_ALPHABET,
    CODE_LENGTH,
    content_digest,
    document_issue,
    normalize_code,
)
from academic.grades.models import DocumentKind, IssuedDocument
from hub.audit.models import AuditEntry
from hub.errors import DomainError


def _issue(cast, student, **changes):
    values = {
        "by": cast.records_office,
        "kind": DocumentKind.TRANSCRIPT,
        "language": "ru",
        "title": "Транскрипт",
        "subject": "Асанов Бакыт",
        "facts": {"student": student.pk, "gpa": "3.50"},
        "student": student,
    } | changes
    return document_issue(**values)


def test_issuing_records_the_document_with_a_random_code(cast, enrolled):
    first = _issue(cast, enrolled.student)
    second = _issue(cast, enrolled.student)

    assert len(first.code) == CODE_LENGTH and set(first.code) <= set(CODE_ALPHABET)
    assert first.code != second.code
    assert (
        first.digest
        == second.digest
        == content_digest({"gpa": "3.50", "student": enrolled.student.pk})
    )
    assert IssuedDocument.objects.filter(student=enrolled.student).count() == 2
    assert first.issued_by == cast.records_office


def test_issuing_is_audited(cast, enrolled):
    document = _issue(cast, enrolled.student)

    entry = AuditEntry.objects.get(action="document_issue", object_id=str(document.pk))
    assert entry.actor == cast.records_office
    assert entry.after["code"] == document.code


def test_the_digest_changes_with_the_facts(cast, enrolled):
    assert content_digest({"gpa": "3.50"}) != content_digest({"gpa": "3.51"})


@pytest.mark.parametrize(("field", "value"), [("kind", "passport"), ("language", "de")])
def test_an_unknown_kind_or_language_is_refused(cast, enrolled, in_english, field, value):
    with pytest.raises(DomainError, match="Unknown"):
        _issue(cast, enrolled.student, **{field: value})

    assert not IssuedDocument.objects.exists()


def test_a_code_typed_from_paper_is_normalized():
    assert normalize_code(" k7qm-2xwd 93hp ") == "K7QM2XWD93HP"
