from django.urls import path

from hub.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("password/", views.OwnPasswordChangeView.as_view(), name="password-change"),
    path("users/", views.user_list, name="accounts-users"),
    path("users/new/", views.user_create, name="accounts-user-create"),
    path("users/import/", views.users_import, name="accounts-import"),
    path("users/<int:user_id>/", views.user_detail, name="accounts-user"),
    path(
        "users/<int:user_id>/password-reset/",
        views.user_password_reset,
        name="accounts-user-password-reset",
    ),
    path("users/<int:user_id>/deactivate/", views.user_deactivate, name="accounts-user-deactivate"),
    path("users/<int:user_id>/reactivate/", views.user_reactivate, name="accounts-user-reactivate"),
    path("users/<int:user_id>/unlock/", views.user_unlock, name="accounts-user-unlock"),
    path("locks/", views.lock_list, name="accounts-locks"),
]
