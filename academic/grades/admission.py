"""Admission to the final control, and the one hook other modules block it through (GB-2).

A rule is a function `rule(course, student_ids) -> {student_id: reason}`
naming the students it does not admit and why, in the user's language. The
grades app registers its own (the minimum of points before the final); the
cashier registers unpaid tuition, attendance its own, each from its app's
`ready()`:

    from academic.grades.admission import register_admission_rule
    register_admission_rule("cashier.unpaid", unpaid_students)

Exam sheets ask `admission_blocks` when they are synchronised and when a
score is entered; a student with a reason is "not admitted" on the sheet and
the reason is shown there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

AdmissionRule = Callable[[object, list[int]], dict[int, str]]

_RULES: dict[str, AdmissionRule] = {}


def register_admission_rule(name: str, rule: AdmissionRule) -> None:
    """Add (or replace) the rule `name`; called from an app's ready()."""
    _RULES[name] = rule


def unregister_admission_rule(name: str) -> None:
    _RULES.pop(name, None)


def admission_blocks(course, student_ids: Iterable[int]) -> dict[int, list[str]]:
    """Student id → every reason a rule gives for not admitting them (absent: admitted)."""
    ids = list(student_ids)
    blocks: dict[int, list[str]] = {}
    for name in sorted(_RULES):
        for student_id, reason in _RULES[name](course, ids).items():
            blocks.setdefault(student_id, []).append(reason)
    return blocks


def admission_minimum(course) -> int:
    """The points a student of `course` needs before the final control."""
    if course.admission_minimum is not None:
        return course.admission_minimum
    from academic.grades.scoring import grading_settings

    return grading_settings().admission_minimum


def below_minimum(course, student_ids: list[int]) -> dict[int, str]:
    """The built-in rule: fewer points than the minimum from the checkpoints before the final."""
    from academic.grades.scoring import current_totals

    minimum = admission_minimum(course)
    totals = current_totals(course.checkpoints.all(), student_ids)
    return {
        student_id: _("%(points)s of the %(minimum)s points needed before the final control")
        % {"points": totals.get(student_id, Decimal(0)), "minimum": minimum}
        for student_id in student_ids
        if totals.get(student_id, Decimal(0)) < minimum
    }


register_admission_rule("grades.minimum", below_minimum)
