"""The base class of every API view."""

from __future__ import annotations

from django.utils import translation
from rest_framework.views import APIView


class Api(APIView):
    """An APIView that answers in the signed-in user's language.

    UserLanguageMiddleware sees only session users; a token is checked later,
    inside the view, so the language is activated here once DRF knows the user.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        language = getattr(request.user, "language", "")
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
