from django.urls import include, path

app_name = "grades"

urlpatterns = [
    path("", include("academic.grades.urls_journal")),
    path("", include("academic.grades.urls_sheets")),
    path("", include("academic.grades.urls_documents")),
    path("", include("academic.grades.urls_results")),
]
