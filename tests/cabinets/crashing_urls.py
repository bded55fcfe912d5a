"""A URLconf with one view that always fails, to see the real 500 handler."""

from django.urls import path

from hub.urls import handler404, handler500
from hub.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "handler500"]


def crash(request):
    raise RuntimeError("the view failed")


urlpatterns = [path("crash/", crash), *site_urlpatterns]
