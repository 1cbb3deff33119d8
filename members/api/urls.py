"""Routes of the members API; ``portal.api_urls`` mounts them at ``/api/v1/``."""

from django.urls import path

from .claims import MemberClaimView

urlpatterns = [
    path("member-claims/", MemberClaimView.as_view(), name="member-claims"),
]
