"""Issuing documents (GB-12): every generated document is recorded, checkable by its code."""

from __future__ import annotations

import hashlib
import json
import secrets

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from academic.grades.models import DocumentKind, IssuedDocument
from academic.records.models import Student
from hub.audit.log import audit_record, snapshot
from hub.errors import DomainError

# Letters and digits that cannot be confused when read off paper (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# 12 symbols of 31: about 59 bits, so codes cannot be guessed or walked.
CODE_LENGTH = 12
LANGUAGES = ("ky", "ru", "en")
ISSUE_FIELDS = ("code", "kind", "language", "title", "subject", "student", "digest")


def new_code() -> str:
    """A random verification code, e.g. "K7QM-2XWD-93HP" without the dashes."""
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


def content_digest(facts: dict) -> str:
    """SHA-256 of the facts the document states, in a canonical form (sorted keys)."""
    text = json.dumps(facts, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize_code(text: str) -> str:
    """The code as typed by a person (dashes, spaces, lower case) in its stored form."""
    return "".join(c for c in text.upper() if c.isalnum())


@transaction.atomic
def document_issue(
    *,
    by,
    kind: str,
    language: str,
    title: str,
    subject: str,
    facts: dict,
    student: Student | None = None,
) -> IssuedDocument:
    """Record the issue of a document and give it its verification code.

    Stores the kind, language, title, whom it is for and the digest of `facts`
    (what the document states), audited as `document_issue`. Nobody is
    notified: the document is handed over by whoever issued it. Raises
    DomainError for an unknown kind or language.
    """
    if kind not in DocumentKind.values:
        raise DomainError(_("Unknown document: %(kind)s.") % {"kind": kind})
    if language not in LANGUAGES:
        raise DomainError(_("Unknown language: %(language)s.") % {"language": language})
    digest = content_digest(facts)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                document = IssuedDocument.objects.create(
                    code=new_code(),
                    kind=kind,
                    language=language,
                    title=title[:255],
                    subject=subject[:255],
                    student=student,
                    digest=digest,
                    issued_by=by if getattr(by, "is_authenticated", False) else None,
                )
            break
        except IntegrityError:  # the one-in-2^59 clash of codes: draw again
            continue
    else:  # pragma: no cover
        raise DomainError(_("The document could not be issued; try again."))
    audit_record(
        action="document_issue",
        obj=document,
        after=snapshot(document, ISSUE_FIELDS),
        actor=by if getattr(by, "is_authenticated", False) else None,
    )
    return document
