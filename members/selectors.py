"""Reads of the members app: every function takes the acting user and returns a scoped
queryset (``organizations.scoping``)."""

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from organizations.scoping import visible

from .choices import ACCEPTED_PROPOSAL_STATUSES, DECLARED_MEMBER_STATUSES
from .models import Case, MatchProposal, Worker


def workers_to_verify(user: Any) -> QuerySet[Worker]:
    """Active workers who declare party membership (probationary or full) but are not linked to
    any member record: no accepted or confirmed proposal and no case with a member. The
    two-finds "to verify" list."""
    accepted = MatchProposal.objects.filter(
        worker=OuterRef("pk"), status__in=ACCEPTED_PROPOSAL_STATUSES
    )
    with_member = Case.objects.filter(worker=OuterRef("pk"), member__isnull=False)
    return (
        visible(Worker, user)
        .filter(active=True, political_status__in=DECLARED_MEMBER_STATUSES)
        .filter(~Exists(accepted), ~Exists(with_member))
        .select_related("industry", "region", "enterprise", "platform")
        .order_by("-last_seen", "-id")
    )
