"""The REST API at ``/api/v1/``: each app's ``api.urls`` routes, plus the schema and its docs.

Add an app by adding one ``path("", include("<app>.api.urls"))`` line.
"""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.permissions import AllowAny

import core.api.schema  # noqa: F401  (registers the API-key scheme with drf-spectacular)

_DOCS_CSP = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})

urlpatterns = [
    path("", include("organizations.api.urls")),
    path("", include("members.api.urls")),
    path("", include("stations.api.urls")),
    path("", include("training.api.urls")),
    path("", include("recruitment.api.urls")),
    path("", include("appeals.api.urls")),
    path("", include("appeals.assistance.api.urls")),
    path("", include("taskforce.api.urls")),
    path("", include("grid.api.urls")),
    path("", include("branchlife.api.urls")),
    path("", include("ecosystem.jobfairs.api.urls")),
    path("", include("ecosystem.whistles.api.urls")),
    path("", include("ecosystem.massorgs.api.urls")),
    path("", include("coverage.api.urls")),
    # The schema and its docs are public; the docs load only vendored (sidecar) assets. Their
    # bundles inject styles (and Redoc a blob: worker), so these two pages, which show no
    # personal data, relax the Content-Security-Policy for styles only; Swagger UI's start-up
    # script is served as a file (the split view), not inline.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    path(
        "docs/",
        _DOCS_CSP(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", permission_classes=[AllowAny]
            )
        ),
        name="api-docs",
    ),
    path(
        "redoc/",
        _DOCS_CSP(
            SpectacularRedocView.as_view(
                url_name="api-schema",
                permission_classes=[AllowAny],
                template_name="api/redoc.html",
            )
        ),
        name="api-redoc",
    ),
]
