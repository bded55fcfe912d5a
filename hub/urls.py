from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from hub import health

urlpatterns = [
    path("", include("hub.cabinets.urls")),
    path("jobs/", include("hub.jobs.urls")),
    path("accounts/", include("hub.accounts.urls")),
    path("notifications/", include("realtime.urls")),
    path("chats/", include("realtime.chat.urls")),
    path("announcements/", include("realtime.announcement_urls")),
    path("curator/", include("realtime.curator_urls")),
    path("curator/", include("realtime.questionnaire.urls")),
    path("classes/", include("realtime.classes.urls")),
    path("audit/", include("hub.audit.urls")),
    path("structure/", include("academic.structure.urls")),
    path("curricula/", include("academic.curricula.urls")),
    path("records/", include("academic.records.urls")),
    path("staff/", include("academic.staff.urls")),
    path("grades/", include("academic.grades.urls")),
    path("learning/", include("hub.learning.urls")),
    path("testing/", include("hub.testing.urls")),
    path("proctoring/", include("proctoring.urls")),
    path("api/", include("hub.api_urls")),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "hub.cabinets.views.page_not_found"
handler500 = "hub.cabinets.views.server_error"
