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
    path("colleges/", views.college_list, name="colleges"),
    path("colleges/new/", views.college_create, name="college-create"),
    path("colleges/<int:college_id>/edit/", views.college_edit, name="college-edit"),
    path("years/", views.year_list, name="years"),
    path("years/new/", views.year_create, name="year-create"),
    path("years/<int:year_id>/edit/", views.year_edit, name="year-edit"),
    path("years/<int:year_id>/current/", views.year_make_current, name="year-make-current"),
    path("years/<int:year_id>/terms/new/", views.term_create, name="term-create"),
    path("terms/<int:term_id>/edit/", views.term_edit, name="term-edit"),
    path("rooms/", views.room_list, name="rooms"),
    path("rooms/new/", views.room_create, name="room-create"),
    path("rooms/<int:room_id>/edit/", views.room_edit, name="room-edit"),
    path("groups/<int:group_id>/subgroups/new/", views.subgroup_create, name="subgroup-create"),
    path("subgroups/<int:subgroup_id>/rename/", views.subgroup_rename, name="subgroup-rename"),
    path("subgroups/<int:subgroup_id>/delete/", views.subgroup_delete, name="subgroup-delete"),
    path("soate/", views.soate_browser, name="soate"),
    path("soate/children/", views.soate_children_json, name="soate-children"),
]
