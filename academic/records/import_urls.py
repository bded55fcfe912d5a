"""The students import's pages, included under records/import/ (namespace "records")."""

from django.urls import path

from academic.records import import_views

urlpatterns = [
    path("", import_views.import_upload, name="import"),
    path("<int:job_id>/", import_views.import_preview, name="import-preview"),
    path("<int:job_id>/confirm/", import_views.import_confirm, name="import-confirm"),
    path("<int:job_id>/report/", import_views.import_report, name="import-report"),
    path("<int:job_id>/passwords.csv", import_views.import_passwords, name="import-passwords"),
]
