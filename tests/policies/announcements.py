"""Announcements: everyone reads their own; publishers are the deaneries and the administrator
(a curator publishes too, through the curatorship of a group: tests/realtime/test_announcements.py;
the cast's curator holds the curator role but curates no group until a test makes it so)."""

from __future__ import annotations

from academic.structure.actions import group_assign_curator
from realtime.announcements import announcement_publish
from realtime.models import Audience
from tests.conftest import enrol_cast
from tests.policy import SIGNED_IN, Policy

PUBLISHERS = frozenset({"admin", "deanery_a", "deanery_b"})
# Readers of a faculty-A announcement by deanery A: its students, its curator, the author.
READERS = frozenset({"student", "other_student", "curator", "deanery_a"})

POLICY = {
    "announcement-list": SIGNED_IN,
    "announcement-create": Policy(PUBLISHERS),
    "announcement-detail": Policy(READERS, kwargs="announcement_a"),
}


def objects(cast, university) -> dict[str, dict]:
    from datetime import date

    enrol_cast(cast, university)
    group_assign_curator(
        by=None, group=university.group_a, curator=cast.curator, on=date(2024, 9, 1)
    )
    announcement = announcement_publish(
        by=cast.deanery_a,
        audience=Audience.FACULTY,
        audience_id=university.faculty_a.pk,
        title="Сессия башталат",
        body="Кышкы сессия 10-январда башталат.",
    )
    return {"announcement_a": {"announcement_id": announcement.pk}}
