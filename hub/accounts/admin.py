from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from hub.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "cabinet", "language", "is_active")
    list_filter = ("cabinet", "language", "is_active", "is_staff")
    search_fields = ("username", "last_name", "first_name", "last_name_latin", "email", "phone")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("eBilim"),
            {
                "fields": (
                    "patronymic",
                    "last_name_latin",
                    "first_name_latin",
                    "patronymic_latin",
                    "language",
                    "phone",
                    "cabinet",
                    "must_change_password",
                )
            },
        ),
    )
