"""The "百人万里行" research campaign: cadres, groups, visits, interviews, demands, outputs."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from appeals.models import Category
from members.models import Worker
from organizations.models import Industry
from taskforce.choices import DemandOutcome
from taskforce.models import (
    Cadre,
    Campaign,
    Demand,
    Interview,
    Measure,
    ResearchGroup,
    ResearchOutput,
    Visit,
)
from taskforce.research import services as research_services

from . import data
from .common import (
    DEMO_LINE,
    LEAD_CODE,
    UNIT_CODES,
    person_name,
    with_pdf,
)

CADRES, GROUPS, VISITS, INTERVIEWS = 143, 70, 120, 353


def seed_research(rng, actor, units, lead, today) -> tuple[Campaign, int, int]:
    start = today - dt.timedelta(days=300)
    campaign = Campaign.objects.create(
        name="“百人万里行”新就业群体专题调研",
        starts_on=start,
        ends_on=start + dt.timedelta(days=90),
        summary="组织部牵头，成员单位干部组成调研组，深入企业、站点、平台面对面听取新就业群体意见。",
    )
    campaign.units.set([lead, *units.values()])
    groups = ResearchGroup.objects.bulk_create(
        [
            ResearchGroup(campaign=campaign, name=f"第{n + 1}调研组", leader_name=person_name(rng))
            for n in range(GROUPS)
        ]
    )
    codes = [LEAD_CODE, *UNIT_CODES]
    all_units = {**units, LEAD_CODE: lead}
    # 67 groups of two and three of three: 143 cadres.
    sizes = [3 if n < CADRES - 2 * GROUPS else 2 for n in range(GROUPS)]
    cadres = Cadre.objects.bulk_create(
        [
            Cadre(
                group=g,
                name=person_name(rng),
                title=rng.choice(("处长", "副处长", "科长", "干部")),
                department=all_units[rng.choice(codes)],
            )
            for g, size in zip(groups, sizes, strict=True)
            for _ in range(size)
        ]
    )
    by_group: dict[int, list[Cadre]] = {}
    for cadre in cadres:
        by_group.setdefault(cadre.group_id, []).append(cadre)
    # Fifty groups make two visits, twenty one: 120 visits made; six more only planned.
    visits = []
    kinds = list(data.VISIT_PLACES)
    for n, group in enumerate(groups):
        for _ in range(2 if n < VISITS - GROUPS else 1):
            kind = rng.choice(kinds)
            day = start + dt.timedelta(days=rng.randint(0, 88))
            place = rng.choice(data.VISIT_PLACES[kind]).format(rng.choice(data.PLACE_NAMES))
            visits.append(
                Visit(group=group, target_kind=kind, place=place, planned_on=day, visited_on=day)
            )
    planned = [
        Visit(
            group=rng.choice(groups),
            target_kind="station",
            place=f"龙城红色驿站（{rng.choice(data.PLACE_NAMES)}）",
            planned_on=today + dt.timedelta(days=7 + n),
        )
        for n in range(6)
    ]
    Visit.objects.bulk_create(visits + planned)
    Through = Visit.cadres.through
    Through.objects.bulk_create(
        [Through(visit_id=v.pk, cadre_id=c.pk) for v in visits for c in by_group[v.group_id]]
    )
    # 113 visits with three interviews, seven with two: 353 workers.
    three = INTERVIEWS - 2 * VISITS
    workers = list(Worker.objects.order_by("pk").values_list("pk", "industry_id")[:2000])
    industries = list(Industry.objects.values_list("pk", flat=True))
    categories = {c.code: c for c in Category.objects.all()}
    topics = [c for c in data.SAID if c in categories]
    interviews, picked = [], []
    for n, visit in enumerate(visits):
        for _ in range(3 if n < three else 2):
            topic = rng.choice(topics)
            said = rng.choice(data.SAID[topic])
            if workers and rng.random() < 0.33:
                worker_id, industry_id = rng.choice(workers)
                interview = Interview(visit=visit, worker_id=worker_id, industry_id=industry_id)
            else:
                interview = Interview(
                    visit=visit,
                    industry_id=rng.choice(industries) if industries else None,
                    age_band=rng.choice(("under_25", "25_34", "35_44", "45_plus")),
                    platform_name=rng.choice(data.PLATFORMS),
                )
            interview.said = said
            interviews.append(interview)
            picked.append((topic, said))
    Interview.objects.bulk_create(interviews)
    Topics = Interview.topics.through
    Topics.objects.bulk_create(
        [
            Topics(interview_id=i.pk, category_id=categories[t].pk)
            for i, (t, _s) in zip(interviews, picked, strict=True)
        ]
    )
    measures = {m.policy.number: m for m in Measure.objects.select_related("policy")}
    topic_measure = {
        "wages": 7,
        "account_ban": 6,
        "order_cancel": 8,
        "social_insurance": 5,
        "traffic_safety": 14,
        "accommodation": 11,
        "family_children": 10,
        "health": 12,
        "rental_scam": 13,
        "other": 15,
    }
    demands = []
    for interview, (topic, said) in zip(interviews, picked, strict=True):
        if rng.random() < 0.5:
            continue
        demand = Demand(campaign=campaign, interview=interview, topic=categories[topic], text=said)
        roll = rng.random()
        number = topic_measure.get(topic)
        if roll < 0.35 and number in measures:
            demand.outcome, demand.measure = DemandOutcome.MEASURE, measures[number]
        elif roll < 0.55:
            demand.outcome, demand.policy_note = DemandOutcome.POLICY, "关心关爱新就业群体18条措施"
        elif roll < 0.7:
            demand.outcome = DemandOutcome.ANSWERED
        if demand.outcome != DemandOutcome.OPEN:
            demand.decided_at = timezone.make_aware(
                dt.datetime.combine(campaign.ends_on, dt.time(9))
            )
        demands.append(demand)
    Demand.objects.bulk_create(demands)
    # A dozen open demands go to the direct channel through the appeals' intake.
    appeals = 0
    for demand in [d for d in demands if d.outcome == DemandOutcome.OPEN][:12]:
        research_services.demand_to_appeal(actor=actor, demand=demand)
        appeals += 1
    ResearchOutput.objects.bulk_create(
        [
            with_pdf(
                ResearchOutput(
                    campaign=campaign,
                    kind=kind,
                    title=title,
                    issued_on=campaign.ends_on + dt.timedelta(days=15 * n),
                    file_name=f"research-{kind}.pdf",
                ),
                [campaign.name, DEMO_LINE],
            )
            for n, (kind, title) in enumerate(data.OUTPUTS)
        ]
    )
    # The follow-up campaign (回头看), planned: two groups, visits not made yet.
    follow_up = Campaign.objects.create(
        name="“百人万里行”回头看",
        starts_on=today + dt.timedelta(days=20),
        summary="回访首轮调研的企业、站点，检查诉求办理和措施落实情况。",
    )
    follow_up.units.set([lead, *units.values()])
    for n in range(2):
        group = ResearchGroup.objects.create(campaign=follow_up, name=f"回访第{n + 1}组")
        Visit.objects.create(
            group=group,
            target_kind="station",
            place=f"龙城红色驿站（{data.PLACE_NAMES[n]}）",
            planned_on=follow_up.starts_on + dt.timedelta(days=n),
        )
    return campaign, len(demands), appeals
