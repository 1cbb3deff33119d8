"""Routes of the appeals API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("appeals", views.AppealViewSet, basename="appeal")
router.register("appeal-events", views.AppealEventViewSet, basename="appeal-event")

urlpatterns = router.urls
