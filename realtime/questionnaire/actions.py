"""Writes of the questionnaires: the curator saves a student's questionnaire."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from academic.records.models import Student
from hub.accounts.models import User
from hub.audit.log import audit_record, snapshot
from hub.errors import DomainError
from realtime.questionnaire.models import FIELDS, Living, Questionnaire
from realtime.questionnaire.permissions import access_student_questionnaire


@transaction.atomic
def questionnaire_save(*, by: User, student: Student, data: dict) -> Questionnaire:
    """Store the questionnaire of `student` as filled by `by`, the curator of their group today.

    `data` holds the fields of models.FIELDS (missing ones are left as they
    were). Creates the questionnaire on first save. Audited with the fields
    before and after (health notes only as "changed"); nobody is notified (the data is the curator's own work
    record). Http404 when `by` is not the student's curator.
    """
    access_student_questionnaire(by, student.pk, write=True)
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown questionnaire fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    if data.get("living") and data["living"] not in Living.values:
        raise DomainError(_("Choose where the student lives from the list."))
    questionnaire = Questionnaire.objects.select_for_update().filter(student=student).first()
    before = _audited(questionnaire) if questionnaire is not None else None
    health_before = questionnaire.health_notes if questionnaire is not None else ""
    if questionnaire is None:
        questionnaire = Questionnaire(student=student)
    for name, value in data.items():
        setattr(questionnaire, name, value.strip() if isinstance(value, str) else value)
    questionnaire.updated_by = by
    questionnaire.save()
    after = _audited(questionnaire)
    if questionnaire.health_notes != health_before:
        after["health_notes_changed"] = True
    if after != before:
        audit_record(
            action="questionnaire_save", obj=questionnaire, before=before, after=after, actor=by
        )
    return questionnaire


def _audited(questionnaire: Questionnaire) -> dict:
    # Health notes are medical data: the audit log says that they changed, never what they say.
    return snapshot(questionnaire, [name for name in FIELDS if name != "health_notes"])
