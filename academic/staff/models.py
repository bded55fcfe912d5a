"""Staff records (HR-1, HR-2): personnel cards, positions held, staff orders.

Fields, constraints and clean() only; every write goes through actions.py.
Positions are history: a row is never changed except to close it (valid_to),
and only a signed staff order opens or closes one, so the staff on any past
date can be read back (`selectors.positions_on`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from academic.structure.models import Named

RATES = (Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal("1.0"), Decimal("1.5"))
RATE_CHOICES = [(rate, f"{rate.normalize():f}") for rate in RATES]
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")


class Sex(models.TextChoices):
    MALE = "m", _("male")
    FEMALE = "f", _("female")


class AcademicDegree(models.TextChoices):
    NONE = "none", _("no degree")
    CANDIDATE = "candidate", _("candidate of sciences")
    DOCTOR = "doctor", _("doctor of sciences")
    PHD = "phd", _("PhD")


class AcademicTitle(models.TextChoices):
    NONE = "none", _("no title")
    DOCENT = "docent", _("docent")
    PROFESSOR = "professor", _("professor")
    SENIOR_LECTURER = "senior_lecturer", _("senior lecturer")


class Employment(models.TextChoices):
    MAIN = "main", _("main job")
    EXTERNAL = "external", _("external part-time")
    INTERNAL = "internal", _("internal part-time")


class Employee(models.Model):
    """The personnel card of one member of staff (HR-1); the person is a user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="employee",
        verbose_name=_("user"),
    )
    personnel_number = models.CharField(_("personnel number"), max_length=16, unique=True)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    citizenship = models.CharField(_("citizenship"), max_length=64, default="Кыргыз Республикасы")
    id_document = models.CharField(
        _("identity document"), max_length=64, blank=True, help_text=_("e.g. passport ID1234567")
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    soate = models.ForeignKey(
        "structure.SoateUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settlement (SOATE)"),
    )
    street = models.CharField(_("street, house, flat"), max_length=255, blank=True)
    degree = models.CharField(
        _("academic degree"),
        max_length=16,
        choices=AcademicDegree.choices,
        default=AcademicDegree.NONE,
    )
    title = models.CharField(
        _("academic title"),
        max_length=16,
        choices=AcademicTitle.choices,
        default=AcademicTitle.NONE,
    )

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["personnel_number"]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.personnel_number})"

    def clean(self) -> None:
        if self.birth_date and self.birth_date.year < 1900:
            raise ValidationError({"birth_date": _("Enter a real date of birth.")})


class Education(models.Model):
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="education", verbose_name=_("employee")
    )
    institution = models.CharField(_("educational institution"), max_length=255)
    specialty = models.CharField(_("specialty"), max_length=255)
    year = models.PositiveSmallIntegerField(
        _("year of graduation"), validators=[MinValueValidator(1940), MaxValueValidator(2100)]
    )
    diploma = models.CharField(_("diploma number"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("education")
        verbose_name_plural = _("education")
        ordering = ["year", "pk"]

    def __str__(self) -> str:
        return f"{self.institution}, {self.year}"


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("passport")
    DIPLOMA = "diploma", _("diploma")
    DEGREE = "degree", _("degree or title certificate")
    CV = "cv", _("curriculum vitae")
    OTHER = "other", _("other")


class EmployeeDocument(models.Model):
    """A scanned document of the card; served only to who may read the card."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="documents", verbose_name=_("employee")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to="staff/documents/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size, bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name


class PositionTitle(Named):
    """A post from the reference list (rector, dean, docent…), kept by HR."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("position title")
        verbose_name_plural = _("position titles")
        ordering = ["order", "code"]


def _unit_given(prefix: str = "") -> Q:
    """A row names a department or an office (a unit outside the departments), not both."""
    return Q(**{f"{prefix}department__isnull": False, f"{prefix}office": ""}) | Q(
        **{f"{prefix}department__isnull": True}
    ) & ~Q(**{f"{prefix}office": ""})


class Position(models.Model):
    """One post held from valid_from to valid_to (open: still held); never overwritten."""

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="positions", verbose_name=_("employee")
    )
    title = models.ForeignKey(
        PositionTitle, on_delete=models.PROTECT, related_name="+", verbose_name=_("position")
    )
    department = models.ForeignKey(
        "structure.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_positions",
        verbose_name=_("department"),
    )
    office = models.CharField(_("office"), max_length=128, blank=True)
    rate = models.DecimalField(_("staff rate"), max_digits=3, decimal_places=2)
    employment = models.CharField(
        _("employment"), max_length=16, choices=Employment.choices, default=Employment.MAIN
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    opened_by = models.ForeignKey(
        "StaffOrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opened_positions",
        verbose_name=_("opened by order"),
    )
    closed_by = models.ForeignKey(
        "StaffOrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_positions",
        verbose_name=_("closed by order"),
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-valid_from", "-pk"]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="staff_position_dates")]
        constraints = [
            models.CheckConstraint(condition=_unit_given(), name="position_department_or_office"),
            models.CheckConstraint(
                condition=Q(rate__gt=0, rate__lte=Decimal("1.5")), name="position_rate_range"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="position_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.unit_name}"

    @property
    def unit_name(self) -> str:
        return self.department.name if self.department_id else self.office


class Establishment(models.Model):
    """The staff establishment (штатное расписание): rates budgeted per department and post."""

    department = models.ForeignKey(
        "structure.Department",
        on_delete=models.CASCADE,
        related_name="establishment",
        verbose_name=_("department"),
    )
    title = models.ForeignKey(
        PositionTitle, on_delete=models.PROTECT, related_name="+", verbose_name=_("position")
    )
    rates = models.DecimalField(
        _("budgeted rates"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("establishment row")
        verbose_name_plural = _("staff establishment")
        ordering = ["department__code", "title__order"]
        constraints = [
            models.UniqueConstraint(fields=["department", "title"], name="one_establishment_row"),
            models.CheckConstraint(condition=Q(rates__gte=0), name="establishment_rates_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.title}: {self.rates}"


class OrderKind(models.TextChoices):
    HIRING = "hiring", _("hiring")
    TRANSFER = "transfer", _("transfer")
    LEAVE = "leave", _("leave")
    AWARD = "award", _("award")
    DISMISSAL = "dismissal", _("dismissal")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SIGNED = "signed", _("signed")


class StaffOrder(models.Model):
    """An order on staff (HR-2): drafted, then signed; a signed order is never edited."""

    kind = models.CharField(_("kind"), max_length=16, choices=OrderKind.choices)
    number = models.CharField(_("number"), max_length=32, unique=True)
    date = models.DateField(_("date"))
    effective_date = models.DateField(_("effective date"))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
        help_text=_("The head who signs the order (the rector or a vice-rector)."),
    )
    reason = models.TextField(_("grounds"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    signed_at = models.DateTimeField(_("signature recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff order")
        verbose_name_plural = _("staff orders")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"№ {self.number} ({self.get_kind_display()})"

    @property
    def is_signed(self) -> bool:
        return self.status == OrderStatus.SIGNED


class LeaveKind(models.TextChoices):
    ANNUAL = "annual", _("annual paid leave")
    STUDY = "study", _("study leave")
    MATERNITY = "maternity", _("maternity leave")
    UNPAID = "unpaid", _("unpaid leave")


class AwardKind(models.TextChoices):
    GRATITUDE = "gratitude", _("gratitude")
    CERTIFICATE = "certificate", _("certificate of honour")
    BONUS = "bonus", _("bonus")
    BADGE = "badge", _("badge of honour")


class StaffOrderLine(models.Model):
    """One employee's paragraph of an order, with the details its kind needs."""

    order = models.ForeignKey(
        StaffOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("employee")
    )
    # Hiring and transfer: the new post. Transfer and dismissal: the post left.
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current position"),
    )
    title = models.ForeignKey(
        PositionTitle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("position"),
    )
    department = models.ForeignKey(
        "structure.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    office = models.CharField(_("office"), max_length=128, blank=True)
    rate = models.DecimalField(
        _("staff rate"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    employment = models.CharField(
        _("employment"), max_length=16, choices=Employment.choices, blank=True
    )
    leave_kind = models.CharField(_("leave"), max_length=16, choices=LeaveKind.choices, blank=True)
    leave_from = models.DateField(_("leave from"), null=True, blank=True)
    leave_to = models.DateField(_("leave to"), null=True, blank=True)
    award_kind = models.CharField(_("award"), max_length=16, choices=AwardKind.choices, blank=True)
    text = models.TextField(_("text"), blank=True, help_text=_("Wording of the award or reason."))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}: {self.employee}"
