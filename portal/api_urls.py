"""The REST API at ``/api/v1/``: each app's ``api.urls`` routes, plus the schema and its docs.

Add an app by adding one ``path("", include("<app>.api.urls"))`` line.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

import core.api.schema  # noqa: F401  (registers the API-key scheme with drf-spectacular)

urlpatterns = [
    path("", include("organizations.api.urls")),
    path("", include("members.api.urls")),
    path("", include("stations.api.urls")),
    path("", include("training.api.urls")),
    path("", include("appeals.api.urls")),
    path("", include("appeals.assistance.api.urls")),
    path("", include("coverage.api.urls")),
    # The schema and its docs are public; the docs load only vendored (sidecar) assets.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(
            url_name="api-schema", permission_classes=[AllowAny], template_name="api/redoc.html"
        ),
        name="api-redoc",
    ),
]
