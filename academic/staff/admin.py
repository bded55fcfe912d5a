"""The reference list of position titles, kept by the administrator in Django admin."""

from django.contrib import admin

from academic.staff.models import PositionTitle


@admin.register(PositionTitle)
class PositionTitleAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ky", "name_ru", "name_en", "order"]
    search_fields = ["code", "name_ky", "name_ru", "name_en"]
