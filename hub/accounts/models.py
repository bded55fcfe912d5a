"""The user of eBilim: one account per person, whatever their role.

Roles, scopes and rights are data attached to users (the access issue); the
user itself carries only what every module needs to address and name a person.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def get_full_name_latin(self) -> str:
        parts = (self.last_name_latin, self.first_name_latin, self.patronymic_latin)
        return " ".join(p for p in parts if p) or self.get_full_name()

    def get_full_name_for(self, language: str) -> str:
        """The name to print in a document of `language`: Latin in English documents."""
        return self.get_full_name_latin() if language == Language.ENGLISH else self.get_full_name()
