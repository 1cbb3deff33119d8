"""Routes of the whistles API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("industry-chains", views.IndustryChainViewSet, basename="industry-chain")
router.register("chain-enterprises", views.ChainEnterpriseViewSet, basename="chain-enterprise")
router.register("enterprise-policies", views.PolicyViewSet, basename="enterprise-policy")
router.register("whistles", views.WhistleViewSet, basename="whistle")
router.register(
    "whistle-assignments", views.WhistleAssignmentViewSet, basename="whistle-assignment"
)

urlpatterns = router.urls
