"""Writes of courses and exam sheets: generation, following the records, filling, closing,
changes of closed sheets, retakes and academic differences (GB-3, GB-4, GB-8, GB-9, AC-3).

- `courses_generate` makes each group's courses of a term from the working
  plans, with the default checkpoints and their sheets (idempotent).
- `sheet_sync` keeps the students of an open sheet those of its group.
- `sheet_line_save` enters a final score or "did not appear" (versioned: a
  stale version is refused with the current value, `SheetLineConflict`).
- `sheet_close` locks a sheet and turns failures into debts; afterwards a line
  changes only through `change_request_create` + `change_request_decide`.
- `retake_sheet_create` opens a retake for open debts; closing it clears the
  debts of those who passed.

Every action is atomic and audited; live events leave after commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.curricula.models import Component, ControlForm, IndividualPlan
from academic.curricula.selectors import working_plan_lines_for
from academic.grades.actions.journal import grade_audience
from academic.grades.admission import admission_blocks
from academic.grades.calendar import closed_reason, sheet_window
from academic.grades.models import (
    AcademicDifference,
    Checkpoint,
    CheckpointKind,
    Course,
    Debt,
    DebtKind,
    DebtStatus,
    ExamSheet,
    RequestStatus,
    Score,
    ScoreSource,
    SheetChangeRequest,
    SheetKind,
    SheetLine,
    SheetStatus,
)
from academic.grades.scales import Scale
from academic.grades.scoring import current_totals, grading_settings, scale_for
from academic.grades.selectors.sheets import final_checkpoint, final_maximum, open_sheets_of_groups
from academic.records.models import Status, StudentState
from academic.records.selectors import covering
from academic.structure.models import Group, Term
from hub.audit.log import audit_record, snapshot
from hub.errors import DomainError
from realtime.events import EventType, send_event
from realtime.groups import group_course, group_office

# Every generated course starts with Module 1 (30), Module 2 (30) and the final control (40).
MODULE_MAXIMUM = 30
FINAL_MAXIMUM = 40
SHEET_CONTROL_FORMS = (ControlForm.EXAM, ControlForm.CREDIT, ControlForm.DIFFERENTIATED_CREDIT)
SHEET_FIELDS = ("course", "control_form", "kind", "attempt", "number", "status", "teacher")
LINE_FIELDS = (
    "final_score",
    "absent",
    "admitted",
    "current_score",
    "total",
    "letter",
    "gpa",
    "mark",
    "passed",
    "left_on",
)
OFFICE = "grades"
SHEET_SCORE_REF = "sheet"

ProgressFn = Callable[..., None]


class SheetLineConflict(DomainError):
    """The line changed since the client read it; `current` is what it holds now."""

    def __init__(self, message: str, *, current: dict) -> None:
        super().__init__(message)
        self.current = current


# --- Generation ---------------------------------------------------------------------------


@dataclass
class GenerationResult:
    groups: int = 0
    courses: int = 0
    sheets: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"groups": self.groups, "courses": self.courses, "sheets": self.sheets}


def _number(sheet: ExamSheet, term: Term) -> str:
    return f"{term.academic_year.starts_on.year}-{term.number}-{sheet.pk:06d}"


def _new_sheet(
    course: Course,
    control_form: str,
    *,
    kind: str = SheetKind.REGULAR,
    attempt: int = 1,
    teacher=None,
    by=None,
) -> ExamSheet:
    """A sheet with a readable unique number: year-term-id (the id is known once saved)."""
    sheet = ExamSheet.objects.create(
        course=course,
        control_form=control_form,
        kind=kind,
        attempt=attempt,
        number=f"new-{uuid.uuid4().hex[:24]}",
        teacher=teacher if teacher is not None else course.teacher,
    )
    sheet.number = _number(sheet, course.term)
    ExamSheet.objects.filter(pk=sheet.pk).update(number=sheet.number)
    audit_record(action="sheet_create", obj=sheet, after=snapshot(sheet, SHEET_FIELDS), actor=by)
    return sheet


def _default_checkpoints(course: Course, control_form: str) -> None:
    final_name = _("Final exam") if control_form == ControlForm.EXAM else _("Final credit")
    plan = [
        (_("Module %(number)s") % {"number": 1}, MODULE_MAXIMUM),
        (_("Module %(number)s") % {"number": 2}, MODULE_MAXIMUM),
        (final_name, FINAL_MAXIMUM),
    ]
    Checkpoint.objects.bulk_create(
        [
            Checkpoint(
                course=course,
                order=order,
                name=name,
                max_score=maximum,
                kind=CheckpointKind.FINAL if order == len(plan) else CheckpointKind.CURRENT,
            )
            for order, (name, maximum) in enumerate(plan, start=1)
        ]
    )


def _chosen_sources(group: Group, on: date) -> set[int]:
    """The base-plan lines some student of `group` chose as an elective."""
    # An individual plan belongs to the student's account (curricula knows no records).
    users = StudentState.objects.filter(covering(on), group=group, status=Status.STUDYING).values(
        "student__user_id"
    )
    return set(
        IndividualPlan.choices.through.objects.filter(
            individualplan__student_id__in=users
        ).values_list("curriculumline_id", flat=True)
    )


@transaction.atomic
def course_generate_for_group(
    *, by, group: Group, term: Term, on: date | None = None
) -> GenerationResult:
    """Create the missing courses of `group` in `term` and their sheets; existing ones are kept.

    One course per working-plan line (an elective line only when some student
    of the group chose it), with Module 1 (30), Module 2 (30) and the final
    control (40), no teacher yet; one sheet for the line's final control form
    and one for its coursework. The sheets are filled with the group's
    students. Audited; notifies nobody.
    """
    on = on or max(min(timezone.localdate(), term.ends_on), term.starts_on)
    result = GenerationResult(groups=1)
    lines = list(working_plan_lines_for(group, term))
    if not lines:
        return result
    existing = {c.line_id: c for c in Course.objects.filter(term=term, group=group)}
    chosen: set[int] | None = None
    for line in lines:
        if line.component == Component.ELECTIVE:
            if chosen is None:
                chosen = _chosen_sources(group, on)
            if line.source_id not in chosen:
                continue
        course = existing.get(line.pk)
        if course is not None:
            course.term, course.group = term, group
        else:
            course = Course.objects.create(
                term=term, group=group, line=line, discipline=line.discipline, credits=line.credits
            )
            _default_checkpoints(course, line.control_form)
            audit_record(
                action="course_create",
                obj=course,
                after=snapshot(course, ("term", "group", "line", "discipline", "credits")),
                actor=by,
            )
            result.courses += 1
        result.sheets += _ensure_sheets(course, line, on, by=by)
    return result


def _ensure_sheets(course: Course, line, on: date, *, by) -> int:
    have = {
        control_form
        for control_form in ExamSheet.objects.filter(
            course=course, kind=SheetKind.REGULAR
        ).values_list("control_form", flat=True)
    }
    wanted = [line.control_form] if line.control_form in SHEET_CONTROL_FORMS else []
    if line.has_coursework:
        wanted.append(ControlForm.COURSEWORK)
    made = 0
    for control_form in wanted:
        if control_form in have:
            continue
        sheet = _new_sheet(course, control_form, by=by)
        sheet.course = course
        _sync(sheet, on)
        made += 1
    return made


@transaction.atomic
def course_sheets_ensure(*, by, course: Course, on: date | None = None) -> int:
    """Create the missing regular sheets of a course (its line's final control, coursework).

    The new sheets list the group's students on `on` (today by default).
    Audited; notifies nobody. Returns how many sheets were made.
    """
    course = Course.objects.select_related("term__academic_year", "group", "line").get(pk=course.pk)
    on = on or max(min(timezone.localdate(), course.term.ends_on), course.term.starts_on)
    return _ensure_sheets(course, course.line, on, by=by)


def courses_generate(
    *, by, term: Term, progress: ProgressFn | None = None, on: date | None = None
) -> GenerationResult:
    """Generate the courses and sheets of `term` for every active group (GB-3, GB-8).

    One transaction per group, so a background job's progress stays visible
    and a failure keeps the groups already done; running it again creates
    only what is missing. Notifies nobody; the job reports its progress.
    """
    groups = list(Group.objects.filter(is_active=True).order_by("name", "pk"))
    total = GenerationResult()
    for done, group in enumerate(groups, start=1):
        made = course_generate_for_group(by=by, group=group, term=term, on=on)
        total.groups += 1
        total.courses += made.courses
        total.sheets += made.sheets
        if progress is not None:
            progress(done, len(groups), str(group))
    return total


@transaction.atomic
def course_teacher_assign(*, by, course: Course, teacher) -> Course:
    """Name (or clear, with None) the course's teacher; its open sheets get them as examiner.

    Audited. The teacher is notified.
    """
    if teacher is not None and not teacher.is_active:
        raise DomainError(_("This account is not active."))
    before = snapshot(course, ("teacher",))
    course.teacher = teacher
    course.save(update_fields=["teacher"])
    ExamSheet.objects.filter(course=course, status=SheetStatus.OPEN).update(teacher=teacher)
    audit_record(
        action="course_teacher_assign",
        obj=course,
        before=before,
        after=snapshot(course, ("teacher",)),
        actor=by,
    )
    if teacher is not None:
        from realtime.actions import notification_send

        notification_send(
            recipients=[teacher],
            title=_("You teach %(course)s") % {"course": course},
            url=reverse("grades:course-sheets", args=[course.pk]),
        )
    return course


# --- Following the records --------------------------------------------------------------


@dataclass
class SyncResult:
    joined: list[int]
    left: list[int]


def _sync(sheet: ExamSheet, on: date) -> SyncResult:
    """sheet_sync without its transaction and audit (the caller has both)."""
    course = sheet.course
    states = {
        row["student_id"]: row["valid_from"]
        for row in StudentState.objects.filter(
            covering(on), group_id=course.group_id, status=Status.STUDYING
        ).values("student_id", "valid_from")
    }
    lines = {line.student_id: line for line in SheetLine.objects.filter(sheet=sheet)}
    term_start = course.term.starts_on
    joined = [sid for sid in states if sid not in lines]
    returned = [line for sid, line in lines.items() if sid in states and line.left_on is not None]
    leaving = [line for sid, line in lines.items() if sid not in states and line.left_on is None]
    if sheet.kind == SheetKind.RETAKE:
        joined = []  # a retake lists only its debtors, chosen when it is made
    if joined:
        SheetLine.objects.bulk_create(
            [
                SheetLine(sheet=sheet, student_id=sid, joined_on=max(states[sid], term_start))
                for sid in joined
            ]
        )
    for line in returned:
        line.left_on = None
        line.joined_on = max(states[line.student_id], term_start)
    if leaving:
        ended = dict(
            StudentState.objects.filter(
                student_id__in=[line.student_id for line in leaving],
                group_id=course.group_id,
                valid_to__isnull=False,
                valid_to__lte=on,
            )
            .values("student_id")
            .annotate(last=Max("valid_to"))
            .values_list("student_id", "last")
        )
        for line in leaving:
            line.left_on = max(ended.get(line.student_id, on), line.joined_on)
    changed = returned + leaving
    if changed:
        SheetLine.objects.bulk_update(changed, ["left_on", "joined_on"])
    _refresh_admission(sheet)
    return SyncResult(joined=joined, left=[line.student_id for line in leaving])


def _refresh_admission(sheet: ExamSheet) -> None:
    """Admission of the lines still without a result, by the rules of admission.py."""
    if sheet.control_form == ControlForm.COURSEWORK:
        return
    pending = list(
        SheetLine.objects.filter(
            sheet=sheet, left_on__isnull=True, final_score__isnull=True, absent=False
        )
    )
    if not pending:
        return
    blocks = admission_blocks(sheet.course, [line.student_id for line in pending])
    changed = []
    for line in pending:
        reasons = blocks.get(line.student_id)
        admitted = not reasons
        note = "; ".join(reasons or [])[:255]
        if line.admitted != admitted or line.admission_note != note:
            line.admitted, line.admission_note = admitted, note
            changed.append(line)
    if changed:
        SheetLine.objects.bulk_update(changed, ["admitted", "admission_note"])


@transaction.atomic
def sheet_sync(*, sheet: ExamSheet, on: date | None = None) -> SyncResult:
    """Bring an open sheet's students in step with its group on `on` (today by default).

    Students of the group join it (from the day they entered the group, or the
    term's start); those who left (transfer, expulsion, leave) get `left_on`,
    the day their period in the group ended; admission is refreshed for the
    lines without a result. A closed sheet is never touched. Audited when
    someone joined or left; notifies nobody.
    """
    sheet = ExamSheet.objects.select_for_update().select_related("course__term").get(pk=sheet.pk)
    if sheet.is_closed:
        return SyncResult([], [])
    result = _sync(sheet, on or timezone.localdate())
    if result.joined or result.left:
        audit_record(
            action="sheet_sync",
            obj=sheet,
            after={"joined": result.joined, "left": result.left},
        )
    return result


def sheets_sync_groups(*, group_ids: Iterable[int], on: date | None = None) -> int:
    """Sync the open sheets of current terms of `group_ids` on `on`; returns how many sheets."""
    on = on or timezone.localdate()
    count = 0
    for sheet in open_sheets_of_groups(list(group_ids), on):
        sheet_sync(sheet=sheet, on=on)
        count += 1
    return count


def sheets_sync_all(*, on: date | None = None) -> int:
    """Sync every open sheet of the terms running on `on`; the nightly task."""
    on = on or timezone.localdate()
    groups = Group.objects.filter(is_active=True).values_list("pk", flat=True)
    return sheets_sync_groups(group_ids=list(groups), on=on)


# --- Filling ------------------------------------------------------------------------------


def _grade(line: SheetLine, sheet: ExamSheet, scale: Scale, current: Decimal) -> None:
    """Set the line's total and grade from its final score (no query)."""
    coursework = sheet.control_form == ControlForm.COURSEWORK
    line.current_score = None if coursework else current
    line.letter, line.gpa, line.mark = "", None, None
    if not line.admitted or line.absent:
        line.total = None if coursework else current
        line.passed = False
        return
    if line.final_score is None:
        line.total, line.passed = None, None
        return
    total = line.final_score if coursework else current + line.final_score
    line.total = min(total, Decimal(scale.maximum))
    grade = scale.grade(line.total)
    if sheet.control_form == ControlForm.CREDIT:
        line.passed = grade.rounded >= scale.passing_score()
        return
    line.letter, line.gpa, line.mark, line.passed = (
        grade.letter,
        grade.gpa,
        grade.mark,
        grade.passed,
    )


def _money(value) -> str | None:
    """A score as text with two decimals ("35.00"), as the database keeps it; None stays None."""
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def line_data(line: SheetLine) -> dict:
    """A line as the sheet page, its events and its conflicts show it."""
    text = _money

    return {
        "sheet": line.sheet_id,
        "line": line.pk,
        "student": line.student_id,
        "final_score": text(line.final_score),
        "absent": line.absent,
        "admitted": line.admitted,
        "current_score": text(line.current_score),
        "total": text(line.total),
        "letter": line.letter,
        "mark": line.mark,
        "passed": line.passed,
        "version": line.version,
    }


def _publish_line(line: SheetLine, sheet: ExamSheet) -> None:
    """Tell the student's grade audience (grids, cabinet, parents, curator) about the line."""
    data = {k: v for k, v in line_data(line).items() if k not in ("admitted", "current_score")}
    for group in grade_audience(sheet.course, line.student):
        send_event(group, EventType.SHEET_LINE_CHANGED, data)


def _store_score(line: SheetLine, sheet: ExamSheet, final: Checkpoint | None, by) -> None:
    """Keep the final checkpoint's Score(source=sheet) equal to the line's final score.

    Only the student's latest attempt of this control speaks for the journal.
    """
    if final is None or sheet.control_form == ControlForm.COURSEWORK:
        return
    later = SheetLine.objects.filter(
        student_id=line.student_id,
        sheet__course_id=sheet.course_id,
        sheet__control_form=sheet.control_form,
        sheet__attempt__gt=sheet.attempt,
    ).exists()
    if later:
        return
    existing = Score.objects.filter(
        checkpoint=final,
        student_id=line.student_id,
        source=ScoreSource.SHEET,
        ref=SHEET_SCORE_REF,
        lesson__isnull=True,
    ).first()
    value = None if (line.absent or not line.admitted) else line.final_score
    if value is None:
        if existing is not None:
            existing.delete()
        return
    if existing is None:
        Score.objects.create(
            checkpoint=final,
            student_id=line.student_id,
            source=ScoreSource.SHEET,
            ref=SHEET_SCORE_REF,
            value=value,
            updated_by=by,
        )
    elif existing.value != value:
        existing.value = value
        existing.version += 1
        existing.updated_by = by
        existing.save(update_fields=["value", "version", "updated_by", "updated_at"])
    # The journal's totals follow: one grade.changed like a journal cell's.
    send_event(
        group_course(sheet.course_id),
        EventType.GRADE_CHANGED,
        {
            "course": sheet.course_id,
            "checkpoint": final.pk,
            "student": line.student_id,
            "lesson": None,
            "value": _money(value),
            "version": existing.version if existing else 1,
            "checkpoint_total": _money(min(value, Decimal(final.max_score))),
            "total": _money(line.total),
        },
    )


def _check_score(value: Decimal | None, maximum: int) -> None:
    if value is not None and not (0 <= value <= maximum):
        raise DomainError(_("A score on this sheet lies between 0 and %(max)s.") % {"max": maximum})
    if value is not None and value != value.quantize(Decimal("0.01")):
        raise DomainError(_("A score has at most two decimal places."))


@transaction.atomic
def sheet_line_save(
    *,
    by,
    line: SheetLine,
    final_score: Decimal | None,
    absent: bool = False,
    version: int | None = None,
    on: date | None = None,
) -> SheetLine:
    """Enter the final-control score of one line, or mark the student absent (GB-4).

    Refused with a DomainError when the sheet is closed, outside the sheet's
    window in the academic calendar, the student is no longer on the sheet or
    not admitted (the reasons are named), or the score is out of 0..the final
    checkpoint's maximum; with `SheetLineConflict` (carrying the current
    value) when `version` is not the line's version. Recomputes the total and
    grade, stores the score on the final checkpoint (source sheet) so the
    journal agrees, audits, and publishes `sheet.line_changed` to the course
    and the student (and `grade.changed` for the journal) after commit.
    """
    line = SheetLine.objects.select_for_update().select_related("student").get(pk=line.pk)
    sheet = ExamSheet.objects.select_related("course__term", "course__group").get(pk=line.sheet_id)
    if sheet.is_closed:
        raise DomainError(
            _("The sheet is closed: a change needs a request approved by the vice-rector.")
        )
    problem = closed_reason(sheet_window(sheet), on)
    if problem:
        raise DomainError(problem)
    if line.left_on is not None:
        raise DomainError(_("This student is no longer on the sheet."))
    if version is not None and version != line.version:
        raise SheetLineConflict(
            _("Someone else changed this line meanwhile; it now holds the value shown."),
            current=line_data(line),
        )
    if absent:
        final_score = None
    checkpoints = list(Checkpoint.objects.filter(course_id=sheet.course_id))
    _check_score(final_score, final_maximum(sheet, checkpoints))
    coursework = sheet.control_form == ControlForm.COURSEWORK
    if not coursework and (final_score is not None or absent):
        blocks = admission_blocks(sheet.course, [line.student_id]).get(line.student_id)
        if blocks:
            line.admitted, line.admission_note = False, "; ".join(blocks)[:255]
            line.save(update_fields=["admitted", "admission_note"])
            raise DomainError(
                _("The student is not admitted to the final control: %(reasons)s")
                % {"reasons": "; ".join(blocks)}
            )
        line.admitted, line.admission_note = True, ""
    before = snapshot(line, LINE_FIELDS)
    line.final_score, line.absent = final_score, absent
    current = current_totals(checkpoints, [line.student_id]).get(line.student_id, Decimal(0))
    _grade(line, sheet, scale_for(), current)
    line.version += 1
    line.updated_by = by
    line.save()
    audit_record(
        action="sheet_line_save",
        obj=line,
        before=before,
        after=snapshot(line, LINE_FIELDS),
        actor=by,
    )
    _store_score(line, sheet, final_checkpoint(checkpoints), by)
    _publish_line(line, sheet)
    return line


# --- Closing ------------------------------------------------------------------------------


def _debt_kind(line: SheetLine) -> str | None:
    if not line.admitted:
        return DebtKind.NOT_ADMITTED
    if line.absent:
        return DebtKind.MISSED
    if line.passed is False:
        return DebtKind.FAILED
    return None


@transaction.atomic
def sheet_close(*, by, sheet: ExamSheet) -> ExamSheet:
    """Close and lock a sheet whose every line has a result (GB-4, GB-8).

    Snapshots each line's points before the final, total and grade; marks the
    sheet closed by `by` now; opens a Debt for every failed, missed or not
    admitted line (a retake instead clears the open debts of those who passed
    and keeps the others). Audited; publishes `sheet.closed` to the grades
    office and the course after commit.
    """
    sheet = (
        ExamSheet.objects.select_for_update()
        .select_related("course__term", "course__group__specialty__department")
        .get(pk=sheet.pk)
    )
    if sheet.is_closed:
        raise DomainError(_("The sheet is already closed."))
    lines = list(SheetLine.objects.filter(sheet=sheet, left_on__isnull=True))
    if not lines:
        raise DomainError(_("The sheet has no students."))
    missing = [
        line for line in lines if line.final_score is None and not line.absent and line.admitted
    ]
    if missing:
        raise DomainError(
            _("%(count)s students have no result yet: enter a score or “did not appear”.")
            % {"count": len(missing)}
        )
    checkpoints = list(Checkpoint.objects.filter(course_id=sheet.course_id))
    totals = current_totals(checkpoints, [line.student_id for line in lines])
    scale = scale_for()
    for line in lines:
        _grade(line, sheet, scale, totals.get(line.student_id, Decimal(0)))
    SheetLine.objects.bulk_update(
        lines, ["current_score", "total", "letter", "gpa", "mark", "passed"]
    )
    before = snapshot(sheet, ("status", "closed_by", "closed_at"))
    sheet.status = SheetStatus.CLOSED
    sheet.closed_by = by
    sheet.closed_at = timezone.now()
    sheet.save(update_fields=["status", "closed_by", "closed_at"])
    if sheet.kind == SheetKind.RETAKE:
        _clear_debts(sheet, [line for line in lines if line.passed])
    else:
        Debt.objects.bulk_create(
            [
                Debt(student_id=line.student_id, line=line, kind=kind)
                for line in lines
                if (kind := _debt_kind(line)) is not None
            ]
        )
    audit_record(
        action="sheet_close",
        obj=sheet,
        before=before,
        after=snapshot(sheet, ("status", "closed_by", "closed_at")),
        actor=by,
    )
    _publish_closed(sheet)
    return sheet


def _publish_closed(sheet: ExamSheet) -> None:
    group = sheet.course.group
    data = {
        "sheet": sheet.pk,
        "course": sheet.course_id,
        "group": group.pk,
        "faculty": group.specialty.department.faculty_id,
        "status": sheet.status,
        "closed_at": sheet.closed_at.isoformat() if sheet.closed_at else None,
    }
    send_event(group_office(OFFICE), EventType.SHEET_CLOSED, data)
    send_event(group_course(sheet.course_id), EventType.SHEET_CLOSED, data)


def _clear_debts(sheet: ExamSheet, passed: list[SheetLine]) -> int:
    """Close the open debts of this control of the course for the students of `passed`."""
    now = timezone.now()
    by_student = {line.student_id: line for line in passed}
    debts = list(
        Debt.objects.filter(
            status=DebtStatus.OPEN,
            student_id__in=by_student,
            line__sheet__course_id=sheet.course_id,
            line__sheet__control_form=sheet.control_form,
        )
    )
    for debt in debts:
        debt.status, debt.cleared_by, debt.cleared_at = (
            DebtStatus.CLOSED,
            by_student[debt.student_id],
            now,
        )
    Debt.objects.bulk_update(debts, ["status", "cleared_by", "cleared_at"])
    return len(debts)


# --- Changes of closed sheets (AC-3) ------------------------------------------------------

REQUEST_FIELDS = (
    "line",
    "old_final_score",
    "old_absent",
    "new_final_score",
    "new_absent",
    "reason",
    "status",
    "decision_note",
)


@transaction.atomic
def change_request_create(
    *,
    by,
    line: SheetLine,
    new_final_score: Decimal | None,
    absent: bool = False,
    reason: str,
) -> SheetChangeRequest:
    """Ask to change one line of a closed sheet; nothing changes until the vice-rector approves.

    Refused when the sheet is open, the line already has a pending request,
    the score is out of range, nothing would change, no reason is given or
    the time to ask (grading settings) has passed. Audited; the deciders
    (APPROVE on grades) see it on the pending requests page.
    """
    line = SheetLine.objects.select_for_update().get(pk=line.pk)
    sheet = ExamSheet.objects.select_related("course").get(pk=line.sheet_id)
    if not sheet.is_closed:
        raise DomainError(_("The sheet is open: change the line on the sheet itself."))
    if line.left_on is not None:
        raise DomainError(_("This student is no longer on the sheet."))
    if not reason.strip():
        raise DomainError(_("Say why the closed sheet must change."))
    days = grading_settings().change_window_days
    if sheet.closed_at and timezone.now() > sheet.closed_at + timedelta(days=days):
        raise DomainError(
            _("A closed sheet may be changed within %(days)s days of its closing.") % {"days": days}
        )
    if absent:
        new_final_score = None
    elif new_final_score is None:
        raise DomainError(_("Enter the new score or mark the student absent."))
    checkpoints = list(Checkpoint.objects.filter(course_id=sheet.course_id))
    _check_score(new_final_score, final_maximum(sheet, checkpoints))
    if not line.admitted and sheet.control_form != ControlForm.COURSEWORK:
        raise DomainError(_("The student was not admitted to this control."))
    if new_final_score == line.final_score and absent == line.absent:
        raise DomainError(_("The new result is the same as the sheet's."))
    if SheetChangeRequest.objects.filter(line=line, status=RequestStatus.PENDING).exists():
        raise DomainError(_("This line already has a request awaiting decision."))
    change = SheetChangeRequest.objects.create(
        line=line,
        old_final_score=line.final_score,
        old_absent=line.absent,
        new_final_score=new_final_score,
        new_absent=absent,
        reason=reason.strip(),
        requested_by=by,
    )
    audit_record(
        action="change_request_create",
        obj=change,
        after=snapshot(change, REQUEST_FIELDS),
        actor=by,
    )
    return change


@transaction.atomic
def change_request_decide(
    *, by, request: SheetChangeRequest, approve: bool, note: str = ""
) -> SheetChangeRequest:
    """Approve or reject a pending change of a closed sheet (AC-3).

    Approved: the line takes the new result, its total and grade are
    recomputed, the final checkpoint's score follows, and its debt is opened,
    cleared or reopened accordingly; `sheet.line_changed` goes to the course
    and the student. Rejected: nothing changes. Either way the request is
    audited and its author notified.
    """
    request = SheetChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise DomainError(_("This request has already been decided."))
    if not approve and not note.strip():
        raise DomainError(_("Say why the request is rejected."))
    before = snapshot(request, REQUEST_FIELDS)
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        action="change_request_decide",
        obj=request,
        before=before,
        after=snapshot(request, REQUEST_FIELDS),
        actor=by,
    )
    line = SheetLine.objects.select_for_update().select_related("student").get(pk=request.line_id)
    sheet = ExamSheet.objects.select_related("course__term", "course__group").get(pk=line.sheet_id)
    if approve:
        _apply_change(by=by, line=line, sheet=sheet, request=request)
    if request.requested_by_id:
        from realtime.actions import notification_send

        title = (
            _("Your change of sheet %(number)s is approved")
            if approve
            else _("Your change of sheet %(number)s is rejected")
        ) % {"number": sheet.number}
        notification_send(
            recipients=[request.requested_by_id],
            title=title,
            body=request.decision_note,
            url=reverse("grades:change-request", args=[request.pk]),
        )
    return request


def _apply_change(*, by, line: SheetLine, sheet: ExamSheet, request: SheetChangeRequest) -> None:
    before = snapshot(line, LINE_FIELDS)
    line.final_score, line.absent = request.new_final_score, request.new_absent
    checkpoints = list(Checkpoint.objects.filter(course_id=sheet.course_id))
    # The points before the final stay those the sheet was closed with.
    current = line.current_score if line.current_score is not None else Decimal(0)
    _grade(line, sheet, scale_for(), current)
    line.version += 1
    line.updated_by = by
    line.save()
    audit_record(
        action="sheet_line_change",
        obj=line,
        before=before,
        after=snapshot(line, LINE_FIELDS),
        reason=request.reason,
        actor=by,
    )
    _store_score(line, sheet, final_checkpoint(checkpoints), by)
    _follow_debt(line, sheet)
    _publish_line(line, sheet)


def _follow_debt(line: SheetLine, sheet: ExamSheet) -> None:
    """Open, clear or reopen the debt of a changed line of a closed sheet."""
    kind = _debt_kind(line)
    if sheet.kind == SheetKind.RETAKE:
        if line.passed:
            _clear_debts(sheet, [line])
        else:
            Debt.objects.filter(cleared_by=line, status=DebtStatus.CLOSED).update(
                status=DebtStatus.OPEN, cleared_by=None, cleared_at=None
            )
        return
    debt = Debt.objects.filter(line=line).first()
    if kind is None:
        if debt is not None and debt.status == DebtStatus.OPEN:
            debt.status, debt.cleared_by, debt.cleared_at = DebtStatus.CLOSED, line, timezone.now()
            debt.save(update_fields=["status", "cleared_by", "cleared_at"])
        return
    if debt is None:
        Debt.objects.create(student_id=line.student_id, line=line, kind=kind)
    elif debt.cleared_by_id == line.pk or debt.kind != kind:
        debt.kind = kind
        if debt.cleared_by_id == line.pk:
            debt.status, debt.cleared_by, debt.cleared_at = DebtStatus.OPEN, None, None
        debt.save(update_fields=["kind", "status", "cleared_by", "cleared_at"])


# --- Retakes and differences (GB-9) -------------------------------------------------------


@transaction.atomic
def retake_sheet_create(*, by, course: Course, control_form: str, students: Iterable) -> ExamSheet:
    """Open a retake sheet of one control of a course for students with an open debt of it.

    The attempt is the next after the course's last sheet of that control; the
    lines are the chosen students (each must have an open debt). Audited;
    the course's teacher examines it, unless changed on the course page.
    """
    ids = sorted({getattr(s, "pk", s) for s in students})
    if not ids:
        raise DomainError(_("Choose the students who retake."))
    debts = {
        d.student_id: d
        for d in Debt.objects.filter(
            status=DebtStatus.OPEN,
            student_id__in=ids,
            line__sheet__course=course,
            line__sheet__control_form=control_form,
        )
    }
    without = [sid for sid in ids if sid not in debts]
    if without:
        raise DomainError(
            _("%(count)s of the chosen students have no open debt of this control.")
            % {"count": len(without)}
        )
    last = (
        ExamSheet.objects.filter(course=course, control_form=control_form).aggregate(
            n=Max("attempt")
        )["n"]
        or 1
    )
    course = Course.objects.select_related("term__academic_year", "group").get(pk=course.pk)
    sheet = _new_sheet(course, control_form, kind=SheetKind.RETAKE, attempt=last + 1, by=by)
    today = timezone.localdate()
    SheetLine.objects.bulk_create(
        [SheetLine(sheet=sheet, student_id=sid, joined_on=today) for sid in ids]
    )
    sheet.course = course
    _refresh_admission(sheet)
    return sheet


DIFFERENCE_FIELDS = (
    "student",
    "discipline",
    "semester",
    "credits",
    "control_form",
    "due_on",
    "status",
    "score",
    "letter",
    "mark",
    "cleared_on",
)


@transaction.atomic
def difference_create(
    *,
    by,
    student,
    discipline,
    semester: int,
    credits: int,
    control_form: str,
    due_on: date | None = None,
) -> AcademicDifference:
    """Record a discipline a transferred student must still pass (GB-9). Audited."""
    if not 1 <= semester <= 12:
        raise DomainError(_("A semester is a number from 1 to 12."))
    if AcademicDifference.objects.filter(
        student=student, discipline=discipline, status=DebtStatus.OPEN
    ).exists():
        raise DomainError(_("This student already owes this discipline."))
    difference = AcademicDifference.objects.create(
        student=student,
        discipline=discipline,
        semester=semester,
        credits=credits,
        control_form=control_form,
        due_on=due_on,
        created_by=by,
    )
    audit_record(
        action="difference_create",
        obj=difference,
        after=snapshot(difference, DIFFERENCE_FIELDS),
        actor=by,
    )
    return difference


@transaction.atomic
def difference_result_record(
    *, by, difference: AcademicDifference, score: Decimal, on: date | None = None
) -> AcademicDifference:
    """Record the result (0..100) of an academic difference; a pass clears it. Audited."""
    difference = AcademicDifference.objects.select_for_update().get(pk=difference.pk)
    if difference.status == DebtStatus.CLOSED:
        raise DomainError(_("This difference is already passed."))
    _check_score(score, 100)
    before = snapshot(difference, DIFFERENCE_FIELDS)
    grade = scale_for().grade(score)
    difference.score = score
    if difference.control_form == ControlForm.CREDIT:
        difference.letter, difference.gpa, difference.mark = "", None, None
    else:
        difference.letter, difference.gpa, difference.mark = grade.letter, grade.gpa, grade.mark
    if grade.passed:
        difference.status = DebtStatus.CLOSED
        difference.cleared_on = on or timezone.localdate()
    difference.save()
    audit_record(
        action="difference_result_record",
        obj=difference,
        before=before,
        after=snapshot(difference, DIFFERENCE_FIELDS),
        actor=by,
    )
    return difference
