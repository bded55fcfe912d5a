"""Distance learning under /learning/ (namespace "learning")."""

from django.urls import path

from hub.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.my_courses, name="courses"),
    path("analytics/", views.analytics, name="analytics"),
    path("<int:ecourse_id>/", views.course, name="course"),
    path("<int:ecourse_id>/analytics/", views.course_analytics, name="course-analytics"),
    path("<int:ecourse_id>/syllabus/", views.syllabus_edit, name="syllabus"),
    path("<int:ecourse_id>/sections/new/", views.section_create, name="section-create"),
    path("sections/<int:section_id>/", views.section_edit, name="section-edit"),
    path("sections/<int:section_id>/delete/", views.section_delete, name="section-delete"),
    path("sections/<int:section_id>/materials/new/", views.material_create, name="material-create"),
    path("materials/<int:material_id>/", views.material_file, name="material-file"),
    path("materials/<int:material_id>/delete/", views.material_delete, name="material-delete"),
    path("<int:ecourse_id>/assignments/new/", views.assignment_create, name="assignment-create"),
    path("assignments/<int:assignment_id>/", views.assignment, name="assignment"),
    path(
        "assignments/<int:assignment_id>/submit/", views.assignment_submit, name="assignment-submit"
    ),
    path("assignments/<int:assignment_id>/zip/", views.submissions_zip, name="submissions-zip"),
    path("assignment-files/<int:file_id>/", views.assignment_file, name="assignment-file"),
    path("submissions/<int:submission_id>/", views.submission, name="submission"),
    path("submission-files/<int:file_id>/", views.submission_file, name="submission-file"),
]
