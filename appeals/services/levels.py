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


def level_of_organization(organization: PartyOrganization) -> str:
    """The level of the direct channel an organization stands at."""
    if organization.kind == OrganizationKind.WORKING_COMMITTEE:
        return Level.ORGANIZATION_DEPARTMENT
    if organization.kind == OrganizationKind.INDUSTRY_COMMITTEE:
        return Level.INDUSTRY_COMMITTEE
    return Level.PARTY_BRANCH


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
