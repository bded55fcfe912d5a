from django.urls import path

from academic.records import api as records_api
from hub.api.v1 import views

app_name = "v1"

urlpatterns = [
    path("auth/token/", views.TokenObtainApi.as_view(), name="auth-token"),
    path("me/", views.MeApi.as_view(), name="me"),
    path("records/students/", records_api.StudentListApi.as_view(), name="records-students"),
    path(
        "records/students/<int:student_id>/",
        records_api.StudentDetailApi.as_view(),
        name="records-student",
    ),
]
