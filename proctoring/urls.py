"""Proctoring under /proctoring/ (namespace "proctoring")."""

from django.urls import path

from proctoring import views

app_name = "proctoring"

urlpatterns = [
    path("attempts/<int:attempt_id>/frame/", views.frame, name="frame"),
    path("attempts/<int:attempt_id>/events/", views.events, name="events"),
    path("attempts/<int:attempt_id>/message/", views.message, name="message"),
    path("attempts/<int:attempt_id>/extend/", views.extend, name="extend"),
    path("attempts/<int:attempt_id>/end/", views.end, name="end"),
    path("attempts/<int:attempt_id>/review/", views.review, name="review"),
    path("attempts/<int:attempt_id>/annul/", views.annul, name="annul"),
    path("frames/<int:frame_id>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("tests/<int:test_id>/settings/", views.test_settings, name="settings"),
    path("tests/<int:test_id>/live/", views.live, name="live"),
]
