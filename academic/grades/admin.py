"""Read-only Django admin of grading reference data: the scale bands, settings and calendar.

They are changed on the grades pages (scale, settings, academic calendar),
whose actions check and audit every change; the admin only shows them.
"""

from django.contrib import admin

from academic.grades.models import CalendarPeriod, GradingSettings, ScaleBand


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScaleBand)
class ScaleBandAdmin(ReadOnlyAdmin):
    list_display = ["institution", "low", "high", "letter", "gpa", "mark"]


@admin.register(GradingSettings)
class GradingSettingsAdmin(ReadOnlyAdmin):
    list_display = ["institution", "admission_minimum", "change_window_days"]


@admin.register(CalendarPeriod)
class CalendarPeriodAdmin(ReadOnlyAdmin):
    list_display = ["term", "study_form", "kind", "number", "starts_on", "ends_on"]
    list_filter = ["study_form", "kind", "term"]
