"""Forms of the accounts pages: they parse input; the actions decide and write."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from hub.accounts.actions import NewUser, phone_normalize
from hub.accounts.models import Cabinet, GuardianRelation, Language, User


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    cabinet = forms.ChoiceField(
        label=_("Cabinet"), required=False, choices=[("", _("All cabinets")), *Cabinet.choices]
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))],
    )


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Login"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    last_name_latin = forms.CharField(
        label=_("Last name (Latin)"),
        max_length=150,
        required=False,
        help_text=_("Left blank, it is transliterated from the Cyrillic name."),
    )
    first_name_latin = forms.CharField(
        label=_("First name (Latin)"), max_length=150, required=False
    )
    patronymic_latin = forms.CharField(
        label=_("Patronymic (Latin)"), max_length=150, required=False
    )
    cabinet = forms.ChoiceField(label=_("Cabinet"), choices=Cabinet.choices)
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, initial=Language.KYRGYZ
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def clean_phone(self) -> str:
        return phone_normalize(self.cleaned_data["phone"])

    def new_user(self) -> NewUser:
        return NewUser(**self.cleaned_data)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "The first row names the columns: username, last_name, first_name, cabinet "
            "(required), patronymic, last_name_latin, first_name_latin, patronymic_latin, "
            "language, phone, email."
        ),
    )


class ProfileForm(forms.Form):
    """What a user changes about themselves; the Cyrillic name is the official one."""

    FIELDS = (
        "language",
        "phone",
        "email",
        "last_name_latin",
        "first_name_latin",
        "patronymic_latin",
    )

    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    last_name_latin = forms.CharField(label=_("Last name (Latin)"), max_length=150, required=False)
    first_name_latin = forms.CharField(
        label=_("First name (Latin)"), max_length=150, required=False
    )
    patronymic_latin = forms.CharField(
        label=_("Patronymic (Latin)"), max_length=150, required=False
    )

    @classmethod
    def initial_for(cls, user: User) -> dict[str, str]:
        return {name: getattr(user, name) for name in cls.FIELDS}

    def clean_phone(self) -> str:
        return phone_normalize(self.cleaned_data["phone"])


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's form; the view saves through `user_password_change` instead of save()."""


class GuardianshipForm(forms.Form):
    """A child of this parent, by the child's login (AC-8)."""

    child = forms.CharField(label=_("Child's login"), max_length=150)
    relation = forms.ChoiceField(label=_("Relation"), choices=GuardianRelation.choices)

    def clean_child(self) -> User:
        login = self.cleaned_data["child"].strip()
        child = User.objects.filter(username__iexact=login, is_active=True).first()
        if child is None:
            raise forms.ValidationError(_("There is no active account with this login."))
        return child
