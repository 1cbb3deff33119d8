"""Reads for organizations; every function takes the acting user and applies scope."""

from typing import Any

from django.db.models import Count, Q

from .choices import ORGANIZATION_COVERAGE_MODES, CoverageMode, EnterpriseStatus, OrganizationStatus
from .models import Enterprise, PartyOrganization
from .scoping import visible


def active_organization_count(*, user: Any) -> int:
    return visible(PartyOrganization, user).filter(status=OrganizationStatus.ACTIVE).count()


def coverage_counts(*, user: Any) -> dict[str, int]:
    """Operating enterprises in scope by coverage, in one query:
    ``total``, ``organization`` (any organization coverage), ``work`` (work coverage only),
    ``none`` (uncovered)."""
    return (
        visible(Enterprise, user)
        .filter(status=EnterpriseStatus.OPERATING)
        .aggregate(
            total=Count("pk"),
            organization=Count("pk", filter=Q(coverage_mode__in=ORGANIZATION_COVERAGE_MODES)),
            work=Count("pk", filter=Q(coverage_mode=CoverageMode.WORK_ONLY)),
            none=Count("pk", filter=Q(coverage_mode=CoverageMode.NONE)),
        )
    )
