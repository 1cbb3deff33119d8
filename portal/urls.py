from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import health, metrics
from organizations.login import PortalAdminAuthenticationForm, PortalAuthenticationForm

from . import views

# The API answers its own error format for unknown paths and server errors (core.api.errors).
handler404 = "core.api.errors.not_found"
handler500 = "core.api.errors.server_error"

admin.site.site_header = admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = _("Administration")
# Partner service users (API keys) are refused at both sign-in doors (organizations.login).
admin.site.login_form = PortalAdminAuthenticationForm

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("coverage/recompute/", views.coverage_recompute, name="coverage_recompute"),
        path("coverage/jobs/<int:pk>/", views.coverage_job, name="coverage_job"),
    ],
    "portal",
)

urlpatterns = [
    # Operations: health for load balancers and monitoring, metrics for Prometheus (core).
    path("health/", health.PortalHealthView.as_view(), name="health"),
    path("health/live/", health.live, name="health_live"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("portal.api_urls")),
    path("organizations/", include("organizations.urls")),
    path("members/", include("members.urls")),
    path("stations/", include("stations.urls")),
    path("training/", include("training.urls")),
    path("recruitment/", include("recruitment.urls")),
    path("grid/", include("grid.urls")),
    path("branchlife/", include("branchlife.urls")),
    path("open311/v2/", include("appeals.open311.urls")),
    path("appeals/public/", include("appeals.public.urls")),
    path("appeals/stats/", include("appeals.stats.urls")),
    path("appeals/assistance/", include("appeals.assistance.urls")),
    path("appeals/", include("appeals.urls")),
    path("taskforce/", include("taskforce.urls")),
    path("ecosystem/jobfairs/", include("ecosystem.jobfairs.urls")),
    path("ecosystem/whistles/", include("ecosystem.whistles.urls")),
    path("ecosystem/massorgs/", include("ecosystem.massorgs.urls")),
    path("", include(portal_patterns)),
]
