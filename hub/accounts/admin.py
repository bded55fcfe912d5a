from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
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


class RoleRightInline(admin.TabularInline):
    model = RoleRight
    extra = 0


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ky", "name_ru", "name_en", "kind", "is_system")
    list_filter = ("kind", "is_system")
    search_fields = ("code", "name_ky", "name_ru", "name_en")
    inlines = [RoleRightInline]

    def get_readonly_fields(self, request, obj=None):
        # A shipped role keeps its code: code refers to it (the test cast, the defaults).
        return ("code", "is_system") if obj and obj.is_system else ("is_system",)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_system)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "scope_kind", "scope_id", "valid_from", "valid_to")
    list_filter = ("role", "scope_kind")
    search_fields = ("user__username", "user__last_name", "user__first_name")
    list_select_related = ("user", "role")
    raw_id_fields = ("user",)
    readonly_fields = ("granted_by", "created_at")


@admin.register(DataOwnership)
class DataOwnershipAdmin(admin.ModelAdmin):
    list_display = ("data_kind", "owner")
    list_select_related = ("owner",)


@admin.register(Guardianship)
class GuardianshipAdmin(admin.ModelAdmin):
    list_display = ("parent", "child", "relation")
    search_fields = ("parent__last_name", "child__last_name", "parent__username", "child__username")
    list_select_related = ("parent", "child")
    raw_id_fields = ("parent", "child")
