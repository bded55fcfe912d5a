"""Reference data the administrator may browse; offices change it on their own pages."""

from django.contrib import admin

from academic.structure.models import AcademicYear, College, Institution, Room, SoateUnit, Term


class ReadOnly(admin.ModelAdmin):
    # Changes go through actions, which write the audit log; the admin only shows.
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Institution)
class InstitutionAdmin(ReadOnly):
    list_display = ["name_ru", "short_name"]


class TermInline(admin.TabularInline):
    model = Term
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AcademicYear)
class AcademicYearAdmin(ReadOnly):
    list_display = ["name", "starts_on", "ends_on", "is_current"]
    inlines = [TermInline]


@admin.register(Room)
class RoomAdmin(ReadOnly):
    list_display = ["building", "number", "type", "capacity"]
    list_filter = ["type", "building"]


@admin.register(College)
class CollegeAdmin(ReadOnly):
    list_display = ["code", "name_ru", "name_ky"]


@admin.register(SoateUnit)
class SoateUnitAdmin(ReadOnly):
    list_display = ["code", "name_ky", "name_ru", "name_en", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name_ky", "name_ru", "name_en"]
