from django.urls import path

from realtime.classes import views

app_name = "classes"

urlpatterns = [
    path("lesson/<int:lesson_id>/", views.lesson_class, name="lesson"),
    path("lesson/<int:lesson_id>/start/", views.class_start, name="start"),
    path("<int:class_id>/end/", views.class_end, name="end"),
    path("<int:class_id>/attendance/", views.class_attendance, name="attendance"),
]
