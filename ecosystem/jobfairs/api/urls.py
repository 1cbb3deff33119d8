"""Routes of the job-fairs API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("job-fairs", views.JobFairViewSet, basename="job-fair")
router.register("job-positions", views.PositionViewSet, basename="job-position")
router.register("job-applications", views.JobApplicationViewSet, basename="job-application")

urlpatterns = router.urls
