"""Reads of the mass organizations, scoped, and their figures (counted from records).

- organizations and members by kind (union, youth league, women's federation);
- service projects by kind: projects, beneficiaries, children enrolled (care classes),
  sessions, credit granted (start-up credit);
- mediation: cases, settled, workers involved, wages recovered, cases started from an appeal;
- coverage: operating enterprises in scope with an organization of each kind ÷ all operating
  enterprises in scope (numerator and denominator, never just a percentage).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from organizations.choices import EnterpriseStatus
from organizations.models import Enterprise
from organizations.scoping import visible

from .choices import MassOrgKind, MediationStatus, ProjectKind
from .models import MassOrganization, MediationCase, ServiceProject

ZERO = Decimal("0.00")


def mass_organizations_for(user: Any) -> QuerySet[MassOrganization]:
    return visible(MassOrganization, user).select_related(
        "enterprise", "industry", "region", "leading_organization"
    )


def projects_for(user: Any) -> QuerySet[ServiceProject]:
    return visible(ServiceProject, user).select_related("organization")


def cases_for(user: Any) -> QuerySet[MediationCase]:
    return visible(MediationCase, user).select_related("project", "project__organization", "appeal")


@dataclass
class MassOrgStats:
    by_kind: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    mediation: dict[str, Any] = field(default_factory=dict)
    coverage: list[dict[str, Any]] = field(default_factory=list)


def massorg_stats(user: Any) -> MassOrgStats:
    """Seven queries, whatever the data."""
    labels = dict(MassOrgKind.choices)
    orgs = visible(MassOrganization, user)
    rows = {
        r["kind"]: r
        for r in orgs.order_by()
        .values("kind")
        .annotate(n=Count("pk"), members=Coalesce(Sum("member_count"), 0))
    }
    by_kind = [
        {
            "kind": kind,
            "name": str(labels[kind]),
            "organizations": rows.get(kind, {}).get("n", 0),
            "members": rows.get(kind, {}).get("members", 0),
        }
        for kind in MassOrgKind.values
    ]
    project_labels = dict(ProjectKind.choices)
    prow = {
        r["kind"]: r
        for r in visible(ServiceProject, user)
        .order_by()
        .values("kind")
        .annotate(
            n=Count("pk"),
            beneficiaries=Coalesce(Sum("beneficiaries"), 0),
            children=Coalesce(Sum("children_enrolled"), 0),
            sessions=Coalesce(Sum("sessions"), 0),
            amount=Sum("amount"),
        )
    }
    projects = [
        {
            "kind": kind,
            "name": str(project_labels[kind]),
            "projects": prow.get(kind, {}).get("n", 0),
            "beneficiaries": prow.get(kind, {}).get("beneficiaries", 0),
            "children_enrolled": prow.get(kind, {}).get("children", 0),
            "sessions": prow.get(kind, {}).get("sessions", 0),
            "amount": (prow.get(kind, {}).get("amount") or ZERO).quantize(ZERO),
        }
        for kind in ProjectKind.values
    ]
    m = (
        visible(MediationCase, user)
        .order_by()
        .aggregate(
            cases=Count("pk"),
            settled=Count("pk", filter=Q(status=MediationStatus.SETTLED)),
            open=Count("pk", filter=Q(status=MediationStatus.OPEN)),
            from_appeals=Count("pk", filter=Q(appeal__isnull=False)),
            workers=Coalesce(Sum("workers_involved"), 0),
            recovered=Sum("amount_recovered"),
        )
    )
    m["recovered"] = (m["recovered"] or ZERO).quantize(ZERO)
    enterprises = visible(Enterprise, user).filter(status=EnterpriseStatus.OPERATING)
    has = {
        kind: Exists(MassOrganization.objects.filter(enterprise=OuterRef("pk"), kind=kind))
        for kind in MassOrgKind.values
    }
    agg = enterprises.order_by().aggregate(
        total=Count("pk"),
        **{kind: Count("pk", filter=Q(has[kind])) for kind in MassOrgKind.values},
    )
    coverage = [
        {
            "kind": kind,
            "name": str(labels[kind]),
            "numerator": agg[kind],
            "denominator": agg["total"],
            "percent": round(100 * agg[kind] / agg["total"], 1) if agg["total"] else None,
        }
        for kind in MassOrgKind.values
    ]
    return MassOrgStats(by_kind, projects, m, coverage)


COVERAGE_TITLES = {
    MassOrgKind.UNION: _lazy("Enterprises with a union"),
    MassOrgKind.YOUTH_LEAGUE: _lazy("Enterprises with a youth-league organization"),
    MassOrgKind.WOMENS_FEDERATION: _lazy("Enterprises with a women's-federation organization"),
}


def dashboard_figures(user: Any) -> list[dict[str, Any]]:
    """Cards: women's-federation organizations, care classes, mediation cases settled, and
    the coverage: enterprises with a union, a youth-league and a women's-federation
    organization (each of all operating enterprises in scope)."""
    stats = massorg_stats(user)
    url = reverse("ecosystem_massorgs:stats")
    kinds = {r["kind"]: r for r in stats.by_kind}
    projects = {r["kind"]: r for r in stats.projects}
    note = _("one leads three (一引三带)")
    return [
        {
            "key": "womens_federation_orgs",
            "title": _("Women's-federation organizations"),
            "value": kinds[MassOrgKind.WOMENS_FEDERATION]["organizations"],
            "denominator": None,
            "url": reverse("ecosystem_massorgs:list"),
            "note": note,
        },
        {
            "key": "care_classes",
            "title": _("Care classes"),
            "value": projects[ProjectKind.CARE_CLASS]["projects"],
            "denominator": None,
            "url": url,
            "note": note,
        },
        {
            "key": "mediation_settled",
            "title": _("Labour disputes mediated"),
            "value": stats.mediation["settled"],
            "denominator": stats.mediation["cases"],
            "rate_label": _("of the mediation cases settled"),
            "url": url,
            "note": note,
        },
        *[
            {
                "key": f"enterprises_with_{c['kind']}",
                "title": COVERAGE_TITLES[c["kind"]],
                "value": c["numerator"],
                "denominator": c["denominator"],
                "url": url,
                "note": note,
            }
            for c in stats.coverage
        ],
    ]
