"""The demo university's courses and exam sheets, so every grades page has content.

For the current term and the first DEMO_GROUPS active groups: each group's
courses from its working plan (with the default checkpoints and a demo
teacher each), their sheets listing the group's students, points from the modules for every student, and for a
part of the courses the final results entered and the sheet closed (debts
made of the failures), with one change request waiting for the vice-rector
and one academic difference. Bulk inserts, a fixed number of queries per
group: the seed runs in tests.

Idempotent: a term whose courses exist is left alone.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academic.curricula.models import Component, ControlForm
from academic.curricula.selectors import working_plan_lines_for
from academic.grades.actions.sheets import (
    FINAL_MAXIMUM,
    MODULE_MAXIMUM,
    SHEET_CONTROL_FORMS,
    _grade,
)
from academic.grades.models import (
    AcademicDifference,
    Checkpoint,
    CheckpointKind,
    Course,
    Debt,
    DebtKind,
    ExamSheet,
    Score,
    ScoreSource,
    SheetChangeRequest,
    SheetLine,
    SheetStatus,
)
from academic.grades.scoring import scale_for
from academic.records.models import Status, StudentState
from academic.records.selectors import covering
from academic.structure.models import AcademicYear, Group, Term
from hub.accounts.models import Cabinet, User

CLOSED_PER_GROUP = 1  # the first course of each group: results entered, sheet closed
FILLED_PER_GROUP = 1  # the next: results entered, sheet still open
# The other courses' sheets get their students when their page is first opened
# or by the nightly task (sheet_sync): the seed stays fast.
DEMO_REF = "demo"
# Groups graded by the seed, in name order: enough for every page to show
# something, few enough that seeding 20,000 students stays a minute's job.
# The other groups get their courses from /grades/courses/generate/ or the
# nightly task.
DEMO_GROUPS = 40


def current_term(today: date | None = None) -> Term | None:
    """The term running today, else the current academic year's first term."""
    today = today or timezone.localdate()
    running = (
        Term.objects.filter(starts_on__lte=today, ends_on__gte=today)
        .select_related("academic_year")
        .first()
    )
    if running is not None:
        return running
    year = AcademicYear.objects.filter(is_current=True).first()
    return year.terms.select_related("academic_year").order_by("number").first() if year else None


def grades_planned(plan=None) -> int:
    """The step's size for the progress total: the groups it grades."""
    from hub.demo.structure import groups_planned

    return min(groups_planned(plan.students), DEMO_GROUPS) if plan is not None else DEMO_GROUPS


def _points(*keys: int, low: int, high: int) -> int:
    """A stable pseudo-random whole number in low..high from `keys`."""
    digest = hashlib.sha256(":".join(map(str, keys)).encode()).digest()
    return low + int.from_bytes(digest[:4], "big") % (high - low + 1)


def seed_grades(ctx=None) -> dict[str, int]:
    """The seed_demo step: courses, sheets and results of the current term (see the module)."""
    term = current_term()
    made = {"courses": 0, "sheets": 0, "closed": 0}
    if term is None or Course.objects.filter(term=term).exists():
        if ctx is not None:
            ctx.advance(0, _("Courses and exam sheets"))
        return made
    teachers = list(
        User.objects.filter(cabinet=Cabinet.TEACHER, is_active=True)
        .order_by("username")
        .values_list("pk", flat=True)
    )
    today = timezone.localdate()
    on = max(min(today, term.ends_on), term.starts_on)
    scale = scale_for()
    groups = list(Group.objects.filter(is_active=True).order_by("name", "pk")[:DEMO_GROUPS])
    for index, group in enumerate(groups):
        with transaction.atomic():
            counts = _seed_group(group, term, on, teachers, index, scale)
        for key, value in counts.items():
            made[key] += value
    with transaction.atomic():
        _extras(term)
    if ctx is not None:
        ctx.advance(len(groups), _("Courses and exam sheets"))
    return made


def _seed_group(group: Group, term: Term, on: date, teachers: list[int], index: int, scale):
    lines = [
        line
        for line in working_plan_lines_for(group, term)
        if line.component != Component.ELECTIVE and line.control_form in SHEET_CONTROL_FORMS
    ]
    if not lines:
        return {"courses": 0, "sheets": 0, "closed": 0}
    courses = Course.objects.bulk_create(
        [
            Course(
                term=term,
                group=group,
                line=line,
                discipline=line.discipline,
                credits=line.credits,
                teacher_id=teachers[(index * 7 + n) % len(teachers)] if teachers else None,
            )
            for n, line in enumerate(lines)
        ]
    )
    checkpoints = Checkpoint.objects.bulk_create(
        [
            Checkpoint(
                course=course,
                order=order,
                name=name,
                max_score=maximum,
                kind=CheckpointKind.FINAL if order == 3 else CheckpointKind.CURRENT,
            )
            for course, line in zip(courses, lines, strict=True)
            for order, (name, maximum) in enumerate(
                (
                    ("Модуль 1", MODULE_MAXIMUM),
                    ("Модуль 2", MODULE_MAXIMUM),
                    (
                        "Экзамен" if line.control_form == ControlForm.EXAM else "Зачет",
                        FINAL_MAXIMUM,
                    ),
                ),
                start=1,
            )
        ]
    )
    by_course: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        by_course.setdefault(checkpoint.course_id, []).append(checkpoint)
    year = term.academic_year.starts_on.year
    sheets = ExamSheet.objects.bulk_create(
        [
            ExamSheet(
                course=course,
                control_form=line.control_form,
                number=f"demo-{course.pk}",
                teacher_id=course.teacher_id,
            )
            for course, line in zip(courses, lines, strict=True)
        ]
    )
    for sheet in sheets:
        sheet.number = f"{year}-{term.number}-{sheet.pk:06d}"
    ExamSheet.objects.bulk_update(sheets, ["number"])
    states = list(
        StudentState.objects.filter(covering(on), group=group, status=Status.STUDYING).values_list(
            "student_id", "valid_from"
        )
    )
    scores, sheet_lines, closed = [], [], 0
    now = timezone.now()
    for n, (course, sheet) in enumerate(zip(courses, sheets, strict=True)):
        modules = [c for c in by_course[course.pk] if c.kind == CheckpointKind.CURRENT]
        final = by_course[course.pk][-1]
        graded = n < CLOSED_PER_GROUP + FILLED_PER_GROUP
        for student_id, valid_from in states if graded else ():
            current = Decimal(0)
            for module in modules:
                value = _points(course.pk, module.order, student_id, low=12, high=30)
                current += value
                scores.append(
                    Score(
                        checkpoint=module,
                        student_id=student_id,
                        source=ScoreSource.TEST,
                        ref=DEMO_REF,
                        value=value,
                    )
                )
            line = SheetLine(
                sheet=sheet, student_id=student_id, joined_on=max(valid_from, term.starts_on)
            )
            line.admitted = current >= 31
            if not line.admitted:
                line.admission_note = f"{current} / 31"
            if graded and line.admitted:
                if _points(sheet.pk, student_id, low=0, high=19) == 0:
                    line.absent = True
                else:
                    line.final_score = Decimal(_points(sheet.pk, student_id, low=8, high=40))
                    scores.append(
                        Score(
                            checkpoint=final,
                            student_id=student_id,
                            source=ScoreSource.SHEET,
                            ref="sheet",
                            value=line.final_score,
                        )
                    )
            _grade(line, sheet, scale, current)
            sheet_lines.append(line)
        if n < CLOSED_PER_GROUP and states:
            sheet.status, sheet.closed_at, sheet.closed_by_id = (
                SheetStatus.CLOSED,
                now,
                course.teacher_id,
            )
            closed += 1
    Score.objects.bulk_create(scores, batch_size=1000)
    SheetLine.objects.bulk_create(sheet_lines, batch_size=1000)
    ExamSheet.objects.bulk_update(
        [s for s in sheets if s.status == SheetStatus.CLOSED], ["status", "closed_at", "closed_by"]
    )
    closed_ids = {s.pk for s in sheets if s.status == SheetStatus.CLOSED}
    debts = []
    for line in sheet_lines:
        if line.sheet_id not in closed_ids:
            continue
        kind = (
            DebtKind.NOT_ADMITTED
            if not line.admitted
            else DebtKind.MISSED
            if line.absent
            else DebtKind.FAILED
            if line.passed is False
            else None
        )
        if kind:
            debts.append(Debt(student_id=line.student_id, line=line, kind=kind))
    Debt.objects.bulk_create(debts, batch_size=1000)
    return {"courses": len(courses), "sheets": len(sheets), "closed": closed}


def _extras(term: Term) -> None:
    """One change request waiting for the vice-rector and one academic difference."""
    line = (
        SheetLine.objects.filter(
            sheet__course__term=term,
            sheet__status=SheetStatus.CLOSED,
            final_score__isnull=False,
            final_score__lt=FINAL_MAXIMUM - 2,
        )
        .select_related("sheet")
        .order_by("pk")
        .first()
    )
    if line is not None:
        SheetChangeRequest.objects.create(
            line=line,
            old_final_score=line.final_score,
            old_absent=line.absent,
            new_final_score=line.final_score + 2,
            reason="Бааларды кошууда ката кетирилген (арифметикалык ката).",
            requested_by_id=line.sheet.teacher_id,
        )
        AcademicDifference.objects.create(
            student_id=line.student_id,
            discipline=line.sheet.course.discipline,
            semester=1,
            credits=3,
            control_form=ControlForm.CREDIT,
            due_on=term.ends_on - timedelta(days=14),
        )
