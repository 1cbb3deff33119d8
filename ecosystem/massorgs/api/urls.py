"""Routes of the mass-organizations API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("mass-organizations", views.MassOrganizationViewSet, basename="mass-organization")
router.register("service-projects", views.ServiceProjectViewSet, basename="service-project")
router.register("mediation-cases", views.MediationCaseViewSet, basename="mediation-case")

urlpatterns = router.urls
