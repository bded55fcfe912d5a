from django.urls import path

from hub.accounts import role_views, views

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
    path(
        "users/<int:user_id>/children/new/",
        views.user_guardianship_add,
        name="accounts-user-child-add",
    ),
    path(
        "users/<int:user_id>/children/<int:link_id>/remove/",
        views.user_guardianship_remove,
        name="accounts-user-child-remove",
    ),
    path("locks/", views.lock_list, name="accounts-locks"),
    # Roles, rights, role assignments and data ownership (AC-2, AC-7).
    path("roles/", role_views.role_index, name="accounts-roles"),
    path("roles/new/", role_views.role_create, name="accounts-role-create"),
    path("roles/<int:role_id>/", role_views.role_rights, name="accounts-role"),
    path("roles/<int:role_id>/delete/", role_views.role_delete, name="accounts-role-delete"),
    path("users/<int:user_id>/roles/", role_views.user_roles, name="accounts-user-roles"),
    path(
        "users/<int:user_id>/roles/<int:assignment_id>/revoke/",
        role_views.user_role_revoke,
        name="accounts-user-role-revoke",
    ),
    path("ownership/", role_views.ownership_list, name="accounts-ownership"),
    path("ownership/<str:data_kind>/", role_views.ownership_move, name="accounts-ownership-move"),
]
