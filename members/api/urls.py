"""Routes of the members API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views
from .claims import MemberClaimView
from .intake import WorkerBulkUpsertView

router = SimpleRouter()
router.register("workers", views.WorkerViewSet, basename="worker")
router.register("members", views.PartyMemberViewSet, basename="member")
router.register("transfer-letters", views.TransferLetterViewSet, basename="transfer-letter")
router.register("match-proposals", views.MatchProposalViewSet, basename="match-proposal")
router.register("cases", views.CaseViewSet, basename="case")

urlpatterns = [
    # Before the router, whose ``workers/<pk>/`` would otherwise take "bulk" for a pk.
    path("workers/bulk/", WorkerBulkUpsertView.as_view(), name="worker-bulk"),
    path("member-claims/", MemberClaimView.as_view(), name="member-claims"),
    *router.urls,
]
