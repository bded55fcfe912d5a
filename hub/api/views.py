"""The API's own pages: schema, docs, and the JSON answer for an unknown address."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularRedocView


class RedocView(SpectacularRedocView):
    # drf-spectacular's template loads Google Fonts; ours loads nothing from outside.
    template_name = "api/redoc.html"


def api_not_found(request, unknown: str = "") -> JsonResponse:
    """404 as JSON, like every other API error, instead of the site's HTML page."""
    detail = _("There is no API endpoint at this address.")
    if not request.path.endswith("/"):
        try:
            resolve(request.path + "/")
        except Resolver404:
            pass
        else:
            detail = _("There is no API endpoint at this address; did you mean %(path)s?") % {
                "path": request.path + "/"
            }
    return JsonResponse({"detail": detail}, status=404)
