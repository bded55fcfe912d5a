"""Student records (SR-2, SR-3, SR-5): personal files, orders and the history they write.

History is never overwritten. A student's situation (studying in a group,
on academic leave, expelled, graduated) is a chain of `StudentState` periods,
each written by the signed order line that began it; the state on any date is
the period covering it. A group's course is a chain of `GroupCourse` periods
likewise. Orders change nothing until they are signed (actions.order_sign).

Fields, constraints and clean() only; every write goes through actions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hub.accounts.models import GuardianRelation

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DOCUMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
PHOTO_EXTENSIONS = ["jpg", "jpeg", "png"]


def validate_upload_size(upload) -> None:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}
        )


class Sex(models.TextChoices):
    FEMALE = "f", _("female")
    MALE = "m", _("male")


class Funding(models.TextChoices):
    BUDGET = "budget", _("state budget")
    CONTRACT = "contract", _("contract")


class Status(models.TextChoices):
    STUDYING = "studying", _("studying")
    ACADEMIC_LEAVE = "leave", _("on academic leave")
    EXPELLED = "expelled", _("expelled")
    GRADUATED = "graduated", _("graduated")


class IdentityDocument(models.TextChoices):
    ID_CARD = "id_card", _("ID card")
    PASSPORT = "passport", _("passport")
    FOREIGN_PASSPORT = "foreign", _("foreign passport")
    BIRTH_CERTIFICATE = "birth", _("birth certificate")


class Student(models.Model):
    """The electronic personal file of one student (SR-5).

    Names, login, e-mail and phone live on the user; where the student studies
    lives in StudentState. A student without states is admitted by no order yet.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="student",
        verbose_name=_("user"),
    )
    record_number = models.CharField(
        _("record book number"), max_length=32, unique=True, help_text=_("e.g. 24-0153")
    )
    pin = models.CharField(
        _("personal number (PIN)"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", _("A PIN has 14 digits."))],
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    citizenship = models.CharField(_("citizenship"), max_length=64, default="Кыргызская Республика")
    nationality = models.CharField(_("nationality"), max_length=64, blank=True)
    document_kind = models.CharField(
        _("identity document"),
        max_length=16,
        choices=IdentityDocument.choices,
        default=IdentityDocument.ID_CARD,
    )
    document_number = models.CharField(_("document number"), max_length=32, blank=True)
    document_issued_by = models.CharField(_("issued by"), max_length=128, blank=True)
    document_issued_on = models.DateField(_("issued on"), null=True, blank=True)
    address_unit = models.ForeignKey(
        "structure.SoateUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("address (SOATE)"),
    )
    address_street = models.CharField(_("street, house, flat"), max_length=255, blank=True)
    prior_school = models.CharField(_("prior education: institution"), max_length=255, blank=True)
    prior_year = models.PositiveSmallIntegerField(_("prior education: year"), null=True, blank=True)
    prior_document = models.CharField(_("prior education: document"), max_length=64, blank=True)
    photo = models.FileField(
        _("photo"),
        upload_to="records/photos/",
        blank=True,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS), validate_upload_size],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Names (Cyrillic and Latin) and the record book number in lower case: SQLite
    # folds only ASCII letters in LIKE, so "асанов" would not find "Асанов".
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["user__last_name", "user__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pin"], condition=~Q(pin=""), name="student_unique_pin")
        ]
        indexes = [models.Index(fields=["birth_date"], name="student_birth_date")]

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} ({self.record_number})"

    def refresh_search_text(self) -> None:
        """Recompute search_text from the user's names and the record book number."""
        self.search_text = search_text_for(self.user, self.record_number)


def search_text_for(user, record_number: str) -> str:
    """What a search by name or number looks in: every name form, lower-cased."""
    parts = (
        user.last_name,
        user.first_name,
        user.patronymic,
        user.last_name_latin,
        user.first_name_latin,
        user.patronymic_latin,
        record_number,
    )
    return " ".join(p for p in parts if p).lower()


class StudentDocument(models.Model):
    """A scanned document of the personal file: certificate, passport copy, medical form…"""

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="documents", verbose_name=_("student")
    )
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(
        _("file"),
        upload_to="records/documents/",
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_upload_size],
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title


class StudentContact(models.Model):
    """A parent or guardian in the personal file (with or without an account of their own)."""

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("student")
    )
    relation = models.CharField(_("relation"), max_length=16, choices=GuardianRelation.choices)
    full_name = models.CharField(_("full name"), max_length=255)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("parent or guardian")
        verbose_name_plural = _("parents and guardians")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name


# --- Orders ---------------------------------------------------------------------------


class OrderKind(models.TextChoices):
    ADMISSION = "admission", _("admission")
    NEXT_COURSE = "next_course", _("transfer to the next course")
    TRANSFER = "transfer", _("transfer")
    EXPULSION = "expulsion", _("expulsion")
    REINSTATEMENT = "reinstatement", _("reinstatement")
    ACADEMIC_LEAVE = "leave", _("academic leave")
    RETURN_FROM_LEAVE = "return", _("return from academic leave")
    GRADUATION = "graduation", _("graduation")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SIGNED = "signed", _("signed")


class ExpulsionReason(models.TextChoices):
    OWN_WISH = "own_wish", _("at own request")
    ACADEMIC_FAILURE = "failure", _("academic failure")
    NON_PAYMENT = "non_payment", _("non-payment of tuition")
    RULES = "rules", _("violation of the rules")
    TRANSFER_OUT = "transfer_out", _("transfer to another institution")
    OTHER = "other", _("other")


class Order(models.Model):
    """An order on students (SR-3): drafted, then signed; only a signed order changes records."""

    kind = models.CharField(_("kind"), max_length=16, choices=OrderKind.choices)
    number = models.CharField(_("number"), max_length=32)
    date = models.DateField(_("date"))
    effective_date = models.DateField(_("effective date"))
    reason = models.TextField(_("grounds"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    signer = models.CharField(_("signed by"), max_length=255, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed in the system by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number", "date"], name="order_unique_number_date")
        ]

    def __str__(self) -> str:
        return _("Order No. %(number)s of %(date)s") % {
            "number": self.number,
            "date": self.date.strftime("%d.%m.%Y"),
        }

    @property
    def is_signed(self) -> bool:
        return self.status == OrderStatus.SIGNED


class OrderLine(models.Model):
    """One student of an order (one group, for a transfer to the next course)."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    student = models.ForeignKey(
        Student,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("student"),
    )
    group = models.ForeignKey(
        "structure.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("group"),
        help_text=_(
            "The new group (admission, transfer, reinstatement, return) or the group moved to the next course."
        ),
    )
    funding = models.CharField(_("funding"), max_length=16, choices=Funding.choices, blank=True)
    expulsion_reason = models.CharField(
        _("reason of expulsion"), max_length=16, choices=ExpulsionReason.choices, blank=True
    )
    leave_until = models.DateField(_("leave until"), null=True, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "student"],
                condition=Q(student__isnull=False),
                name="order_line_one_per_student",
            ),
            models.UniqueConstraint(
                fields=["order", "group"],
                condition=Q(student__isnull=True),
                name="order_line_one_per_group",
            ),
            models.CheckConstraint(
                condition=Q(student__isnull=False) | Q(group__isnull=False),
                name="order_line_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return str(self.student or self.group)


# --- History ---------------------------------------------------------------------------


class StudentState(models.Model):
    """One period of a student's situation: [valid_from, valid_to), valid_to None = still.

    `group` is the group of the period (for expelled and graduated students the
    last one, which says where they left from). Periods of a student never
    overlap and the latest is open.
    """

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="states", verbose_name=_("student")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    group = models.ForeignKey(
        "structure.Group",
        on_delete=models.PROTECT,
        related_name="student_states",
        verbose_name=_("group"),
    )
    funding = models.CharField(_("funding"), max_length=16, choices=Funding.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    order_line = models.ForeignKey(
        OrderLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="states",
        verbose_name=_("order line"),
        help_text=_("Empty for students brought in by an import of the existing contingent."),
    )

    class Meta:
        verbose_name = _("student state")
        verbose_name_plural = _("student states")
        ordering = ["student", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student"], condition=Q(valid_to__isnull=True), name="one_open_state"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="state_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "status", "valid_from"], name="state_group_status"),
            models.Index(fields=["valid_from", "valid_to"], name="state_period"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id}: {self.status} {self.group_id} {self.valid_from}–{self.valid_to}"


class GroupCourse(models.Model):
    """One period of a group's course; transfers to the next course add the next one."""

    group = models.ForeignKey(
        "structure.Group",
        on_delete=models.CASCADE,
        related_name="course_periods",
        verbose_name=_("group"),
    )
    course = models.PositiveSmallIntegerField(_("course"))
    valid_from = models.DateField(_("from"))
    order_line = models.ForeignKey(
        OrderLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order line"),
    )

    class Meta:
        verbose_name = _("course of a group")
        verbose_name_plural = _("courses of groups")
        ordering = ["group", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["group", "valid_from"], name="one_course_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.course} from {self.valid_from}"


class StarostaTerm(models.Model):
    """Who headed a group (starosta) and when (SR-8); the open row is the current one."""

    group = models.ForeignKey(
        "structure.Group",
        on_delete=models.CASCADE,
        related_name="starosta_terms",
        verbose_name=_("group"),
    )
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="starosta_terms", verbose_name=_("student")
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("starosta term")
        verbose_name_plural = _("starosta terms")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=Q(valid_to__isnull=True), name="one_open_starosta_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.student_id}"
