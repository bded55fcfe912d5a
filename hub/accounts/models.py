"""The user of eBilim: one account per person, whatever their role.

Roles, scopes and rights are data attached to users (the access issue); the
user itself carries only what every module needs to address and name a person.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.i18n import TrilingualName


class Language(models.TextChoices):
    KYRGYZ = "ky", _("Kyrgyz")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


class Cabinet(models.TextChoices):
    """Which home page opens after login. Rights come from role assignments."""

    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    CURATOR = "curator", _("Curator")
    PARENT = "parent", _("Parent")
    APPLICANT = "applicant", _("Applicant")
    STAFF = "staff", _("Staff")
    ADMIN = "admin", _("Administrator")


def full_name(last: str, first: str, patronymic: str) -> str:
    """A person's name as official lists print it: last, first, patronymic, the empty ones left out."""
    return " ".join(p for p in (last, first, patronymic) if p)


class User(AbstractUser):
    # Names are stored in Cyrillic (first_name, last_name from AbstractUser)
    # with a Latin transliteration for English documents.
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    last_name_latin = models.CharField(_("last name (Latin)"), max_length=150, blank=True)
    first_name_latin = models.CharField(_("first name (Latin)"), max_length=150, blank=True)
    patronymic_latin = models.CharField(_("patronymic (Latin)"), max_length=150, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.KYRGYZ
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    cabinet = models.CharField(
        _("cabinet"), max_length=16, choices=Cabinet.choices, default=Cabinet.STUDENT
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Last, first and patronymic name in Cyrillic, as official lists print them."""
        return full_name(self.last_name, self.first_name, self.patronymic)

    def get_full_name_latin(self) -> str:
        parts = (self.last_name_latin, self.first_name_latin, self.patronymic_latin)
        return " ".join(p for p in parts if p) or self.get_full_name()

    def get_full_name_for(self, language: str) -> str:
        """The name to print in a document of `language`: Latin in English documents."""
        return self.get_full_name_latin() if language == Language.ENGLISH else self.get_full_name()


# --- Roles, rights and scopes (AC-1, AC-2, AC-7) -----------------------------
#
# Rights are data the administrator edits: a Role grants a Level on some
# Modules; a RoleAssignment gives a role to a user within a Scope. The only
# reader of these tables is hub.accounts.access.


class Module(models.TextChoices):
    """The modules rights are granted on (module codes of SPEC.md)."""

    ACCOUNTS = "accounts", _("Accounts and roles")
    AUDIT = "audit", _("Audit log")
    STRUCTURE = "structure", _("University structure")
    CURRICULA = "curricula", _("Curricula")
    RECORDS = "records", _("Student records")
    STAFF = "staff", _("Staff records")
    GRADES = "grades", _("Journal and grades")
    WORKLOAD = "workload", _("Teaching workload")
    TIMETABLE = "timetable", _("Timetable")
    CASHIER = "cashier", _("Cashier")
    ADMISSIONS = "admissions", _("Admissions")
    SERVICES = "services", _("Single window")
    LIBRARY = "library", _("Library")
    LEARNING = "learning", _("Distance learning")
    TESTING = "testing", _("Testing")
    PROCTORING = "proctoring", _("Proctoring")
    ANNOUNCEMENTS = "announcements", _("Announcements")


class Level(models.IntegerChoices):
    """How much a right allows; a higher level includes every lower one."""

    VIEW = 1, _("view")
    EDIT = 2, _("edit")
    APPROVE = 3, _("approve")


class ScopeKind(models.TextChoices):
    """Where an assignment applies.

    faculty, department, college and group ids will point at the models of
    academic.structure once it exists; until then they are plain integers and
    that app registers how they nest (access.register_scope_resolver).
    `own` means the user's own data: a student's record, a teacher's courses.
    """

    INSTITUTION = "institution", _("whole institution")
    FACULTY = "faculty", _("faculty")
    DEPARTMENT = "department", _("department")
    COLLEGE = "college", _("college")
    GROUP = "group", _("group")
    OWN = "own", _("own data")


# Scope kinds that name no particular unit, so their assignments carry no id.
UNIT_FREE_SCOPE_KINDS = (ScopeKind.INSTITUTION, ScopeKind.OWN)


class RoleKind(models.TextChoices):
    """AC-1: full-rights users enter data; simple users only read what concerns them."""

    FULL = "full", _("full-rights user")
    SIMPLE = "simple", _("simple user")


class Role(TrilingualName, models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_ky = models.CharField(_("name (Kyrgyz)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind of user"), max_length=8, choices=RoleKind.choices, default=RoleKind.FULL
    )
    default_scope_kind = models.CharField(
        _("usual scope"),
        max_length=16,
        choices=ScopeKind.choices,
        default=ScopeKind.INSTITUTION,
        help_text=_("The scope offered first when the role is assigned."),
    )
    # Shipped with eBilim (the regulation's roles): rights may be edited,
    # the role itself cannot be deleted.
    is_system = models.BooleanField(_("shipped with the system"), default=False, editable=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class RoleRight(models.Model):
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="rights", verbose_name=_("role")
    )
    module = models.CharField(_("module"), max_length=32, choices=Module.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)

    class Meta:
        verbose_name = _("right of a role")
        verbose_name_plural = _("rights of roles")
        ordering = ["role", "module"]
        constraints = [
            models.UniqueConstraint(fields=["role", "module"], name="role_right_unique_module"),
            models.CheckConstraint(
                condition=models.Q(level__in=Level.values), name="role_right_level_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.get_module_display()} ({self.get_level_display()})"


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.ForeignKey(
        Role, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("role")
    )
    scope_kind = models.CharField(_("scope"), max_length=16, choices=ScopeKind.choices)
    # The faculty, department, college or group id (academic.structure);
    # empty for the whole institution and for own data.
    scope_id = models.PositiveIntegerField(_("scope unit"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role", "scope_kind", "scope_id"]
        constraints = [
            # Two constraints because NULL ids never collide in a plain UNIQUE.
            models.UniqueConstraint(
                fields=["user", "role", "scope_kind", "scope_id"],
                condition=models.Q(scope_id__isnull=False),
                name="role_assignment_unique_in_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "scope_kind"],
                condition=models.Q(scope_id__isnull=True),
                name="role_assignment_unique_unit_free",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(scope_kind__in=UNIT_FREE_SCOPE_KINDS, scope_id__isnull=True)
                    | (
                        ~models.Q(scope_kind__in=UNIT_FREE_SCOPE_KINDS)
                        & models.Q(scope_id__isnull=False)
                    )
                ),
                name="role_assignment_scope_id_matches_kind",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(valid_from__isnull=True)
                    | models.Q(valid_to__isnull=True)
                    | models.Q(valid_to__gte=models.F("valid_from"))
                ),
                name="role_assignment_valid_period",
            ),
        ]

    def __str__(self) -> str:
        where = self.get_scope_kind_display()
        if self.scope_id is not None:
            where = f"{where} {self.scope_id}"
        return f"{self.user}: {self.role} ({where})"


class DataKind(models.TextChoices):
    """Kinds of institutional data, each written by one owning office (AC-2)."""

    STUDENT_MOVEMENTS = "students.movements", _("students' legal movements")
    PAYMENTS = "payments", _("tuition payments")
    CURRICULA = "curricula", _("base and working curricula")
    WORKLOAD = "workload", _("teaching workload")
    WORKLOAD_PART_TIME = "workload.part_time", _("teaching workload of part-time study")
    STAFF_MOVEMENTS = "staff.movements", _("staff legal movements")
    GRADES = "grades", _("grades")
    ACADEMIC_DEBTS = "academic_debts", _("academic debts and differences")
    TEACHING_DOCUMENTS = "teaching_documents", _("teaching documents for the portal")
    TRANSCRIPTS = "transcripts", _("transcripts")
    WORKLOAD_FULFILMENT = "workload.fulfilment", _("workload fulfilment")


class DataOwnership(models.Model):
    """Which role alone writes a kind of data; the administrator may move it."""

    data_kind = models.CharField(_("data"), max_length=64, choices=DataKind.choices, unique=True)
    owner = models.ForeignKey(
        Role, on_delete=models.PROTECT, related_name="owned_data", verbose_name=_("owning role")
    )

    class Meta:
        verbose_name = _("data ownership")
        verbose_name_plural = _("data ownership")
        ordering = ["data_kind"]

    def __str__(self) -> str:
        return f"{self.get_data_kind_display()}: {self.owner}"


class GuardianRelation(models.TextChoices):
    MOTHER = "mother", _("mother")
    FATHER = "father", _("father")
    GUARDIAN = "guardian", _("guardian")
    OTHER = "other", _("other relative")


class Guardianship(models.Model):
    """A parent's read-only access to their child's data (AC-8).

    Links users for now; the records app will tie the child to its student card.
    """

    parent = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="wards", verbose_name=_("parent")
    )
    child = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("child")
    )
    relation = models.CharField(
        _("relation"),
        max_length=16,
        choices=GuardianRelation.choices,
        default=GuardianRelation.GUARDIAN,
    )

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        ordering = ["parent", "child"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="guardianship_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("child")), name="guardianship_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent} → {self.child}"
