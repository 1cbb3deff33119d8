"""The demo's mass organizations and their service projects (see ``demo.ecosystem``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q

from appeals.models import Appeal
from ecosystem.massorgs.models import MassOrganization, MediationCase, ServiceProject
from organizations.choices import (
    EnterpriseStatus,
    OrganizationKind,
)
from organizations.models import Enterprise, PartyOrganization

# --- mass organizations -------------------------------------------------------------------------


def _seed_massorgs(rng, sizes, now, districts, wc) -> dict[str, Any]:
    wf_n, care_n = sizes[5], sizes[6]
    enterprises = list(
        Enterprise.objects.filter(status=EnterpriseStatus.OPERATING)
        .select_related("party_organization", "industry", "region")
        .order_by("pk")
    )
    committees = {
        o.industry_id: o
        for o in PartyOrganization.objects.filter(kind=OrganizationKind.INDUSTRY_COMMITTEE)
    }
    counts = {"womens_federation": wf_n, "union": wf_n * 2, "youth_league": wf_n * 5 // 7}
    labels = {"womens_federation": "妇联", "union": "工会", "youth_league": "团支部"}
    orgs = []
    names = set()
    for kind, n in counts.items():
        picks = rng.sample(enterprises, min(n, len(enterprises)))
        for i in range(n):
            where = rng.random()
            if where < 0.7 and i < len(picks):
                e = picks[i]
                leader = e.party_organization or committees.get(e.industry_id) or wc
                data = {
                    "attachment": "enterprise",
                    "enterprise": e,
                    "region": e.region,
                    "leading_organization": leader,
                    "name": f"{e.name}{labels[kind]}",
                }
            elif where < 0.85 and committees:
                industry_id, committee = rng.choice(sorted(committees.items()))
                data = {
                    "attachment": "industry",
                    "industry_id": industry_id,
                    "region": committee.region or wc.region,
                    "leading_organization": committee,
                    "name": f"{committee.short_name or committee.name}新就业群体{labels[kind]}",
                }
            else:
                district = rng.choice(districts)
                data = {
                    "attachment": "region",
                    "region": district,
                    "leading_organization": wc,
                    "name": f"{district.name}新就业群体{labels[kind]}",
                }
            base, k = data["name"], 2
            while (kind, data["name"]) in names:
                data["name"] = f"{base}（{k}）"
                k += 1
            names.add((kind, data["name"]))
            orgs.append(
                MassOrganization(
                    kind=kind,
                    member_count=rng.randint(8, 160),
                    founded_on=now.date() - dt.timedelta(days=rng.randint(60, 2000)),
                    **data,
                )
            )
    MassOrganization.objects.bulk_create(orgs)
    wf = [o for o in orgs if o.kind == "womens_federation"]
    unions = [o for o in orgs if o.kind == "union"]
    year_start = dt.date(now.year, 1, 1)
    projects = []
    for i in range(care_n):
        org = wf[i % len(wf)] if i % 3 else unions[i % len(unions)]
        children = rng.randint(20, 60)
        start = dt.date(now.year if now.month > 7 else now.year - 1, 7, 1) + dt.timedelta(i % 10)
        projects.append(
            ServiceProject(
                organization=org,
                kind="care_class",
                name=f"{org.region.name}暑期爱心托管班{i + 1}",
                starts_on=start,
                ends_on=start + dt.timedelta(days=55),
                beneficiaries=children,
                children_enrolled=children,
                sessions=rng.randint(24, 48),
            )
        )
    mediation = []
    for i in range(max(care_n // 3, 2)):
        org = unions[i % len(unions)]
        mediation.append(
            ServiceProject(
                organization=org,
                kind="mediation",
                name=f"{org.name}劳资纠纷调解室",
                starts_on=year_start - dt.timedelta(days=365),
            )
        )
    for i in range(max(care_n * 3 // 4, 3)):
        org = wf[(i * 5) % len(wf)]
        people = rng.randint(2, 15)
        projects.append(
            ServiceProject(
                organization=org,
                kind="startup_credit",
                name=f"巾帼创业贷推荐{i + 1}批",
                starts_on=year_start + dt.timedelta(days=rng.randint(0, 300)),
                beneficiaries=people,
                amount=Decimal(people * rng.randrange(50_000, 300_000, 10_000)),
            )
        )
    for i in range(max(care_n // 2, 2)):
        org = wf[(i * 7) % len(wf)]
        projects.append(
            ServiceProject(
                organization=org,
                kind="home_improvement",
                name=f"美丽家园微改造{i + 1}",
                starts_on=year_start + dt.timedelta(days=rng.randint(0, 300)),
                beneficiaries=rng.randint(10, 80),
            )
        )
    ServiceProject.objects.bulk_create([*projects, *mediation])
    wage_appeals = list(
        Appeal.objects.filter(Q(category__code="wages"))
        .order_by("pk")
        .values_list("pk", flat=True)[:60]
    )
    cases = []
    for i in range(care_n * 7):
        project = mediation[i % len(mediation)]
        opened = now.date() - dt.timedelta(days=rng.randint(1, 330))
        status = rng.choices(("settled", "failed", "open"), weights=(7, 1, 2))[0]
        closed = (
            None if status == "open" else min(opened + dt.timedelta(rng.randint(3, 40)), now.date())
        )
        cases.append(
            MediationCase(
                project=project,
                appeal_id=wage_appeals[i] if i < len(wage_appeals) and i % 2 == 0 else None,
                opened_on=opened,
                closed_on=closed,
                workers_involved=rng.randint(1, 12),
                amount_recovered=Decimal(rng.randrange(2_000, 60_000, 100))
                if status == "settled"
                else Decimal("0.00"),
                status=status,
                summary="骑手与站点工资结算纠纷",
            )
        )
    MediationCase.objects.bulk_create(cases)
    return {
        "orgs": {k: sum(1 for o in orgs if o.kind == k) for k in counts},
        "care": care_n,
        "cases": len(cases),
    }
