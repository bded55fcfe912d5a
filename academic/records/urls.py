from django.urls import include, path

from academic.records import views

app_name = "records"

urlpatterns = [
    path("", views.student_list, name="students"),
    path("students/<int:student_id>/", views.student_detail, name="student"),
    path("import/", include("academic.records.import_urls")),
    path("reports/", include("academic.records.report_urls")),
]
