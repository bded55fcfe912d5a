"""Activate the signed-in user's preferred language on every request.

LocaleMiddleware picks a language from the URL, cookie or browser; a signed-in
user's own choice (User.language, set by the language switcher) wins over those.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """Send a user with `must_change_password` to the change-password page first.

    Set for every initial or reset password that the administrator issued, so
    that a password someone else has seen is used exactly once. Signing out,
    switching the language and static files stay reachable.
    """

    ALLOWED_URL_NAMES = ("password-change", "logout", "language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not self._allowed(request.path_info)
        ):
            return redirect_to_login(
                request.get_full_path(), reverse("password-change"), REDIRECT_FIELD_NAME
            )
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        return any(path == reverse(name) for name in self.ALLOWED_URL_NAMES)
