"""Activate the signed-in user's preferred language on every request.

LocaleMiddleware picks a language from the URL, cookie or browser; a signed-in
user's own choice (User.language, set by the language switcher) wins over those.
"""

from __future__ import annotations

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
