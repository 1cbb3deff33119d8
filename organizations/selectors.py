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


def responsible_user(*, region_id: int | None, industry_id: int | None, permission: str) -> Any:
    """Who answers for work filed under this region and industry, holding ``permission``
    (``app_label.codename``): the officer of the nearest region (street before district), else
    the secretary of the industry's committee, else city-wide staff; the earliest account
    among equals, so the answer is stable. ``None`` when nobody holds the permission.

    The task list's default owner: an open case always has someone to act on it."""
    from django.contrib.auth import get_user_model

    from .choices import GrantKind, OrganizationKind
    from .models import Region, ScopeGrant

    app_label, codename = permission.split(".", 1)
    users = get_user_model()._default_manager.filter(is_active=True)
    holders = users.filter(
        Q(is_superuser=True)
        | Q(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
        | Q(
            user_permissions__codename=codename,
            user_permissions__content_type__app_label=app_label,
        )
    ).values("pk")
    grants = ScopeGrant.objects.filter(user__in=holders, user__is_active=True)
    region = Region.objects.filter(pk=region_id).only("path").first() if region_id else None
    paths = [*region.ancestors_paths(), region.path] if region is not None else []
    steps = []
    if paths:
        steps.append(
            grants.filter(kind=GrantKind.REGION, region__path__in=paths).order_by(
                "-region__depth", "user_id"
            )
        )
    if industry_id:
        steps.append(
            grants.filter(
                kind=GrantKind.ORGANIZATION,
                organization__kind=OrganizationKind.INDUSTRY_COMMITTEE,
                organization__industry_id=industry_id,
            ).order_by("user_id")
        )
    steps.append(grants.filter(kind=GrantKind.CITY).order_by("user_id"))
    for step in steps:
        grant = step.select_related("user").first()
        if grant is not None:
            return grant.user
    return None


def dashboard_figures(user: Any) -> list[dict[str, Any]]:
    """The organization tree's health for the dashboard (``portal.views.ACTIVITY_SOURCES``):
    how many organizations in ``user``'s scope each rule flags (organizations.health). Three
    queries, whatever the size of the tree."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from .health import health_summary

    summary = health_summary(user)
    tree = reverse("organizations:tree")

    def card(key: str, title: str, codes: tuple[str, ...], note: str, url: str = tree):
        return {
            "key": key,
            "title": title,
            "value": sum(summary.get(code, 0) for code in codes),
            "denominator": None,
            "url": url,
            "note": note,
        }

    return [
        card(
            "org_size_rules",
            _("Organizations against the size rules"),
            ("branch_too_small", "branch_too_large", "general_branch_size", "committee_too_small"),
            _(
                "Branches under 3 full members or over 50, general branches outside 50–100, "
                "committees under 100"
            ),
        ),
        card(
            "org_elections_due",
            _("Elections due"),
            ("term_over", "term_ending"),
            _("Terms ended or ending within 90 days"),
        ),
        card(
            "org_suspension_due",
            _("Organizations with members out of contact 6+ months"),
            ("suspension_due",),
            _("Due for the branch's suspension decision"),
            reverse("members:suspension_due"),
        ),
    ]
