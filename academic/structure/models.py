"""The university's structure (SR-1, SR-8): units, specialties, years, groups, rooms.

Fields, constraints and clean() only; every write goes through actions.py.
Faculty, department, college and group ids are the unit ids of access scopes
(hub.accounts.access.Scope); scopes.py tells the access layer how they nest.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hub.i18n import TrilingualName

COURSE_MIN, COURSE_MAX = 1, 6


class Named(TrilingualName, models.Model):
    """A name in the three languages of the interface (X-2)."""

    name_ky = models.CharField(_("name (Kyrgyz)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Institution(Named):
    """The university itself; there is one row."""

    short_name = models.CharField(_("short name"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")


class Faculty(Named):
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="faculties",
        verbose_name=_("institution"),
    )
    code = models.CharField(_("code"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("faculty")
        verbose_name_plural = _("faculties")
        ordering = ["code"]


class College(Named):
    """A unit of secondary vocational education inside the university."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="colleges",
        verbose_name=_("institution"),
    )
    code = models.CharField(_("code"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("college")
        verbose_name_plural = _("colleges")
        ordering = ["code"]


class Department(Named):
    """A chair (кафедра) of a faculty or of a college, never both."""

    faculty = models.ForeignKey(
        Faculty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("faculty"),
    )
    college = models.ForeignKey(
        College,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("college"),
    )
    code = models.CharField(_("code"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(faculty__isnull=False, college__isnull=True)
                | Q(faculty__isnull=True, college__isnull=False),
                name="department_in_faculty_or_college",
            )
        ]

    @property
    def unit(self) -> Faculty | College | None:
        """The faculty or college the department belongs to."""
        return self.faculty or self.college

    def clean(self) -> None:
        if (self.faculty_id is None) == (self.college_id is None):
            raise ValidationError(_("A department belongs to a faculty or to a college, not both."))


class DegreeLevel(models.TextChoices):
    BACHELOR = "bachelor", _("bachelor")
    MASTER = "master", _("master")
    SPECIALIST = "specialist", _("specialist")
    SECONDARY_VOCATIONAL = "secondary", _("secondary vocational")


class StudyForm(models.TextChoices):
    FULL_TIME = "full_time", _("full-time")
    PART_TIME = "part_time", _("part-time")
    DISTANCE = "distance", _("distance")
    EVENING = "evening", _("evening")


class InstructionLanguage(models.TextChoices):
    KYRGYZ = "ky", _("Kyrgyz")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    OTHER = "other", _("other")


class Specialty(Named):
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="specialties",
        verbose_name=_("department"),
    )
    code = models.CharField(_("code"), max_length=16, unique=True, help_text=_("e.g. 580100"))
    degree_level = models.CharField(
        _("degree level"), max_length=16, choices=DegreeLevel.choices, default=DegreeLevel.BACHELOR
    )
    duration_years = models.DecimalField(
        _("duration, years"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(COURSE_MAX)],
    )

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_years__gte=1, duration_years__lte=COURSE_MAX),
                name="specialty_duration_range",
            )
        ]


class AcademicYear(models.Model):
    name = models.CharField(_("name"), max_length=16, unique=True, help_text=_("e.g. 2026–2027"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_academic_year",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="academic_year_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError(_("The academic year must end after it starts."))


class Term(models.Model):
    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.CASCADE,
        related_name="terms",
        verbose_name=_("academic year"),
    )
    number = models.PositiveSmallIntegerField(_("number"), choices=[(1, "1"), (2, "2")])
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["academic_year__starts_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "number"], name="one_term_per_number"),
            models.CheckConstraint(condition=Q(number__in=[1, 2]), name="term_number_1_or_2"),
        ]

    def __str__(self) -> str:
        return f"{self.academic_year} / {self.number}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError(_("The term must end after it starts."))


class Group(models.Model):
    """An academic group; deactivated, never deleted, so its history stays readable."""

    name = models.CharField(_("name"), max_length=32, unique=True, help_text=_("e.g. ПИ-1-24"))
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="groups", verbose_name=_("specialty")
    )
    intake_year = models.PositiveSmallIntegerField(
        _("intake year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    course = models.PositiveSmallIntegerField(_("course"))
    study_form = models.CharField(
        _("study form"), max_length=16, choices=StudyForm.choices, default=StudyForm.FULL_TIME
    )
    language = models.CharField(
        _("language of instruction"),
        max_length=8,
        choices=InstructionLanguage.choices,
        default=InstructionLanguage.KYRGYZ,
    )
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="curated_groups",
        verbose_name=_("curator"),
    )
    starosta = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_groups",
        verbose_name=_("group head (starosta)"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(course__gte=COURSE_MIN, course__lte=COURSE_MAX),
                name="group_course_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.course is not None and not COURSE_MIN <= self.course <= COURSE_MAX:
            raise ValidationError(
                {
                    "course": _("The course must be between %(min)d and %(max)d.")
                    % {"min": COURSE_MIN, "max": COURSE_MAX}
                }
            )


class Subgroup(models.Model):
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="subgroups", verbose_name=_("group")
    )
    name = models.CharField(_("name"), max_length=32)

    class Meta:
        verbose_name = _("subgroup")
        verbose_name_plural = _("subgroups")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="unique_subgroup")]

    def __str__(self) -> str:
        return f"{self.group} / {self.name}"


class GroupCuratorship(models.Model):
    """Who curated a group and when (SR-8); the open row is the current curator."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="curatorships", verbose_name=_("group")
    )
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="curatorships",
        verbose_name=_("curator"),
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("curatorship")
        verbose_name_plural = _("curatorships")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=Q(valid_to__isnull=True), name="one_open_curatorship"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.curator}"


class RoomType(models.TextChoices):
    LECTURE_HALL = "lecture", _("lecture hall")
    LAB = "lab", _("laboratory")
    COMPUTER_CLASS = "computer", _("computer class")
    GYM = "gym", _("gym")
    SEMINAR = "seminar", _("seminar room")


class Room(models.Model):
    building = models.CharField(_("building"), max_length=64)
    number = models.CharField(_("number"), max_length=16)
    capacity = models.PositiveIntegerField(_("capacity"))
    type = models.CharField(
        _("type"), max_length=16, choices=RoomType.choices, default=RoomType.SEMINAR
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unique_room"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.building}, {self.number}"

    def clean(self) -> None:
        if self.capacity is not None and self.capacity <= 0:
            raise ValidationError({"capacity": _("A room must seat at least one person.")})


class SoateLevel(models.TextChoices):
    """Levels of the SOATE classifier (the state classifier of territorial units)."""

    REGION = "region", _("region")
    DISTRICT = "district", _("district")
    CITY = "city", _("city")
    SETTLEMENT = "settlement", _("settlement")


class SoateUnit(Named):
    """One unit of the SOATE classifier of the Kyrgyz Republic (X-3), with its official code.

    Regions (and the cities of republican significance) have no parent;
    districts lie in a region; settlements and towns in a district or a city.
    Every address field points at one unit and adds the street as text.
    """

    code = models.CharField(_("SOATE code"), max_length=14, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=SoateLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )

    class Meta:
        verbose_name = _("SOATE unit")
        verbose_name_plural = _("SOATE units")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name_ru"], name="soate_parent_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
