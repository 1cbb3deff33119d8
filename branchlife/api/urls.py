"""Routes of the organization-life API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("branchlife/meetings", views.MeetingViewSet, basename="branchlife-meeting")
router.register(
    "branchlife/participations", views.ParticipationViewSet, basename="branchlife-participation"
)
router.register("branchlife/evaluations", views.EvaluationViewSet, basename="branchlife-evaluation")
router.register(
    "branchlife/dues/declarations",
    views.DuesDeclarationViewSet,
    basename="branchlife-declaration",
)
router.register("branchlife/dues/payments", views.DuesPaymentViewSet, basename="branchlife-payment")
router.register(
    "branchlife/dues/handovers", views.DuesHandoverViewSet, basename="branchlife-handover"
)
router.register("branchlife/elections", views.ElectionViewSet, basename="branchlife-election")

urlpatterns = [
    path(
        "branchlife/members/<str:member_id>/upcoming-meetings/",
        views.UpcomingMeetingsView.as_view(),
        name="branchlife-upcoming",
    ),
    *router.urls,
]
