"""Writes of the electronic journal (TC-2, GB-2, GB-5).

- The checkpoint plan of a course: `checkpoint_plan_update` (names, kinds,
  maxima summing to 100, exactly one final checkpoint and it is last) and the
  course's admission minimum.
- Lessons, the columns of the journal: `lesson_create`, `lesson_update`,
  `lesson_delete`; their dates lie inside the journal window of the academic
  calendar.
- Journal cells: `attendance_set` and `journal_score_set`. Each cell carries a
  version; a writer names the version they saw and a stale one is refused with
  `CellConflict` (the current value and version), so two teachers typing into
  one cell never overwrite each other silently.
- Results of other modules (GB-5): `external_score_record` and
  `external_score_withdraw`, the API the testing and learning modules call.

Every action is atomic and audited. Cell and score changes publish
GRADE_CHANGED / ATTENDANCE_CHANGED after commit to the course's open journals
(course.<id>), the student's own tabs (user.<id>) and the group's followers
(academic.<id>: the curator's live view).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from academic.grades.calendar import closed_reason, journal_window
from academic.grades.models import (
    Attendance,
    AttendanceMark,
    Checkpoint,
    CheckpointKind,
    Course,
    ExamSheet,
    Lesson,
    LessonKind,
    Score,
    ScoreSource,
    SheetStatus,
)
from academic.grades.scoring import checkpoint_totals, parse_score
from academic.records.models import Status, Student, StudentState
from academic.records.selectors import covering
from hub.accounts.models import Guardianship, User
from hub.audit.log import audit_record, snapshot
from hub.errors import DomainError
from realtime.events import EventType, send_event
from realtime.groups import group_academic, group_course, group_user

CHECKPOINT_FIELDS = ("course", "order", "name", "kind", "max_score", "work_kinds")
LESSON_FIELDS = ("course", "date", "kind", "topic", "checkpoint", "max_score")
SCORE_FIELDS = ("checkpoint", "student", "lesson", "source", "ref", "value", "version")
ATTENDANCE_FIELDS = ("lesson", "student", "mark", "version")
# Sources other modules deliver through external_score_record (GB-5).
EXTERNAL_SOURCES = (ScoreSource.TEST, ScoreSource.ASSIGNMENT)
FULL_MARKS = 100
CENTS = Decimal("0.01")


def _today() -> date:
    """Today in the institution's time zone (a seam for tests of the calendar)."""
    return timezone.localdate()


class CellConflict(DomainError):
    """A journal cell changed since the writer read it: `value` and `version` are current.

    `value` is the attendance mark or the score (None for an empty cell,
    whose version is 0).
    """

    def __init__(self, *, value, version: int) -> None:
        shown = "—" if value in (None, "") else str(value)
        super().__init__(
            _("Someone else has just changed this cell: it now holds %(value)s.") % {"value": shown}
        )
        self.value = value
        self.version = version


@dataclass(frozen=True)
class CellResult:
    """A saved cell: its value and version, and the student's totals after the save."""

    value: object
    version: int
    checkpoint: int | None
    checkpoint_total: Decimal | None
    total: Decimal


# --- Checkpoint plans (GB-2) ------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointDraft:
    """One checkpoint of a plan as submitted; `pk` None for a new one."""

    name: str
    kind: str
    max_score: int
    work_kinds: str = ""
    pk: int | None = None


def _validate_plan(drafts: list[CheckpointDraft]) -> None:
    problems = []
    if not drafts:
        raise DomainError(_("A course needs at least one checkpoint."))
    if any(not d.name.strip() for d in drafts):
        problems.append(_("Every checkpoint needs a name."))
    if any(not (1 <= int(d.max_score) <= FULL_MARKS) for d in drafts):
        problems.append(_("A checkpoint's maximum is from 1 to 100."))
    total = sum(int(d.max_score) for d in drafts)
    if total != FULL_MARKS:
        problems.append(
            _("The maxima of the checkpoints add up to %(total)s, not 100.") % {"total": total}
        )
    finals = [i for i, d in enumerate(drafts) if d.kind == CheckpointKind.FINAL]
    if len(finals) != 1:
        problems.append(_("Exactly one checkpoint must be the final control."))
    elif finals[0] != len(drafts) - 1:
        problems.append(_("The final control must be the last checkpoint."))
    if problems:
        raise DomainError(problems[0], messages=problems)


@transaction.atomic
def checkpoint_plan_update(
    *,
    by: User | None,
    course: Course,
    checkpoints: list[CheckpointDraft],
    admission_minimum: int | None,
) -> list[Checkpoint]:
    """Replace the course's checkpoint plan with `checkpoints` (in order) and set its minimum.

    Existing checkpoints (by pk) are updated, new ones created, missing ones
    deleted — unless scores or lessons count towards them: then nothing
    changes and DomainError names them. `admission_minimum` None means the
    institution's minimum. Audited per checkpoint; nobody is notified (totals
    do not change by a plan edit until scores move).
    """
    _validate_plan(checkpoints)
    if admission_minimum is not None and not (0 <= admission_minimum <= FULL_MARKS):
        raise DomainError(_("The admission minimum is from 0 to 100 points."))
    existing = {c.pk: c for c in Checkpoint.objects.select_for_update().filter(course=course)}
    unknown = [d.pk for d in checkpoints if d.pk is not None and d.pk not in existing]
    if unknown:
        raise DomainError(_("A checkpoint of another course cannot be edited here."))
    kept = {d.pk for d in checkpoints if d.pk is not None}
    removed = [c for pk, c in existing.items() if pk not in kept]
    busy = [
        c.name
        for c in removed
        if Score.objects.filter(checkpoint=c).exists()
        or Lesson.objects.filter(checkpoint=c).exists()
    ]
    if busy:
        raise DomainError(
            _(
                "%(names)s cannot be removed: scores or lessons count towards it. "
                "Move or delete them first."
            )
            % {"names": ", ".join(busy)}
        )
    for checkpoint in removed:
        audit_record(
            action="checkpoint_delete",
            obj=checkpoint,
            before=snapshot(checkpoint, CHECKPOINT_FIELDS),
            actor=by,
        )
        checkpoint.delete()
    # Orders are unique per course: park the kept ones out of the way first.
    Checkpoint.objects.filter(course=course).update(order=F("order") + 1000)
    saved = []
    for order, draft in enumerate(checkpoints, start=1):
        checkpoint = existing.get(draft.pk) if draft.pk else None
        before = snapshot(checkpoint, CHECKPOINT_FIELDS) if checkpoint else None
        if checkpoint is None:
            checkpoint = Checkpoint(course=course)
        checkpoint.order = order
        checkpoint.name = draft.name.strip()
        checkpoint.kind = draft.kind
        checkpoint.max_score = int(draft.max_score)
        checkpoint.work_kinds = draft.work_kinds.strip()
        checkpoint.save()
        audit_record(
            action="checkpoint_update" if before else "checkpoint_create",
            obj=checkpoint,
            before=before,
            after=snapshot(checkpoint, CHECKPOINT_FIELDS),
            actor=by,
        )
        saved.append(checkpoint)
    if course.admission_minimum != admission_minimum:
        before = snapshot(course, ("admission_minimum",))
        course.admission_minimum = admission_minimum
        course.save(update_fields=["admission_minimum"])
        audit_record(
            action="course_admission_minimum_set",
            obj=course,
            before=before,
            after=snapshot(course, ("admission_minimum",)),
            actor=by,
        )
    return saved


# --- Lessons ------------------------------------------------------------------------------


def _check_lesson(
    course: Course, *, on: date, kind: str, checkpoint: Checkpoint | None, max_score: int
) -> None:
    reason = closed_reason(journal_window(course), on)
    if reason:
        raise DomainError(reason)
    if kind not in LessonKind.values:
        raise DomainError(_("Choose the kind of the lesson."))
    if max_score < 0:
        raise DomainError(_("The maximum score cannot be negative."))
    if checkpoint is None:
        if max_score:
            raise DomainError(_("Choose the checkpoint the lesson's scores count towards."))
        return
    if checkpoint.course_id != course.pk:
        raise DomainError(_("The checkpoint belongs to another course."))
    if checkpoint.kind == CheckpointKind.FINAL:
        raise DomainError(_("The final control is scored on the exam sheet, not in lessons."))
    if max_score > checkpoint.max_score:
        raise DomainError(
            _("A lesson gives at most the checkpoint's %(max)s points.")
            % {"max": checkpoint.max_score}
        )


@transaction.atomic
def lesson_create(
    *,
    by: User | None,
    course: Course,
    date: date,
    kind: str = LessonKind.LECTURE,
    topic: str = "",
    checkpoint: Checkpoint | None = None,
    max_score: int = 0,
) -> Lesson:
    """Add a lesson (a journal column) to `course`; its date lies in the journal window.

    Raises DomainError for a date outside the academic calendar's window, a
    checkpoint of another course or the final control, or a maximum above the
    checkpoint's. Audited; nobody is notified (open journals reload).
    """
    _check_lesson(course, on=date, kind=kind, checkpoint=checkpoint, max_score=max_score)
    lesson = Lesson.objects.create(
        course=course,
        date=date,
        kind=kind,
        topic=topic.strip(),
        checkpoint=checkpoint,
        max_score=max_score,
    )
    audit_record(
        action="lesson_create", obj=lesson, after=snapshot(lesson, LESSON_FIELDS), actor=by
    )
    return lesson


@transaction.atomic
def lesson_update(
    *,
    by: User | None,
    lesson: Lesson,
    date: date,
    kind: str,
    topic: str,
    checkpoint: Checkpoint | None,
    max_score: int,
) -> Lesson:
    """Change a lesson; its scores follow a change of checkpoint.

    Refused (DomainError) like `lesson_create`, and when the new maximum is
    below a score already given, or scores exist and the lesson would take
    none. Audited.
    """
    course = lesson.course
    _check_lesson(course, on=date, kind=kind, checkpoint=checkpoint, max_score=max_score)
    scores = Score.objects.filter(lesson=lesson)
    highest = max((s.value for s in scores), default=None)
    if highest is not None and (checkpoint is None or highest > max_score):
        raise DomainError(
            _(
                "Scores up to %(value)s are already given in this lesson: the maximum cannot be lower."
            )
            % {"value": highest}
        )
    before = snapshot(lesson, LESSON_FIELDS)
    lesson.date, lesson.kind, lesson.topic = date, kind, topic.strip()
    lesson.max_score = max_score
    moved = checkpoint is not None and lesson.checkpoint_id != checkpoint.pk
    lesson.checkpoint = checkpoint
    lesson.save()
    if moved:
        scores.update(checkpoint=checkpoint)
    audit_record(
        action="lesson_update",
        obj=lesson,
        before=before,
        after=snapshot(lesson, LESSON_FIELDS),
        actor=by,
    )
    return lesson


@transaction.atomic
def lesson_delete(*, by: User | None, lesson: Lesson) -> None:
    """Delete a lesson with its attendance and scores (audited, with how many cells went).

    Refused once the journal window is closed. The students whose scores go
    away are sent GRADE_CHANGED (value null) with their new totals.
    """
    course = lesson.course
    reason = closed_reason(journal_window(course), _today())
    if reason:
        raise DomainError(reason)
    scores = list(Score.objects.filter(lesson=lesson).select_related("student"))
    cells = Attendance.objects.filter(lesson=lesson).count()
    audit_record(
        action="lesson_delete",
        obj=lesson,
        before=snapshot(lesson, LESSON_FIELDS),
        reason=_("%(scores)s scores and %(marks)s attendance marks removed with it.")
        % {"scores": len(scores), "marks": cells},
        actor=by,
    )
    lesson_id = lesson.pk
    lesson.delete()
    for score in scores:
        _publish_grade(course, score.student, score.checkpoint_id, lesson_id, None, 0)


# --- Journal cells (TC-2) -------------------------------------------------------------------


def _on_roll(course: Course, student: Student, on: date) -> bool:
    """Was `student` studying in the course's group on `on` (by the signed orders)?"""
    return StudentState.objects.filter(
        covering(on),
        student=student,
        group_id=course.group_id,
        status=Status.STUDYING,
    ).exists()


def _check_cell(lesson: Lesson, student: Student) -> Course:
    course = lesson.course
    reason = closed_reason(journal_window(course), _today())
    if reason:
        raise DomainError(reason)
    if not _on_roll(course, student, lesson.date):
        raise DomainError(
            _("%(name)s was not a student of the group on %(date)s.")
            % {"name": student.user.get_full_name(), "date": lesson.date.strftime("%d.%m.%Y")}
        )
    return course


def _totals(course: Course, student: Student) -> dict[int, Decimal]:
    return {
        checkpoint: points
        for (_student, checkpoint), points in checkpoint_totals(
            course.checkpoints.all(), [student.pk]
        ).items()
    }


def _publish_grade(
    course: Course,
    student: Student,
    checkpoint_id: int,
    lesson_id: int | None,
    value: Decimal | None,
    version: int,
) -> tuple[Decimal, Decimal]:
    totals = _totals(course, student)
    checkpoint_total = totals.get(checkpoint_id, Decimal(0))
    total = sum(totals.values(), Decimal(0))
    data = {
        "course": course.pk,
        "checkpoint": checkpoint_id,
        "student": student.pk,
        "lesson": lesson_id,
        "value": points_text(value),
        "version": version,
        "checkpoint_total": points_text(checkpoint_total),
        "total": points_text(total),
    }
    for group in grade_audience(course, student):
        send_event(group, EventType.GRADE_CHANGED, data)
    return checkpoint_total, total


def points_text(value: Decimal | None) -> str | None:
    """Points as the events and the JSON answers carry them: two decimals ("7.50")."""
    return None if value is None else str(Decimal(value).quantize(CENTS))


def grade_audience(course: Course, student: Student) -> list[str]:
    """Who follows a student's grades live: the course's open grids and sheets, the student
    and their parents (their "My grades" pages), and the group's curator view."""
    parents = Guardianship.objects.filter(child_id=student.user_id).values_list(
        "parent_id", flat=True
    )
    return [
        group_course(course.pk),
        group_user(student.user_id),
        *(group_user(parent) for parent in parents),
        group_academic(course.group_id),
    ]


@transaction.atomic
def attendance_set(
    *,
    by: User | None,
    lesson: Lesson,
    student: Student,
    mark: str | None,
    expected_version: int,
) -> CellResult:
    """Set (or, with `mark` None, clear) a student's attendance at a lesson.

    `expected_version` is the cell's version the writer saw (0: empty). A
    stale one raises CellConflict with the current mark and version; a mark
    outside present/absent/late/excused, a student not in the group on the
    lesson's date or a closed journal raise DomainError. Audited; publishes
    ATTENDANCE_CHANGED to the course, the student and the group.
    """
    if mark is not None and mark not in AttendanceMark.values:
        raise DomainError(_("Attendance is present, absent, late or excused."))
    course = _check_cell(lesson, student)
    current = Attendance.objects.select_for_update().filter(lesson=lesson, student=student).first()
    current_version = current.version if current else 0
    if current_version != expected_version:
        raise CellConflict(value=current.mark if current else None, version=current_version)
    before = snapshot(current, ATTENDANCE_FIELDS) if current else None
    if mark is None:
        if current is not None:
            audit_record(action="attendance_clear", obj=current, before=before, actor=by)
            current.delete()
        version = 0
        after_obj = None
    elif current is None:
        try:
            with transaction.atomic():
                after_obj = Attendance.objects.create(
                    lesson=lesson, student=student, mark=mark, updated_by=by
                )
        except IntegrityError:
            # Another writer created the cell between our read and insert.
            other = Attendance.objects.get(lesson=lesson, student=student)
            raise CellConflict(value=other.mark, version=other.version) from None
        version = after_obj.version
    else:
        current.mark, current.version, current.updated_by = mark, current.version + 1, by
        current.save(update_fields=["mark", "version", "updated_by", "updated_at"])
        after_obj, version = current, current.version
    if after_obj is not None:
        audit_record(
            action="attendance_set",
            obj=after_obj,
            before=before,
            after=snapshot(after_obj, ATTENDANCE_FIELDS),
            actor=by,
        )
    data = {
        "course": course.pk,
        "lesson": lesson.pk,
        "student": student.pk,
        "mark": mark,
        "version": version,
        "date": lesson.date.isoformat(),
    }
    for group in grade_audience(course, student):
        send_event(group, EventType.ATTENDANCE_CHANGED, data)
    return CellResult(
        value=mark, version=version, checkpoint=None, checkpoint_total=None, total=Decimal(0)
    )


@transaction.atomic
def journal_score_set(
    *,
    by: User | None,
    lesson: Lesson,
    student: Student,
    value: Decimal | None,
    expected_version: int,
) -> CellResult:
    """Set (or, with `value` None, clear) a student's score in a lesson.

    The score counts towards the lesson's checkpoint. Refused (DomainError)
    outside 0..the lesson's maximum, in a lesson that takes no scores, for a
    student not in the group on the lesson's date and once the journal is
    closed; a stale `expected_version` raises CellConflict with the current
    value and version. Audited; publishes GRADE_CHANGED (with the new
    checkpoint total and total) to the course, the student and the group.
    """
    if lesson.checkpoint_id is None or lesson.max_score == 0:
        raise DomainError(_("This lesson takes attendance only, no scores."))
    if value is not None:
        value = Decimal(value).quantize(CENTS)
    if value is not None and not (0 <= value <= lesson.max_score):
        raise DomainError(
            _("A score in this lesson is from 0 to %(max)s.") % {"max": lesson.max_score}
        )
    course = _check_cell(lesson, student)
    current = Score.objects.select_for_update().filter(lesson=lesson, student=student).first()
    current_version = current.version if current else 0
    if current_version != expected_version:
        raise CellConflict(value=current.value if current else None, version=current_version)
    before = snapshot(current, SCORE_FIELDS) if current else None
    saved = None
    if value is None:
        if current is not None:
            audit_record(action="journal_score_clear", obj=current, before=before, actor=by)
            current.delete()
    elif current is None:
        try:
            with transaction.atomic():
                saved = Score.objects.create(
                    checkpoint_id=lesson.checkpoint_id,
                    student=student,
                    lesson=lesson,
                    source=ScoreSource.JOURNAL,
                    value=value,
                    updated_by=by,
                )
        except IntegrityError:
            other = Score.objects.get(lesson=lesson, student=student)
            raise CellConflict(value=other.value, version=other.version) from None
    else:
        current.value, current.version, current.updated_by = value, current.version + 1, by
        current.checkpoint_id = lesson.checkpoint_id
        current.save(update_fields=["value", "version", "updated_by", "updated_at", "checkpoint"])
        saved = current
    if saved is not None:
        audit_record(
            action="journal_score_set",
            obj=saved,
            before=before,
            after=snapshot(saved, SCORE_FIELDS),
            actor=by,
        )
    version = saved.version if saved else 0
    checkpoint_total, total = _publish_grade(
        course, student, lesson.checkpoint_id, lesson.pk, saved.value if saved else None, version
    )
    return CellResult(
        value=saved.value if saved else None,
        version=version,
        checkpoint=lesson.checkpoint_id,
        checkpoint_total=checkpoint_total,
        total=total,
    )


# --- Results from other modules (GB-5) ------------------------------------------------------


def _final_is_locked(checkpoint: Checkpoint) -> bool:
    return (
        checkpoint.kind == CheckpointKind.FINAL
        and ExamSheet.objects.filter(
            course_id=checkpoint.course_id, status=SheetStatus.CLOSED
        ).exists()
    )


@transaction.atomic
def external_score_record(
    *,
    by: User | None,
    checkpoint: Checkpoint,
    student: Student,
    value: Decimal | int | float | str,
    source: str,
    ref: str,
) -> Score:
    """Record a result from another module in a checkpoint: the GB-5 integration API.

    The testing module calls it when an attempt is graded
    (`source="test", ref="testing.attempt:17"`), the learning module when an
    assignment is scored (`source="assignment", ref="learning.submission:5"`).
    It is idempotent by (checkpoint, student, source, ref): delivering the same
    result again updates the one row (a new version only when the value
    changes). Refused with DomainError: a source other than test/assignment,
    an empty ref, a value outside 0..the checkpoint's maximum, a student not
    in the course's group (on today's date, clamped to the term), or the final
    checkpoint of a course whose exam sheet is closed (the final is the
    sheet's). Audited; publishes GRADE_CHANGED (lesson null) with the new
    totals to the course, the student and the group.
    """
    if source not in EXTERNAL_SOURCES:
        raise DomainError(_("Results come from a computer test or an assignment."))
    ref = (ref or "").strip()
    if not ref or len(ref) > Score._meta.get_field("ref").max_length:
        raise DomainError(_("A result needs a reference of at most 64 characters."))
    number = parse_score(value)
    number = None if number is None else number.quantize(CENTS)
    if number is None or not (0 <= number <= checkpoint.max_score):
        raise DomainError(
            _("A score in %(checkpoint)s is from 0 to %(max)s.")
            % {"checkpoint": checkpoint.name, "max": checkpoint.max_score}
        )
    course = checkpoint.course
    term = course.term
    on = min(max(_today(), term.starts_on), term.ends_on)
    if not _on_roll(course, student, on):
        raise DomainError(
            _("%(name)s is not a student of the course's group.")
            % {"name": student.user.get_full_name()}
        )
    if _final_is_locked(checkpoint):
        raise DomainError(
            _("The exam sheet of this course is closed: its final control no longer changes.")
        )
    score = (
        Score.objects.select_for_update()
        .filter(checkpoint=checkpoint, student=student, source=source, ref=ref, lesson__isnull=True)
        .first()
    )
    before = snapshot(score, SCORE_FIELDS) if score else None
    if score is None:
        score = Score.objects.create(
            checkpoint=checkpoint,
            student=student,
            source=source,
            ref=ref,
            value=number,
            updated_by=by,
        )
    elif score.value != number:
        score.value, score.version, score.updated_by = number, score.version + 1, by
        score.save(update_fields=["value", "version", "updated_by", "updated_at"])
    else:
        return score  # the same result delivered again: nothing changes, nobody is told
    audit_record(
        action="external_score_record",
        obj=score,
        before=before,
        after=snapshot(score, SCORE_FIELDS),
        actor=by,
    )
    _publish_grade(course, student, checkpoint.pk, None, score.value, score.version)
    return score


@transaction.atomic
def external_score_withdraw(*, by: User | None, source: str, ref: str, reason: str) -> int:
    """Remove the results delivered with (`source`, `ref`): an annulled test, a withdrawn grade.

    The GB-5 counterpart of `external_score_record`, called by the testing
    module when an attempt is annulled (proctoring) and by the learning module
    when a grade is withdrawn. Returns how many rows went (0 when none: a
    repeated withdrawal is harmless). A reason is required. Refused for the
    final checkpoint of a course whose exam sheet is closed. Audited with the
    reason; publishes GRADE_CHANGED (value null) with the new totals.
    """
    if not reason.strip():
        raise DomainError(_("Say why the result is withdrawn."))
    scores = list(
        Score.objects.select_for_update()
        .filter(source=source, ref=(ref or "").strip(), lesson__isnull=True)
        .select_related("checkpoint__course", "student")
    )
    for score in scores:
        if _final_is_locked(score.checkpoint):
            raise DomainError(
                _("The exam sheet of this course is closed: its final control no longer changes.")
            )
    for score in scores:
        audit_record(
            action="external_score_withdraw",
            obj=score,
            before=snapshot(score, SCORE_FIELDS),
            reason=reason.strip(),
            actor=by,
        )
        course, student, checkpoint_id = score.checkpoint.course, score.student, score.checkpoint_id
        score.delete()
        _publish_grade(course, student, checkpoint_id, None, None, 0)
    return len(scores)
