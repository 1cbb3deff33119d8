"""Routes of the assistance API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("assistance-funds", views.AssistanceFundViewSet, basename="assistance-fund")
router.register("disbursements", views.DisbursementViewSet, basename="disbursement")

urlpatterns = router.urls
