from django.urls import path

from hub.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("export.csv", views.entry_export, name="export"),
    path("object/<str:object_type>/<str:object_id>/", views.object_history, name="object"),
]
