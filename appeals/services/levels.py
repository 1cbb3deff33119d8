"""Levels and the organization tree: the level an organization answers at, the one above it, the
first responder of an appeal."""

from __future__ import annotations

from organizations.choices import OrganizationKind, OrganizationStatus
from organizations.models import PartyOrganization

from ..choices import (
    Level,
    level_rank,
)
from ..models import Appeal


def level_of_kind(kind: str) -> str:
    """The level of the direct channel an organization of ``kind`` stands at."""
    if kind == OrganizationKind.WORKING_COMMITTEE:
        return Level.ORGANIZATION_DEPARTMENT
    if kind in (OrganizationKind.INDUSTRY_COMMITTEE, OrganizationKind.CHAIN_GENERAL_COMMITTEE):
        # The industry-chain comprehensive committee answers at the industry committees' level
        # (its chain committees below it at the branches'): an overdue case of a chain
        # committee escalates to it, and from it to the working committee.
        return Level.INDUSTRY_COMMITTEE
    return Level.PARTY_BRANCH


def level_of_organization(organization: PartyOrganization) -> str:
    """The level of the direct channel an organization stands at."""
    return level_of_kind(organization.kind)


def kinds_at_or_above(level: str) -> list[str]:
    """The organization kinds an appeal at ``level`` may be dispatched to (never below it)."""
    return [k for k in OrganizationKind.values if level_rank(level_of_kind(k)) >= level_rank(level)]


def organization_above(organization: PartyOrganization, level: str) -> PartyOrganization | None:
    """The nearest active ancestor of ``organization`` standing at a level above ``level``
    (one query over the ancestors' paths), or ``None`` at the top of the tree."""
    paths = organization.ancestors_paths()
    if not paths:
        return None
    ancestors = PartyOrganization.objects.filter(
        path__in=paths, status=OrganizationStatus.ACTIVE
    ).order_by("-depth")
    for candidate in ancestors:
        if level_rank(level_of_organization(candidate)) > level_rank(level):
            return candidate
    return None


def _first_responder(appeal: Appeal) -> PartyOrganization | None:
    """Where an undispatched overdue appeal goes: the industry committee of its industry,
    else the root working committee."""
    qs = PartyOrganization.objects.filter(status=OrganizationStatus.ACTIVE)
    if appeal.industry_id:
        committee = (
            qs.filter(kind=OrganizationKind.INDUSTRY_COMMITTEE, industry_id=appeal.industry_id)
            .order_by("depth", "id")
            .first()
        )
        if committee is not None:
            return committee
    return qs.filter(parent__isnull=True).order_by("id").first()
