"""Curricula (CU-1…CU-7): reference data, base plans, working plans, individual plans.

Fields, constraints and clean() only; every write goes through actions.py and
the rules that span several rows (hours adding up, credits per semester) live
there and in rules.py.

A base plan (Curriculum) belongs to a specialty, an intake year and a study
form; its lines (CurriculumLine) give a discipline's hours by type and credits,
and per semester (LineSemester) the hours or credits and the control forms. A
working plan (WorkingPlan) is one semester of a base plan in one academic year,
copied from it and then edited. An individual plan (IndividualPlan) holds a
student's choice among the plan's elective blocks.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from academic.structure.models import Named, StudyForm

SEMESTER_MAX = 12
HOURS_PER_CREDIT = 30
CREDITS_PER_SEMESTER = 30


class Cycle(Named):
    """A cycle of the programme (general education, basic, professional…), as data."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["order", "code"]


class Component(models.TextChoices):
    MANDATORY = "mandatory", _("mandatory")
    ELECTIVE = "elective", _("elective")


class ControlForm(models.TextChoices):
    EXAM = "exam", _("exam")
    CREDIT = "credit", _("pass/fail credit")
    DIFFERENTIATED_CREDIT = "diff_credit", _("differentiated credit")
    COURSEWORK = "coursework", _("coursework")


# The forms a semester ends with; coursework comes on top of one of them.
FINAL_CONTROL_FORMS = [
    (form.value, form.label) for form in ControlForm if form != ControlForm.COURSEWORK
]


class StudySystem(models.TextChoices):
    CREDIT = "credit", _("credit system")
    LINEAR = "linear", _("linear (hours) system")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")


class ChoiceRule(models.TextChoices):
    EXACTLY = "exactly", _("exactly")
    AT_MOST = "at_most", _("at most")


class CurriculumSettings(models.Model):
    """The institution's norms for plans; one row, edited by the academic affairs office."""

    institution = models.OneToOneField(
        "structure.Institution",
        on_delete=models.CASCADE,
        related_name="curriculum_settings",
        verbose_name=_("institution"),
    )
    hours_per_credit = models.PositiveSmallIntegerField(
        _("hours per credit"),
        default=HOURS_PER_CREDIT,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    credits_per_semester = models.PositiveSmallIntegerField(
        _("credits per semester"),
        default=CREDITS_PER_SEMESTER,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("The norm; a plan has this many credits times its semesters in all."),
    )
    semester_deviation = models.PositiveSmallIntegerField(
        _("allowed deviation per semester, credits"),
        default=0,
        validators=[MaxValueValidator(30)],
        help_text=_("How far one semester may differ from the norm."),
    )

    class Meta:
        verbose_name = _("curriculum norms")
        verbose_name_plural = _("curriculum norms")

    def __str__(self) -> str:
        return str(_("Curriculum norms"))


class Discipline(Named):
    code = models.CharField(_("code"), max_length=32, unique=True)
    department = models.ForeignKey(
        "structure.Department",
        on_delete=models.PROTECT,
        related_name="disciplines",
        verbose_name=_("responsible department"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["code"]


class Curriculum(models.Model):
    """The base plan of a specialty for one intake year and study form (CU-2)."""

    specialty = models.ForeignKey(
        "structure.Specialty",
        on_delete=models.PROTECT,
        related_name="curricula",
        verbose_name=_("specialty"),
    )
    intake_year = models.PositiveSmallIntegerField(
        _("intake year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    study_form = models.CharField(
        _("study form"), max_length=16, choices=StudyForm.choices, default=StudyForm.FULL_TIME
    )
    system = models.CharField(
        _("system"), max_length=8, choices=StudySystem.choices, default=StudySystem.CREDIT
    )
    status = models.CharField(
        _("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )

    class Meta:
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        ordering = ["specialty__code", "-intake_year", "study_form"]
        constraints = [
            models.UniqueConstraint(
                fields=["specialty", "intake_year", "study_form"], name="one_curriculum_per_intake"
            )
        ]

    def __str__(self) -> str:
        return f"{self.specialty.code} · {self.intake_year} · {self.get_study_form_display()}"

    @property
    def semesters(self) -> int:
        """How many semesters the specialty lasts (two a year, a half year counts one)."""
        return int(self.specialty.duration_years * 2)

    @property
    def is_approved(self) -> bool:
        return self.status == PlanStatus.APPROVED

    @property
    def is_credit(self) -> bool:
        return self.system == StudySystem.CREDIT


class ElectiveBlock(Named):
    """A set of elective lines of which a student chooses `choose` (CU-5)."""

    curriculum = models.ForeignKey(
        Curriculum, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("curriculum")
    )
    choose = models.PositiveSmallIntegerField(
        _("number to choose"), default=1, validators=[MinValueValidator(1)]
    )
    rule = models.CharField(
        _("rule"), max_length=8, choices=ChoiceRule.choices, default=ChoiceRule.EXACTLY
    )

    class Meta:
        verbose_name = _("elective block")
        verbose_name_plural = _("elective blocks")
        ordering = ["curriculum", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(choose__gte=1), name="elective_block_choose_1")
        ]


class Hours(models.Model):
    """Hours of a discipline by type, in a base line or a working plan line."""

    lecture_hours = models.PositiveSmallIntegerField(_("lecture hours"), default=0)
    practice_hours = models.PositiveSmallIntegerField(_("practice hours"), default=0)
    lab_hours = models.PositiveSmallIntegerField(_("lab hours"), default=0)
    independent_hours = models.PositiveSmallIntegerField(_("independent work hours"), default=0)

    class Meta:
        abstract = True

    @property
    def classroom_hours(self) -> int:
        return self.lecture_hours + self.practice_hours + self.lab_hours

    @property
    def hours_by_type_sum(self) -> int:
        return self.classroom_hours + self.independent_hours


class CurriculumLine(Hours):
    """One discipline of a base plan with its hours, credits, checks and semesters."""

    curriculum = models.ForeignKey(
        Curriculum, on_delete=models.CASCADE, related_name="lines", verbose_name=_("curriculum")
    )
    discipline = models.ForeignKey(
        Discipline, on_delete=models.PROTECT, related_name="lines", verbose_name=_("discipline")
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="lines", verbose_name=_("cycle")
    )
    component = models.CharField(
        _("component"), max_length=16, choices=Component.choices, default=Component.MANDATORY
    )
    elective_block = models.ForeignKey(
        ElectiveBlock,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("elective block"),
    )
    department = models.ForeignKey(
        "structure.Department",
        on_delete=models.PROTECT,
        related_name="curriculum_lines",
        verbose_name=_("responsible department"),
    )
    credits = models.PositiveSmallIntegerField(_("credits"), default=0)
    total_hours = models.PositiveSmallIntegerField(_("total hours"))
    checks = models.PositiveSmallIntegerField(
        _("interim checks (modules)"), default=2, validators=[MaxValueValidator(10)]
    )
    weeks = models.PositiveSmallIntegerField(
        _("weeks"), default=15, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )

    class Meta:
        verbose_name = _("curriculum line")
        verbose_name_plural = _("curriculum lines")
        ordering = ["cycle__order", "cycle__code", "component", "discipline__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["curriculum", "discipline"], name="one_line_per_discipline"
            ),
            models.CheckConstraint(
                condition=Q(component=Component.MANDATORY, elective_block__isnull=True)
                | Q(component=Component.ELECTIVE, elective_block__isnull=False),
                name="curriculum_line_elective_in_block",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.curriculum}: {self.discipline}"


class LineSemester(models.Model):
    """How much of a line falls in one semester, and how that semester ends."""

    line = models.ForeignKey(
        CurriculumLine, on_delete=models.CASCADE, related_name="semesters", verbose_name=_("line")
    )
    semester = models.PositiveSmallIntegerField(
        _("semester"), validators=[MinValueValidator(1), MaxValueValidator(SEMESTER_MAX)]
    )
    hours = models.PositiveSmallIntegerField(_("hours"), default=0)
    credits = models.PositiveSmallIntegerField(_("credits"), default=0)
    control_form = models.CharField(
        _("control form"), max_length=16, choices=FINAL_CONTROL_FORMS, blank=True
    )
    has_coursework = models.BooleanField(_("coursework"), default=False)

    class Meta:
        verbose_name = _("semester of a line")
        verbose_name_plural = _("semesters of lines")
        ordering = ["line", "semester"]
        constraints = [
            models.UniqueConstraint(fields=["line", "semester"], name="one_line_semester"),
            models.CheckConstraint(
                condition=Q(semester__gte=1, semester__lte=SEMESTER_MAX),
                name="line_semester_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} / {self.semester}"

    @property
    def control_forms(self) -> list[str]:
        """The control forms of the semester: the final one and coursework, if any."""
        forms = [self.control_form] if self.control_form else []
        return [*forms, ControlForm.COURSEWORK] if self.has_coursework else forms


class WorkingPlan(models.Model):
    """One semester of a base plan as taught in one academic year (CU-4)."""

    curriculum = models.ForeignKey(
        Curriculum,
        on_delete=models.PROTECT,
        related_name="working_plans",
        verbose_name=_("curriculum"),
    )
    academic_year = models.ForeignKey(
        "structure.AcademicYear",
        on_delete=models.PROTECT,
        related_name="working_plans",
        verbose_name=_("academic year"),
    )
    semester = models.PositiveSmallIntegerField(
        _("semester"), validators=[MinValueValidator(1), MaxValueValidator(SEMESTER_MAX)]
    )
    status = models.CharField(
        _("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )

    class Meta:
        verbose_name = _("working plan")
        verbose_name_plural = _("working plans")
        ordering = ["-academic_year__starts_on", "curriculum__specialty__code", "semester"]
        constraints = [
            models.UniqueConstraint(
                fields=["curriculum", "academic_year", "semester"], name="one_working_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.curriculum} · {self.academic_year} · {self.semester}"

    @property
    def term_number(self) -> int:
        """Odd semesters are taught in the first term of the year, even ones in the second."""
        return 1 if self.semester % 2 else 2

    @property
    def course(self) -> int:
        return (self.semester + 1) // 2


class WorkingPlanLine(Hours):
    """A discipline as taught in a working plan's semester."""

    working_plan = models.ForeignKey(
        WorkingPlan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("working plan")
    )
    source = models.ForeignKey(
        CurriculumLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_lines",
        verbose_name=_("base plan line"),
    )
    discipline = models.ForeignKey(
        Discipline,
        on_delete=models.PROTECT,
        related_name="working_lines",
        verbose_name=_("discipline"),
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="working_lines", verbose_name=_("cycle")
    )
    component = models.CharField(
        _("component"), max_length=16, choices=Component.choices, default=Component.MANDATORY
    )
    elective_block = models.ForeignKey(
        ElectiveBlock,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_lines",
        verbose_name=_("elective block"),
    )
    department = models.ForeignKey(
        "structure.Department",
        on_delete=models.PROTECT,
        related_name="working_lines",
        verbose_name=_("responsible department"),
    )
    credits = models.PositiveSmallIntegerField(_("credits"), default=0)
    control_form = models.CharField(
        _("control form"), max_length=16, choices=FINAL_CONTROL_FORMS, blank=True
    )
    has_coursework = models.BooleanField(_("coursework"), default=False)
    checks = models.PositiveSmallIntegerField(
        _("interim checks (modules)"), default=2, validators=[MaxValueValidator(10)]
    )
    weeks = models.PositiveSmallIntegerField(
        _("weeks"), default=15, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )

    class Meta:
        verbose_name = _("working plan line")
        verbose_name_plural = _("working plan lines")
        ordering = ["cycle__order", "cycle__code", "component", "discipline__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_plan", "discipline"], name="one_working_line_per_discipline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.working_plan}: {self.discipline}"

    @property
    def total_hours(self) -> int:
        return self.hours_by_type_sum

    @property
    def control_forms(self) -> list[str]:
        forms = [self.control_form] if self.control_form else []
        return [*forms, ControlForm.COURSEWORK] if self.has_coursework else forms


class IndividualPlan(models.Model):
    """A student's own plan: the base plan they study and their electives (CU-5).

    The student is a user for now; a records app's Student points at the same user.
    """

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="individual_plans",
        verbose_name=_("student"),
    )
    curriculum = models.ForeignKey(
        Curriculum,
        on_delete=models.PROTECT,
        related_name="individual_plans",
        verbose_name=_("curriculum"),
    )
    choices = models.ManyToManyField(
        CurriculumLine, blank=True, related_name="chosen_by", verbose_name=_("chosen electives")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("individual study plan")
        verbose_name_plural = _("individual study plans")
        ordering = ["curriculum", "student"]
        constraints = [
            models.UniqueConstraint(fields=["student", "curriculum"], name="one_individual_plan")
        ]

    def __str__(self) -> str:
        return f"{self.student.get_full_name()} · {self.curriculum}"
