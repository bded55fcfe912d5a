"""Courses, exam sheets, change requests, debts and differences under /grades/ (namespace "grades")."""

from django.urls import path

from academic.grades import views_sheets as views

urlpatterns = [
    path("courses/generate/", views.courses_generate, name="courses-generate"),
    path("courses/<int:course_id>/", views.course_sheets, name="course-sheets"),
    path("courses/<int:course_id>/teacher/", views.course_teacher, name="course-teacher"),
    path("courses/<int:course_id>/retake/", views.course_retake, name="course-retake"),
    path("sheets/", views.sheet_list, name="sheets"),
    path("sheets/<int:sheet_id>/", views.sheet_detail, name="sheet"),
    path("sheets/<int:sheet_id>/close/", views.sheet_close, name="sheet-close"),
    path("sheets/<int:sheet_id>/lines/<int:line_id>/", views.sheet_line, name="sheet-line"),
    path(
        "sheets/<int:sheet_id>/lines/<int:line_id>/change/",
        views.sheet_change,
        name="sheet-change",
    ),
    path("changes/", views.change_requests, name="change-requests"),
    path("changes/<int:request_id>/", views.change_request, name="change-request"),
    path(
        "changes/<int:request_id>/decide/",
        views.change_request_decide,
        name="change-request-decide",
    ),
    path("debts/", views.debt_list, name="debts"),
    path("differences/", views.difference_list, name="differences"),
    path("differences/new/", views.difference_create, name="difference-create"),
    path(
        "differences/<int:difference_id>/result/",
        views.difference_result,
        name="difference-result",
    ),
]
