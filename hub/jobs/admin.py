from django.contrib import admin

from hub.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    # Jobs change only through hub.jobs.actions; the admin is for looking.
    list_display = ("id", "kind", "owner", "status", "done", "total", "attempts", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("owner__username", "message", "error")
    list_select_related = ("owner",)
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
