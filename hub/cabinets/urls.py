from django.contrib.auth import views as auth_views
from django.urls import path

from hub.cabinets import views
from hub.cabinets.forms import LoginForm

urlpatterns = [
    # Named "cabinet" because settings.LOGIN_REDIRECT_URL points here.
    path("", views.home, name="cabinet"),
    path("cabinet/<str:kind>/", views.cabinet_page, name="cabinet-page"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.language_switch, name="language"),
]
