"""Routes of the organizations API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("industries", views.IndustryViewSet, basename="industry")
router.register("organizations", views.PartyOrganizationViewSet, basename="organization")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("instructors", views.InstructorViewSet, basename="instructor")
router.register(
    "instructor-assignments", views.InstructorAssignmentViewSet, basename="instructor-assignment"
)

urlpatterns = router.urls
