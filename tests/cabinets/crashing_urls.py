"""A URLconf with views that always fail, to see the real 500 handler: a bug, and the
database pool giving no connection in time (the error psycopg's pool raises, wrapped by
Django as the database layer wraps it)."""

from django.db import OperationalError
from django.urls import path
from psycopg_pool import PoolTimeout

from hub.urls import handler404, handler500
from hub.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "handler500"]


def crash(request):
    raise RuntimeError("the view failed")


def busy(request):
    try:
        raise PoolTimeout("couldn't get a connection after 10.00 sec")
    except PoolTimeout as error:
        raise OperationalError(str(error)) from error


urlpatterns = [path("crash/", crash), path("busy/", busy), *site_urlpatterns]
