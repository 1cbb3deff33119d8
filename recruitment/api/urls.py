"""Routes of the pipeline's API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("recruitment/candidates", views.CandidateViewSet, basename="recruitment-candidate")
router.register("recruitment/steps", views.StepViewSet, basename="recruitment-step")

urlpatterns = [
    path("recruitment/overdue/", views.OverdueView.as_view(), name="recruitment-overdue"),
    path("recruitment/board/", views.BoardView.as_view(), name="recruitment-board"),
    *router.urls,
]
