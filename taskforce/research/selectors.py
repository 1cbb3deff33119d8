"""Reads of the field research, scoped (``organizations.scoping``), and its statistics, each
a COUNT or GROUP BY over the records (a constant number of queries): cadres, groups, visits
(planned and done), workers interviewed (on the roster or anonymous), demands by topic and by
outcome, outputs by kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from organizations.scoping import visible

from ..choices import DemandOutcome, OutputKind
from .models import Cadre, Campaign, Demand, Interview, ResearchGroup, ResearchOutput, Visit


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    return visible(Campaign, user).prefetch_related("units")


def groups_for(user: Any) -> QuerySet[ResearchGroup]:
    return visible(ResearchGroup, user).select_related("campaign")


def cadres_for(user: Any) -> QuerySet[Cadre]:
    return visible(Cadre, user).select_related("group", "department")


def visits_for(user: Any) -> QuerySet[Visit]:
    return visible(Visit, user).select_related("group__campaign", "enterprise")


def interviews_for(user: Any) -> QuerySet[Interview]:
    return visible(Interview, user).select_related("visit__group", "worker", "industry")


def demands_for(user: Any) -> QuerySet[Demand]:
    return visible(Demand, user).select_related(
        "campaign", "topic", "measure__policy", "appeal", "interview"
    )


def outputs_for(user: Any) -> QuerySet[ResearchOutput]:
    return visible(ResearchOutput, user).select_related("campaign")


@dataclass
class CampaignFigures:
    cadres: int = 0
    groups: int = 0
    visits_planned: int = 0
    visits_done: int = 0
    interviews: int = 0
    on_roster: int = 0
    demands: int = 0
    by_topic: list[dict] = field(default_factory=list)
    by_outcome: list[tuple[str, str, int]] = field(default_factory=list)
    outputs: list[tuple[str, str, int]] = field(default_factory=list)


def campaign_figures(user: Any, campaign: Campaign) -> CampaignFigures:
    """The campaign's figures from its records (six queries)."""
    groups = groups_for(user).filter(campaign=campaign)
    visits = (
        visible(Visit, user)
        .filter(group__campaign=campaign)
        .aggregate(planned=Count("pk"), done=Count("pk", filter=Q(visited_on__isnull=False)))
    )
    interviews = (
        visible(Interview, user)
        .filter(visit__group__campaign=campaign)
        .aggregate(n=Count("pk"), roster=Count("pk", filter=Q(worker__isnull=False)))
    )
    demands = visible(Demand, user).filter(campaign=campaign)
    rows = demands.order_by().values("topic__name", "outcome").annotate(n=Count("pk"))
    topics: dict[str, dict] = {}
    outcomes = {value: 0 for value in DemandOutcome.values}
    for row in rows:
        entry = topics.setdefault(row["topic__name"], {"topic": row["topic__name"], "total": 0})
        entry[row["outcome"]] = entry.get(row["outcome"], 0) + row["n"]
        entry["total"] += row["n"]
        outcomes[row["outcome"]] += row["n"]
    output_counts = dict(
        visible(ResearchOutput, user)
        .filter(campaign=campaign)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    labels = dict(DemandOutcome.choices)
    return CampaignFigures(
        cadres=visible(Cadre, user).filter(group__campaign=campaign).count(),
        groups=groups.count(),
        visits_planned=visits["planned"],
        visits_done=visits["done"],
        interviews=interviews["n"],
        on_roster=interviews["roster"],
        demands=sum(outcomes.values()),
        by_topic=sorted(topics.values(), key=lambda t: (-t["total"], t["topic"])),
        by_outcome=[(k, str(labels[k]), n) for k, n in outcomes.items()],
        outputs=[(k, str(label), output_counts.get(k, 0)) for k, label in OutputKind.choices],
    )
