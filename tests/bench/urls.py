"""The project's URLs plus /bench/noop, the baseline: Django doing nothing.

It lives here, not in hub/urls.py, so production never serves it.
"""

from django.http import HttpResponse
from django.urls import path

from hub.urls import handler404, handler500  # noqa: F401
from hub.urls import urlpatterns as project_urlpatterns


def noop(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/noop", noop), *project_urlpatterns]
