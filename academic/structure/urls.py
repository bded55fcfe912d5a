from django.urls import path

from academic.structure import views

app_name = "structure"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:group_id>/", views.group_detail, name="group"),
    path("groups/<int:group_id>/edit/", views.group_edit, name="group-edit"),
    path("groups/<int:group_id>/curator/", views.group_curator, name="group-curator"),
    path("groups/<int:group_id>/deactivate/", views.group_deactivate, name="group-deactivate"),
    path("faculties/new/", views.faculty_create, name="faculty-create"),
    path("faculties/<int:faculty_id>/edit/", views.faculty_edit, name="faculty-edit"),
    path("departments/new/", views.department_create, name="department-create"),
    path("departments/<int:department_id>/edit/", views.department_edit, name="department-edit"),
    path("specialties/new/", views.specialty_create, name="specialty-create"),
    path("specialties/<int:specialty_id>/edit/", views.specialty_edit, name="specialty-edit"),
]
