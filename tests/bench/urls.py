"""The project's URLs plus the baselines: /bench/noop, Django doing nothing, and
/bench/insert, a bare "insert one row" view (tests.bench.testing_spike).

They live here, not in hub/urls.py, so production never serves them.
"""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from hub.urls import handler404, handler500  # noqa: F401
from hub.urls import urlpatterns as project_urlpatterns


def noop(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_POST
def insert(request):
    """The least an answer save can cost: the same middleware (session, CSRF, the signed-in
    user) and one plain INSERT of the posted body, in autocommit, into a table that
    tests.bench.testing_spike makes and drops (no model, no migration)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_insert (user_id, body) VALUES (%s, %s)",
            [request.user.pk, request.body.decode("utf-8", "replace")],
        )
    return JsonResponse({"saved": True})


urlpatterns = [path("bench/noop", noop), path("bench/insert", insert), *project_urlpatterns]
