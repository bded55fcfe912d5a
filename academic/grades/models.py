"""Journal, checkpoints, exam sheets, debts and issued documents (GB-1…GB-12).

A `Course` is one discipline of a working plan taught to one group in one
term; everything graded hangs on it. Checkpoints divide its 100 points
(Module 1, Module 2, the final exam); a student's checkpoint total is the sum
of their `Score` rows in it, capped at its maximum: journal cells, results of
computer tests and assignments, the exam score from the sheet. `Attendance`
and journal `Score` cells carry a version so that two people editing one cell
never overwrite each other silently.

An `ExamSheet` lists the students of the course's group for one control
(exam, credit…), following the records; closing it locks its lines, and a
closed line changes only through an approved `SheetChangeRequest` (AC-3).
A failed or missed control becomes a `Debt`, closed by a retake sheet.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from academic.curricula.models import ControlForm
from academic.structure.models import StudyForm

SCORE_DIGITS = {"max_digits": 5, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal(0))]


class GradingSettings(models.Model):
    """An institution's grading rules besides the scale bands."""

    institution = models.OneToOneField(
        "structure.Institution",
        on_delete=models.CASCADE,
        related_name="grading_settings",
        verbose_name=_("institution"),
    )
    admission_minimum = models.PositiveSmallIntegerField(
        _("minimum for exam admission"),
        default=31,
        help_text=_("Points a student needs from the checkpoints before the final one."),
    )
    change_window_days = models.PositiveSmallIntegerField(
        _("days to ask for a change of a closed sheet"), default=30
    )

    class Meta:
        verbose_name = _("grading settings")
        verbose_name_plural = _("grading settings")

    def __str__(self) -> str:
        return str(self.institution)


class ScaleBand(models.Model):
    """One band of an institution's scale: scores low..high give letter, GPA and mark (GB-1)."""

    institution = models.ForeignKey(
        "structure.Institution",
        on_delete=models.CASCADE,
        related_name="scale_bands",
        verbose_name=_("institution"),
    )
    low = models.PositiveSmallIntegerField(_("from"), validators=[MaxValueValidator(100)])
    high = models.PositiveSmallIntegerField(_("to"), validators=[MaxValueValidator(100)])
    letter = models.CharField(_("letter"), max_length=4)
    gpa = models.DecimalField(
        _("GPA points"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(4))],
    )
    mark = models.PositiveSmallIntegerField(
        _("5-point mark"), validators=[MinValueValidator(2), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["institution", "-low"]
        verbose_name = _("scale band")
        verbose_name_plural = _("scale bands")
        constraints = [
            models.UniqueConstraint(fields=["institution", "low"], name="grades_band_unique_low")
        ]

    def __str__(self) -> str:
        return f"{self.low}–{self.high} {self.letter}"


class PeriodKind(models.TextChoices):
    TEACHING = "teaching", _("teaching weeks")
    MODULE = "module", _("module week")
    SESSION = "session", _("examination session")
    RETAKE = "retake", _("retake period")
    HOLIDAY = "holiday", _("holidays")
    PRACTICE = "practice", _("practice")


class CalendarPeriod(models.Model):
    """One period of the academic calendar of a term for one study form (GB-7)."""

    term = models.ForeignKey(
        "structure.Term",
        on_delete=models.CASCADE,
        related_name="calendar_periods",
        verbose_name=_("term"),
    )
    study_form = models.CharField(_("study form"), max_length=16, choices=StudyForm.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=PeriodKind.choices)
    number = models.PositiveSmallIntegerField(
        _("number"), default=0, help_text=_("The module's number for a module week.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["term", "study_form", "starts_on", "pk"]
        verbose_name = _("calendar period")
        verbose_name_plural = _("calendar periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="grades_period_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}–{self.ends_on}"


class Course(models.Model):
    """One discipline of a working plan taught to one group in one term."""

    term = models.ForeignKey(
        "structure.Term", on_delete=models.PROTECT, related_name="courses", verbose_name=_("term")
    )
    group = models.ForeignKey(
        "structure.Group",
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("group"),
    )
    line = models.ForeignKey(
        "curricula.WorkingPlanLine",
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("working plan line"),
    )
    discipline = models.ForeignKey(
        "curricula.Discipline",
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("discipline"),
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="taught_courses",
        verbose_name=_("teacher"),
    )
    credits = models.PositiveSmallIntegerField(_("credits"), default=0)
    admission_minimum = models.PositiveSmallIntegerField(
        _("minimum for exam admission"),
        null=True,
        blank=True,
        help_text=_("Empty: the institution's minimum."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["term", "group", "discipline__code", "pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "group", "line"], name="grades_course_unique_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.discipline} — {self.group}"


class CheckpointKind(models.TextChoices):
    CURRENT = "current", _("module")
    FINAL = "final", _("final control")


class Checkpoint(models.Model):
    """A part of a course's 100 points: a module or the final control (GB-2)."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="checkpoints", verbose_name=_("course")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(
        _("kind"), max_length=16, choices=CheckpointKind.choices, default=CheckpointKind.CURRENT
    )
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    work_kinds = models.CharField(
        _("kinds of work"),
        max_length=255,
        blank=True,
        help_text=_("e.g. attendance, homework, tests, colloquium"),
    )

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        constraints = [
            models.UniqueConstraint(fields=["course", "order"], name="grades_checkpoint_order")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_score})"


class LessonKind(models.TextChoices):
    LECTURE = "lecture", _("lecture")
    PRACTICE = "practice", _("practice")
    LAB = "lab", _("laboratory")


class Lesson(models.Model):
    """One lesson of a course: a column of the journal."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("course")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=LessonKind.choices, default=LessonKind.LECTURE
    )
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    checkpoint = models.ForeignKey(
        Checkpoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("checkpoint"),
        help_text=_("Scores given in this lesson count towards this checkpoint."),
    )
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), default=0, help_text=_("0: attendance only.")
    )

    class Meta:
        ordering = ["course", "date", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class AttendanceMark(models.TextChoices):
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")
    LATE = "late", _("late")
    EXCUSED = "excused", _("excused")


class Attendance(models.Model):
    """A student's attendance at one lesson: one journal cell."""

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("lesson")
    )
    student = models.ForeignKey(
        "records.Student",
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("student"),
    )
    mark = models.CharField(_("attendance"), max_length=8, choices=AttendanceMark.choices)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "student"], name="grades_attendance_cell")
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id}/{self.student_id}: {self.mark}"


class ScoreSource(models.TextChoices):
    JOURNAL = "journal", _("journal")
    SHEET = "sheet", _("exam sheet")
    TEST = "test", _("computer test")
    ASSIGNMENT = "assignment", _("assignment")


class Score(models.Model):
    """Points a student earned towards a checkpoint.

    A journal cell has its `lesson`; results from other modules carry their
    `source` and a `ref` naming the thing they came from ("testing.attempt:17"),
    so a repeated delivery updates the same row and an annulment finds it.
    """

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="scores", verbose_name=_("checkpoint")
    )
    student = models.ForeignKey(
        "records.Student",
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("student"),
    )
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scores",
        verbose_name=_("lesson"),
    )
    source = models.CharField(
        _("source"), max_length=16, choices=ScoreSource.choices, default=ScoreSource.JOURNAL
    )
    ref = models.CharField(_("reference"), max_length=64, blank=True)
    value = models.DecimalField(_("score"), validators=NON_NEGATIVE, **SCORE_DIGITS)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        indexes = [models.Index(fields=["student", "checkpoint"], name="grades_score_student")]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "student"],
                condition=Q(lesson__isnull=False),
                name="grades_score_lesson_cell",
            ),
            models.UniqueConstraint(
                fields=["checkpoint", "student", "source", "ref"],
                condition=Q(lesson__isnull=True),
                name="grades_score_external_ref",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} @ {self.checkpoint_id}: {self.value}"


class SheetKind(models.TextChoices):
    REGULAR = "regular", _("exam sheet")
    RETAKE = "retake", _("retake sheet")


class SheetStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class ExamSheet(models.Model):
    """The sheet of one control of a course (GB-3, GB-4): the students and their results."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sheets", verbose_name=_("course")
    )
    control_form = models.CharField(_("control form"), max_length=16, choices=ControlForm.choices)
    kind = models.CharField(
        _("kind"), max_length=16, choices=SheetKind.choices, default=SheetKind.REGULAR
    )
    attempt = models.PositiveSmallIntegerField(
        _("attempt"), default=1, help_text=_("1 for the session, 2 and on for retakes.")
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.OPEN
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exam_sheets",
        verbose_name=_("examiner"),
    )
    exam_date = models.DateField(_("date of the control"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["course", "control_form", "attempt"]
        verbose_name = _("exam sheet")
        verbose_name_plural = _("exam sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "control_form", "attempt"], name="grades_sheet_unique_attempt"
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"

    @property
    def is_closed(self) -> bool:
        return self.status == SheetStatus.CLOSED


class SheetLine(models.Model):
    """One student on a sheet: admission, the final-control score and the resulting grade.

    `left_on` is set when the student left the group (transfer, expulsion,
    leave) while the sheet was open: from that date they are not on it. The
    grade fields are computed from the scale when the line is saved.
    """

    sheet = models.ForeignKey(
        ExamSheet, on_delete=models.CASCADE, related_name="lines", verbose_name=_("sheet")
    )
    student = models.ForeignKey(
        "records.Student",
        on_delete=models.PROTECT,
        related_name="sheet_lines",
        verbose_name=_("student"),
    )
    joined_on = models.DateField(_("on the sheet from"))
    left_on = models.DateField(_("off the sheet from"), null=True, blank=True)
    admitted = models.BooleanField(_("admitted"), default=True)
    admission_note = models.CharField(_("why not admitted"), max_length=255, blank=True)
    current_score = models.DecimalField(
        _("checkpoints before the final"), null=True, blank=True, **SCORE_DIGITS
    )
    final_score = models.DecimalField(
        _("final control"), null=True, blank=True, validators=NON_NEGATIVE, **SCORE_DIGITS
    )
    absent = models.BooleanField(_("did not appear"), default=False)
    total = models.DecimalField(_("total"), null=True, blank=True, **SCORE_DIGITS)
    letter = models.CharField(_("letter"), max_length=4, blank=True)
    gpa = models.DecimalField(
        _("GPA points"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    mark = models.PositiveSmallIntegerField(_("mark"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sheet", "student__user__last_name", "student__user__first_name", "pk"]
        verbose_name = _("sheet line")
        verbose_name_plural = _("sheet lines")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "student"], name="grades_sheet_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id}/{self.student_id}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("awaiting decision")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class SheetChangeRequest(models.Model):
    """A request to change a line of a closed sheet; the vice-rector decides (AC-3)."""

    line = models.ForeignKey(
        SheetLine,
        on_delete=models.CASCADE,
        related_name="change_requests",
        verbose_name=_("sheet line"),
    )
    old_final_score = models.DecimalField(_("score before"), null=True, blank=True, **SCORE_DIGITS)
    old_absent = models.BooleanField(_("absent before"), default=False)
    new_final_score = models.DecimalField(
        _("new score"), null=True, blank=True, validators=NON_NEGATIVE, **SCORE_DIGITS
    )
    new_absent = models.BooleanField(_("did not appear"), default=False)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["line"],
                condition=Q(status="pending"),
                name="grades_one_pending_request_per_line",
            )
        ]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.old_final_score} → {self.new_final_score}"


class DebtKind(models.TextChoices):
    FAILED = "failed", _("failed")
    MISSED = "missed", _("did not appear")
    NOT_ADMITTED = "not_admitted", _("not admitted")


class DebtStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("cleared")


class Debt(models.Model):
    """An academic debt: a control failed, missed or not admitted to (GB-9)."""

    student = models.ForeignKey(
        "records.Student", on_delete=models.CASCADE, related_name="debts", verbose_name=_("student")
    )
    line = models.OneToOneField(
        SheetLine, on_delete=models.CASCADE, related_name="debt", verbose_name=_("sheet line")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DebtKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=DebtStatus.choices, default=DebtStatus.OPEN
    )
    cleared_by = models.ForeignKey(
        SheetLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cleared_debts",
        verbose_name=_("cleared by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)

    class Meta:
        ordering = ["status", "-created_at", "pk"]
        verbose_name = _("academic debt")
        verbose_name_plural = _("academic debts")

    def __str__(self) -> str:
        return f"{self.student_id}: {self.line_id} ({self.status})"


class AcademicDifference(models.Model):
    """A discipline a transferred student must still pass (GB-9)."""

    student = models.ForeignKey(
        "records.Student",
        on_delete=models.CASCADE,
        related_name="academic_differences",
        verbose_name=_("student"),
    )
    discipline = models.ForeignKey(
        "curricula.Discipline",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("discipline"),
    )
    semester = models.PositiveSmallIntegerField(_("semester"))
    credits = models.PositiveSmallIntegerField(_("credits"), default=0)
    control_form = models.CharField(_("control form"), max_length=16, choices=ControlForm.choices)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DebtStatus.choices, default=DebtStatus.OPEN
    )
    score = models.DecimalField(
        _("score"), null=True, blank=True, validators=NON_NEGATIVE, **SCORE_DIGITS
    )
    letter = models.CharField(_("letter"), max_length=4, blank=True)
    gpa = models.DecimalField(
        _("GPA points"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    mark = models.PositiveSmallIntegerField(_("mark"), null=True, blank=True)
    cleared_on = models.DateField(_("passed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["student", "semester", "pk"]
        verbose_name = _("academic difference")
        verbose_name_plural = _("academic differences")

    def __str__(self) -> str:
        return f"{self.student_id}: {self.discipline_id} ({self.status})"


class DocumentKind(models.TextChoices):
    STUDY_CERTIFICATE = "study", _("certificate of study")
    MILITARY_CERTIFICATE = "military", _("certificate for the military commissariat")
    PERSONAL_CARD = "personal_card", _("personal card")
    STUDY_CARD = "study_card", _("study card")
    GROUP_LIST = "group_list", _("group list")
    EXAM_SHEET = "exam_sheet", _("exam sheet")
    CREDIT_SHEET = "credit_sheet", _("pass/fail sheet")
    RECORD_BOOK = "record_book", _("record book")
    TRANSCRIPT = "transcript", _("transcript")
    DIPLOMA_SUPPLEMENT = "supplement", _("diploma supplement")


class IssuedDocument(models.Model):
    """A document generated by the system, checkable by its code on a public page (GB-12)."""

    code = models.CharField(_("verification code"), max_length=16, unique=True)
    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    language = models.CharField(_("language"), max_length=2)
    title = models.CharField(_("title"), max_length=255)
    subject = models.CharField(
        _("issued for"),
        max_length=255,
        help_text=_("The student or the sheet the document is for."),
    )
    student = models.ForeignKey(
        "records.Student",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issued_documents",
        verbose_name=_("student"),
    )
    digest = models.CharField(_("content digest"), max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"
