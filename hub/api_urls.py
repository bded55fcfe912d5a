"""Everything under /api/: versioned endpoints, the schema and its docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from hub.api.views import RedocView, api_not_found

urlpatterns = [
    path("v1/", include("hub.api.v1.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # Last: any other /api/ address answers a JSON 404, not the site's HTML page.
    re_path(r"^(?P<unknown>.*)$", api_not_found, name="api-not-found"),
]
