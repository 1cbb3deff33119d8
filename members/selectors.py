"""Reads of the members app: each takes the acting user and returns a scoped queryset."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from organizations import scoping

from .models import Case, MatchProposal, PartyMember, TransferLetter, Worker


def can_see_political_status(user: Any) -> bool:
    """Political status is sensitive (DESIGN.md §5): scoped staff see it, partner systems
    (whose only grant is their platform) never read it back."""
    grants = scoping.grants_for(user)
    return bool(grants.city_wide or grants.organizations or grants.regions)


def workers_for(user: Any) -> QuerySet[Worker]:
    return scoping.restrict(
        Worker.objects.select_related("industry", "region", "enterprise", "platform"), user
    )


def members_for(user: Any) -> QuerySet[PartyMember]:
    return scoping.restrict(
        PartyMember.objects.select_related(
            "organization", "host_organization", "region", "industry"
        ),
        user,
    )


def letters_for(user: Any) -> QuerySet[TransferLetter]:
    return scoping.restrict(
        TransferLetter.objects.select_related(
            "member", "member__organization", "member__host_organization", "to_organization"
        ),
        user,
    )


def proposals_for(user: Any) -> QuerySet[MatchProposal]:
    return scoping.restrict(MatchProposal.objects.select_related("worker", "member"), user)


def cases_for(user: Any) -> QuerySet[Case]:
    return scoping.restrict(
        Case.objects.select_related(
            "worker", "member", "organization", "region", "industry", "owner"
        ),
        user,
    )
