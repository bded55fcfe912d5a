"""E-courses, their sections and materials, assignments and submissions (DL-1…DL-4, TC-4, TC-5, SC-2).

An `ECourse` is one teaching stream: the grades courses (`grades.Course`) of
one term and discipline taught by one teacher, whatever groups they are for.
It is made by `ecourses_sync` from those courses, never by hand; its students
are not stored: they are read from the records (the students studying today
in the stream's groups), so a transfer moves a student between e-courses
without anyone touching them.

Content titles are kept in the three interface languages (`title_ky`,
`title_ru`, `title_en`); `title` shows the active one with a fall-back.
Uploaded files live in private storage under random names and are served only
through the app, to those who may read the course.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hub.i18n import LANGUAGE_CODES

SCORE_DIGITS = {"max_digits": 5, "decimal_places": 2}


def private_storage():
    """Files live under VAR_DIR/private/learning, not under MEDIA (which the web server hands
    to anyone): only those who may read the course download them, through the app."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=Path(settings.VAR_DIR) / "private" / "learning")


def random_name(instance, filename: str) -> str:
    """A random stored name keeping the extension; the original name is kept in a field."""
    extension = Path(filename).suffix.lower()[:10]
    return f"{instance.FOLDER}/{uuid.uuid4().hex}{extension}"


class Titled(models.Model):
    """`title` in the active language for a model with title_ky, title_ru and title_en.

    A title missing in that language falls back to Russian, then Kyrgyz, then English.
    """

    title_ky = models.CharField(_("title (Kyrgyz)"), max_length=255, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=255, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        language = (get_language() or "ky").split("-")[0]
        preferred = getattr(self, f"title_{language}", "") if language in LANGUAGE_CODES else ""
        return preferred or self.title_ru or self.title_ky or self.title_en


class ECourse(models.Model):
    """The e-course of one teaching stream: one teacher's courses of a discipline in a term."""

    term = models.ForeignKey(
        "structure.Term", on_delete=models.PROTECT, related_name="ecourses", verbose_name=_("term")
    )
    discipline = models.ForeignKey(
        "curricula.Discipline",
        on_delete=models.PROTECT,
        related_name="ecourses",
        verbose_name=_("discipline"),
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ecourses",
        verbose_name=_("teacher"),
    )
    syllabus = models.TextField(_("syllabus"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-term__starts_on", "discipline__code", "pk"]
        verbose_name = _("e-course")
        verbose_name_plural = _("e-courses")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "discipline", "teacher"], name="learning_ecourse_unique_stream"
            )
        ]

    def __str__(self) -> str:
        return str(self.discipline)

    def stream_courses(self):
        """The grades courses of the stream (one per group)."""
        from academic.grades.models import Course

        return Course.objects.filter(
            term_id=self.term_id, discipline_id=self.discipline_id, teacher_id=self.teacher_id
        )


class Section(Titled):
    """A section (a topic, a week) of an e-course, holding its materials."""

    ecourse = models.ForeignKey(
        ECourse, on_delete=models.CASCADE, related_name="sections", verbose_name=_("e-course")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["ecourse", "order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")


class MaterialKind(models.TextChoices):
    FILE = "file", _("file")
    VIDEO = "video", _("video")
    LINK = "link", _("book or link")
    MEETING = "meeting", _("external meeting")


class Material(Titled):
    """One material of a section: an uploaded file, a video (upload or YouTube), a link
    (a book, a site) or an external meeting (DL-3: a URL and a time)."""

    FOLDER = "materials"

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="materials", verbose_name=_("section")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MaterialKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    file = models.FileField(
        _("file"), upload_to=random_name, storage=private_storage, blank=True, max_length=255
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    url = models.URLField(_("address"), max_length=500, blank=True)
    youtube_id = models.CharField(_("YouTube video"), max_length=16, blank=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["section", "order", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    @property
    def is_pdf(self) -> bool:
        return self.file_name.lower().endswith(".pdf")

    @property
    def is_video_file(self) -> bool:
        return self.kind == MaterialKind.VIDEO and bool(self.file)


class LatePolicy(models.TextChoices):
    REFUSE = "refuse", _("refuse late work")
    MARK = "mark", _("accept, marked late")
    PENALTY = "penalty", _("accept with a penalty")


class Assignment(Titled):
    """Work given to the stream, to some of its groups or to chosen students (TC-5, DL-4).

    No groups and no students: the whole stream. Its score goes to `checkpoint`
    (a checkpoint of one of the stream's courses; a student of another group
    of the stream scores in their own course's checkpoint of the same order).
    """

    ecourse = models.ForeignKey(
        ECourse, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("e-course")
    )
    instructions = models.TextField(_("instructions"), blank=True)
    deadline = models.DateTimeField(_("deadline"))
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    checkpoint = models.ForeignKey(
        "grades.Checkpoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checkpoint"),
    )
    late_policy = models.CharField(
        _("late work"), max_length=16, choices=LatePolicy.choices, default=LatePolicy.REFUSE
    )
    late_penalty = models.PositiveSmallIntegerField(
        _("late penalty, %"), default=0, validators=[MaxValueValidator(100)]
    )
    groups = models.ManyToManyField(
        "structure.Group", blank=True, related_name="+", verbose_name=_("groups")
    )
    students = models.ManyToManyField(
        "records.Student", blank=True, related_name="+", verbose_name=_("students")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given by"),
    )
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        ordering = ["ecourse", "deadline", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")


class AttachedFile(models.Model):
    """A file stored privately under a random name, with the name and size it was uploaded with."""

    FOLDER = ""  # each kind of file keeps to its own folder

    file = models.FileField(
        _("file"), upload_to=random_name, storage=private_storage, max_length=255
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.file_name


class AssignmentFile(AttachedFile):
    """A file attached to an assignment's instructions."""

    FOLDER = "assignments"

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="files", verbose_name=_("assignment")
    )

    class Meta:
        ordering = ["assignment", "pk"]
        verbose_name = _("assignment file")
        verbose_name_plural = _("assignment files")


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for rework")
    CHECKED = "checked", _("checked")


class Submission(models.Model):
    """A student's work on an assignment: one per student, resubmitted in place."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("assignment"),
    )
    student = models.ForeignKey(
        "records.Student",
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("student"),
    )
    text = models.TextField(_("answer"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("submitted"))
    late = models.BooleanField(_("late"), default=False)
    score = models.DecimalField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        **SCORE_DIGITS,
    )
    points = models.DecimalField(_("points in the journal"), null=True, blank=True, **SCORE_DIGITS)
    comment = models.TextField(_("comment"), blank=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )

    class Meta:
        ordering = ["assignment", "pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student"], name="learning_submission_unique_student"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.student}"

    @property
    def journal_ref(self) -> str:
        """The reference of its score in the journal (GB-5)."""
        return f"learning.submission:{self.pk}"


class SubmissionFile(AttachedFile):
    """A file of a submission."""

    FOLDER = "submissions"

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="files", verbose_name=_("submission")
    )

    class Meta:
        ordering = ["submission", "pk"]
        verbose_name = _("submission file")
        verbose_name_plural = _("submission files")


class CourseVisit(models.Model):
    """When a student first and last opened an e-course's page, and how often (DL-6).

    One row per student and e-course, written by one upsert when the page is
    opened, so the analytics can name the students who have never opened it.
    """

    ecourse = models.ForeignKey(
        ECourse, on_delete=models.CASCADE, related_name="visits", verbose_name=_("e-course")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    first_seen = models.DateTimeField(_("first opened"))
    last_seen = models.DateTimeField(_("last opened"))
    visits = models.PositiveIntegerField(_("visits"), default=1)

    class Meta:
        ordering = ["ecourse", "user"]
        verbose_name = _("course visit")
        verbose_name_plural = _("course visits")
        constraints = [
            models.UniqueConstraint(fields=["ecourse", "user"], name="learning_coursevisit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ecourse} — {self.user}"
