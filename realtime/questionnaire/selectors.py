"""Reads of the questionnaires: a group's students with their questionnaires and completeness."""

from __future__ import annotations

from dataclasses import dataclass

from academic.records.models import Student
from academic.records.selectors import group_students_on
from academic.structure.models import Group
from realtime.questionnaire.models import Questionnaire, completeness_of


@dataclass(frozen=True)
class Row:
    student: Student
    questionnaire: Questionnaire | None
    completeness: int


def group_questionnaires(group: Group) -> list[Row]:
    """The group's students today, by name, each with their questionnaire (or None) and how
    complete it is. Two queries whatever the size of the group."""
    students = list(group_students_on(group.pk))
    found = {
        q.student_id: q for q in Questionnaire.objects.filter(student__in=[s.pk for s in students])
    }
    return [
        Row(student, found.get(student.pk), completeness_of(found.get(student.pk)))
        for student in students
    ]


def group_completeness(rows: list[Row]) -> int:
    """The group's average completeness in percent (0 for an empty group)."""
    return round(sum(r.completeness for r in rows) / len(rows)) if rows else 0
