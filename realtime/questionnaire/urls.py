from django.urls import path

from realtime.questionnaire import views

urlpatterns = [
    path(
        "groups/<int:group_id>/questionnaires/",
        views.group_questionnaire_list,
        name="questionnaire-group",
    ),
    path(
        "students/<int:student_id>/questionnaire/",
        views.student_questionnaire,
        name="questionnaire-student",
    ),
]
