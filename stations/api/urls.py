"""Routes of the stations API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("stations", views.StationViewSet, basename="station")
router.register("medicine-cabinets", views.MedicineCabinetViewSet, basename="medicine-cabinet")

urlpatterns = router.urls
