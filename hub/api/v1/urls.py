from django.urls import path

from hub.api.v1 import views

app_name = "v1"

urlpatterns = [
    path("auth/token/", views.TokenObtainApi.as_view(), name="auth-token"),
    path("me/", views.MeApi.as_view(), name="me"),
]
