"""The electronic journal under /grades/ (namespace "grades"): names start with "journal"."""

from django.urls import path

from academic.grades import views_journal as views

urlpatterns = [
    path("journal/", views.course_list, name="journal-courses"),
    path("journal/<int:course_id>/", views.journal, name="journal"),
    path("journal/<int:course_id>/data/", views.journal_data, name="journal-data"),
    path("journal/<int:course_id>/cell/", views.journal_cell, name="journal-cell"),
    path("journal/<int:course_id>/checkpoints/", views.checkpoints, name="journal-checkpoints"),
    path("journal/<int:course_id>/lessons/new/", views.lesson_create, name="journal-lesson-create"),
    path(
        "journal/<int:course_id>/lessons/<int:lesson_id>/edit/",
        views.lesson_edit,
        name="journal-lesson-edit",
    ),
    path(
        "journal/<int:course_id>/lessons/<int:lesson_id>/delete/",
        views.lesson_delete,
        name="journal-lesson-delete",
    ),
    path("my/", views.my_grades, name="journal-my-grades"),
    path("my/<int:course_id>/", views.my_course, name="journal-my-course"),
]
