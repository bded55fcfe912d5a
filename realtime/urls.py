from django.urls import path

from realtime import views

urlpatterns = [
    path("", views.notification_list_page, name="notification-list"),
    path("settings/", views.notification_settings, name="notification-settings"),
    path("<int:notification_id>/read/", views.notification_read, name="notification-read"),
]
