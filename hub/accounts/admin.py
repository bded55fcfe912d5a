from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hub.accounts.models import (
    DataOwnership,
    Guardianship,
    Role,
    RoleAssignment,
    RoleRight,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "cabinet", "language", "is_active")
    list_filter = ("cabinet", "language", "is_active", "is_staff")
    search_fields = ("username", "last_name", "first_name", "last_name_latin", "email", "phone")

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: their grades, orders and
        # audit entries keep naming them (accounts pages, user_deactivate).
        return False

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


READ_ONLY_NOTE = _(
    "Read only: roles, rights, role assignments, data ownership and guardianships are "
    "changed on the eBilim pages, where every change is audited."
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reading only: writes here would bypass the audited actions.

    Roles, rights, assignments and ownership are edited on the accounts pages
    (accounts-roles, accounts-user-roles, accounts-ownership).
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        self._note(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._note(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def _note(self, request) -> None:
        # Only on reading: a refused POST must not leave the note for the next page.
        if request.method == "GET":
            link = format_html(
                '{} <a href="{}">{}</a>',
                READ_ONLY_NOTE,
                reverse("accounts-roles"),
                _("Roles and rights"),
            )
            messages.info(request, link)


class RoleRightInline(admin.TabularInline):
    model = RoleRight
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_ky", "name_ru", "name_en", "kind", "is_system")
    list_filter = ("kind", "is_system")
    search_fields = ("code", "name_ky", "name_ru", "name_en")
    inlines = [RoleRightInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "scope_kind", "scope_id", "valid_from", "valid_to")
    list_filter = ("role", "scope_kind")
    search_fields = ("user__username", "user__last_name", "user__first_name")
    list_select_related = ("user", "role")


@admin.register(DataOwnership)
class DataOwnershipAdmin(ReadOnlyAdmin):
    list_display = ("data_kind", "owner")
    list_select_related = ("owner",)


@admin.register(Guardianship)
class GuardianshipAdmin(ReadOnlyAdmin):
    list_display = ("parent", "child", "relation")
    search_fields = ("parent__last_name", "child__last_name", "parent__username", "child__username")
    list_select_related = ("parent", "child")
