from django.urls import include, path

from academic.records import views

app_name = "records"

urlpatterns = [
    path("", views.student_list, name="students"),
    path("students/new/", views.student_create, name="student-create"),
    path("students/<int:student_id>/", views.student_detail, name="student"),
    path("students/<int:student_id>/edit/", views.student_edit, name="student-edit"),
    path(
        "students/<int:student_id>/documents/new/",
        views.student_document_add,
        name="student-document-add",
    ),
    path(
        "students/<int:student_id>/documents/<int:document_id>/",
        views.student_document,
        name="student-document",
    ),
    path(
        "students/<int:student_id>/contacts/new/",
        views.student_contact_add,
        name="student-contact-add",
    ),
    path(
        "students/<int:student_id>/contacts/<int:contact_id>/remove/",
        views.student_contact_remove,
        name="student-contact-remove",
    ),
    path("groups/<int:group_id>/", views.group_roster, name="group-roster"),
    path("groups/<int:group_id>/starosta/", views.group_starosta, name="group-starosta"),
    path("orders/", views.order_list, name="orders"),
    path("orders/new/", views.order_create, name="order-create"),
    path("orders/<int:order_id>/", views.order_detail, name="order"),
    path("orders/<int:order_id>/edit/", views.order_edit, name="order-edit"),
    path("orders/<int:order_id>/sign/", views.order_sign, name="order-sign"),
    path("orders/<int:order_id>/delete/", views.order_delete, name="order-delete"),
    path(
        "orders/<int:order_id>/lines/<int:line_id>/remove/",
        views.order_line_remove,
        name="order-line-remove",
    ),
    path("import/", include("academic.records.import_urls")),
    path("reports/", include("academic.records.report_urls")),
]
