"""Routes of the grid API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("grid/volunteers", views.VolunteerViewSet, basename="grid-volunteer")
router.register("grid/tasks", views.TaskViewSet, basename="grid-task")
router.register("grid/claims", views.ClaimViewSet, basename="grid-claim")

urlpatterns = router.urls
