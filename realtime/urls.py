from django.urls import path

from realtime import views

urlpatterns = [
    path("", views.notification_list_page, name="notification-list"),
    path("<int:notification_id>/read/", views.notification_read, name="notification-read"),
]
