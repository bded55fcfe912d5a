"""What a curator knows of each student of their group (CR-1): one questionnaire per student.

It belongs to the student, not to the group: a student transferred to another
group keeps it, and the new group's curator goes on filling it. Personal and
sensitive data: written by the curator of the student's group, read by the
deanery of its faculty (realtime/questionnaire/permissions.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Living(models.TextChoices):
    DORMITORY = "dormitory", _("in the dormitory")
    PARENTS = "parents", _("with parents")
    RELATIVES = "relatives", _("with relatives")
    RENTED = "rented", _("rented housing")
    OWN = "own", _("own housing")


class Questionnaire(models.Model):
    student = models.OneToOneField(
        "records.Student",
        on_delete=models.CASCADE,
        related_name="questionnaire",
        verbose_name=_("student"),
    )
    living = models.CharField(
        _("living arrangement"), max_length=16, choices=Living.choices, blank=True
    )
    address = models.CharField(_("address during studies"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Social status: each category is a yes/no the curator ticks.
    orphan = models.BooleanField(_("orphan or without parental care"), default=False)
    disability = models.BooleanField(_("disability"), default=False)
    large_family = models.BooleanField(_("from a large family"), default=False)
    low_income = models.BooleanField(_("from a low-income family"), default=False)
    hobbies = models.TextField(_("hobbies and clubs"), max_length=2000, blank=True)
    health_notes = models.TextField(_("health notes"), max_length=2000, blank=True)
    notes = models.TextField(_("curator's notes"), max_length=4000, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("student questionnaire")
        verbose_name_plural = _("student questionnaires")

    def __str__(self) -> str:
        return str(self.student_id)

    @property
    def social_categories(self) -> list[str]:
        """The social-status categories ticked, as their labels."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in SOCIAL_CATEGORIES
            if getattr(self, name)
        ]

    @property
    def completeness(self) -> int:
        """How much of the questionnaire is filled, in percent (the fields of COMPLETENESS)."""
        return completeness_of(self)


SOCIAL_CATEGORIES = ("orphan", "disability", "large_family", "low_income")
# The fields a complete questionnaire has filled (social categories may all be "no").
COMPLETENESS = ("living", "address", "phone", "hobbies", "health_notes")
# Every field the curator fills, in the form's order.
FIELDS = ("living", "address", "phone", *SOCIAL_CATEGORIES, "hobbies", "health_notes", "notes")


def completeness_of(questionnaire: Questionnaire | None) -> int:
    if questionnaire is None:
        return 0
    filled = sum(1 for name in COMPLETENESS if str(getattr(questionnaire, name)).strip())
    return round(100 * filled / len(COMPLETENESS))
