from django.urls import path

from realtime import curator_views as views

urlpatterns = [
    path("", views.my_groups, name="curator-groups"),
    path("groups/<int:group_id>/", views.group_live, name="curator-group"),
    path("groups/<int:group_id>/online/", views.group_online, name="curator-group-online"),
]
