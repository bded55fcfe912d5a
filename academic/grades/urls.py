from django.urls import include, path

from academic.grades.views_home import grades_home

app_name = "grades"

urlpatterns = [
    path("", grades_home, name="home"),
    path("", include("academic.grades.urls_journal")),
    path("", include("academic.grades.urls_sheets")),
    path("", include("academic.grades.urls_documents")),
    path("", include("academic.grades.urls_results")),
]
