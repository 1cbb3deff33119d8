"""Routes of the coverage API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("coverage", views.CoverageSnapshotViewSet, basename="coverage")

urlpatterns = router.urls
