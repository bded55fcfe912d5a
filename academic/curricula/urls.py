from django.urls import path

from academic.curricula import views

app_name = "curricula"

urlpatterns = [
    path("", views.curriculum_list, name="list"),
    path("new/", views.curriculum_create, name="create"),
    path("<int:curriculum_id>/", views.curriculum_detail, name="detail"),
    path("<int:curriculum_id>/edit/", views.curriculum_edit, name="edit"),
    path("<int:curriculum_id>/approve/", views.curriculum_approve, name="approve"),
    path("<int:curriculum_id>/copy/", views.curriculum_copy, name="copy"),
    path("<int:curriculum_id>/report/", views.curriculum_report, name="report"),
    path("<int:curriculum_id>/lines/new/", views.line_create, name="line-create"),
    path("<int:curriculum_id>/blocks/new/", views.block_create, name="block-create"),
    path("<int:curriculum_id>/working/new/", views.working_plan_derive, name="working-plan-derive"),
    path("lines/<int:line_id>/edit/", views.line_edit, name="line-edit"),
    path("lines/<int:line_id>/delete/", views.line_delete, name="line-delete"),
    path("blocks/<int:block_id>/edit/", views.block_edit, name="block-edit"),
    path("disciplines/", views.discipline_list, name="disciplines"),
    path("disciplines/new/", views.discipline_create, name="discipline-create"),
    path("disciplines/<int:discipline_id>/edit/", views.discipline_edit, name="discipline-edit"),
    path("cycles/", views.cycle_list, name="cycles"),
    path("cycles/new/", views.cycle_create, name="cycle-create"),
    path("cycles/<int:cycle_id>/edit/", views.cycle_edit, name="cycle-edit"),
    path("norms/", views.norms_edit, name="norms"),
    path("working/", views.working_plan_list, name="working-plans"),
    path("working/<int:plan_id>/", views.working_plan_detail, name="working-plan"),
    path("working/<int:plan_id>/approve/", views.working_plan_approve, name="working-plan-approve"),
    path("working/lines/<int:line_id>/edit/", views.working_line_edit, name="working-line-edit"),
    path("individual/", views.individual_plan_list, name="individual-plans"),
    path("individual/new/", views.individual_plan_create, name="individual-plan-create"),
    path("individual/<int:plan_id>/", views.individual_plan_detail, name="individual-plan"),
    path("my/", views.my_plans, name="my-plans"),
]
