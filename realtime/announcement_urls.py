from django.urls import path

from realtime import announcement_views as views

urlpatterns = [
    path("", views.announcement_list, name="announcement-list"),
    path("new/", views.announcement_create, name="announcement-create"),
    path("<int:announcement_id>/", views.announcement_detail, name="announcement-detail"),
]
