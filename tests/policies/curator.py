"""The curator's live view: the curator's own list, and group A for those who read it.

The questionnaires of group A (CR-1): its curator (once the curatorship is
made), the deanery of faculty A and the administrator; nobody else, not even
the other readers of the group.
"""

from __future__ import annotations

from tests.policy import GROUP_A_READERS, SIGNED_IN, Policy

QUESTIONNAIRE_READERS = frozenset({"curator", "deanery_a", "admin"})

POLICY = {
    "curator-groups": SIGNED_IN,
    "curator-group": Policy(GROUP_A_READERS, kwargs="group_a"),
    "curator-group-online": Policy(GROUP_A_READERS, kwargs="group_a"),
    "questionnaire-group": Policy(QUESTIONNAIRE_READERS, kwargs="questionnaire_group_a"),
    "questionnaire-student": Policy(QUESTIONNAIRE_READERS, kwargs="questionnaire_student"),
}


def objects(cast, university) -> dict[str, dict]:
    from datetime import date

    from academic.structure.actions import group_assign_curator
    from tests.conftest import enrol_cast

    enrolled = enrol_cast(cast, university)
    group_assign_curator(
        by=None, group=university.group_a, curator=cast.curator, on=date(2024, 9, 1)
    )
    return {
        "questionnaire_group_a": {"group_id": university.group_a.pk},
        "questionnaire_student": {"student_id": enrolled.student.pk},
    }
