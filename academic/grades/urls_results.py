"""Scale, grading settings, academic calendar, session results and rating under /grades/."""

from django.urls import path

from academic.grades import views_results as views

urlpatterns = [
    path("scale/", views.scale, name="scale"),
    path("scale/edit/", views.scale_edit, name="scale-edit"),
    path("settings/", views.grading_settings_edit, name="grading-settings"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/new/", views.calendar_create, name="calendar-create"),
    path("calendar/<int:period_id>/edit/", views.calendar_edit, name="calendar-edit"),
    path("calendar/<int:period_id>/delete/", views.calendar_delete, name="calendar-delete"),
    path("results/", views.session_results, name="session-results"),
    path("results/final/", views.final_journal, name="final-journal"),
    path("results/monitor/", views.session_monitor, name="session-monitor"),
    path("results/monitor.json", views.session_monitor_data, name="session-monitor-data"),
    path("results/rating/", views.rating, name="rating"),
]
