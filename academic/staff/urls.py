from django.urls import path

from academic.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.employee_list, name="employees"),
    path("new/", views.employee_create, name="employee-create"),
    path("<int:employee_id>/", views.employee_detail, name="employee"),
    path("<int:employee_id>/edit/", views.employee_edit, name="employee-edit"),
    path("<int:employee_id>/education/", views.education_add, name="education-add"),
    path("<int:employee_id>/documents/", views.document_upload, name="document-upload"),
    path("documents/<int:document_id>/", views.document_download, name="document"),
    path("establishment/", views.establishment, name="establishment"),
    path("reports/", views.reports, name="reports"),
    path("orders/", views.order_list, name="orders"),
    path("orders/new/", views.order_create, name="order-create"),
    path("orders/<int:order_id>/", views.order_detail, name="order"),
    path("orders/<int:order_id>/edit/", views.order_edit, name="order-edit"),
    path("orders/<int:order_id>/lines/", views.order_line_add, name="order-line-add"),
    path(
        "orders/<int:order_id>/lines/<int:line_id>/remove/",
        views.order_line_remove,
        name="order-line-remove",
    ),
    path("orders/<int:order_id>/sign/", views.order_sign, name="order-sign"),
]
