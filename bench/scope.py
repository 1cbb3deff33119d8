"""Scoped lists at province scale: the first API page of enterprises for each kind of grant.

Target: p95 ≤ 50 ms per page at 100,000 enterprises (the scope filter is an indexed prefix).
"""

import random

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from bench.common import Row, committee_tree, p95, timings
from core.identity import USCC_ALPHABET, make_uscc
from organizations.choices import (
    EnterpriseKind,
    GrantKind,
    OrganizationBasis,
    OrganizationKind,
    RegionLevel,
)
from organizations.models import Enterprise, PartyOrganization, Region, ScopeGrant
from organizations.roles import DISTRICT_OFFICER, INDUSTRY_SECRETARY, apply_all_role_grants
from organizations.services import enterprises_refresh_coverage

INDUSTRIES = ["food_delivery", "express", "freight", "ride_hailing", "live_streaming"]


def _uscc(n: int, region: str) -> str:
    body = ""
    for _ in range(9):
        body = USCC_ALPHABET[n % 31] + body
        n //= 31
    return make_uscc(f"91{region}{body}")


def build(n_enterprises: int, rng: random.Random):
    province = Region.objects.create(code="320000", name="江苏省", level=RegionLevel.CITY)
    districts = []
    for c in range(1, 14):
        city = Region.objects.create(
            code=f"32{c:02d}00", name=f"市{c}", level=RegionLevel.CITY, parent=province
        )
        for d in range(1, 9):
            districts.append(
                Region.objects.create(
                    code=f"32{c:02d}{d:02d}",
                    name=f"区{c}-{d}",
                    parent=city,
                    level=RegionLevel.DISTRICT,
                )
            )
    industries, committees = committee_tree(province, INDUSTRIES)
    branches = []
    for n in range(max(10, n_enterprises // 50)):
        committee = committees[n % len(committees)]
        branches.append(
            PartyOrganization.objects.create(
                code=f"br-{n}",
                name=f"联合支部{n}",
                kind=OrganizationKind.JOINT_BRANCH,
                basis=OrganizationBasis.JOINT,
                industry=committee.industry,
                parent=committee,
            )
        )
    batch = []
    for n in range(n_enterprises):
        region = districts[rng.randrange(len(districts))]
        industry = industries[rng.randrange(len(industries))]
        branch = branches[rng.randrange(len(branches))] if rng.random() < 0.4 else None
        if branch is not None and branch.industry_id != industry.pk:
            branch = None
        batch.append(
            Enterprise(
                uscc=_uscc(n, region.code),
                name=f"企业{n}",
                kind=EnterpriseKind.OUTLET,
                industry=industry,
                region=region,
                party_organization=branch,
                worker_count=rng.randint(5, 200),
            )
        )
    Enterprise.objects.bulk_create(batch, batch_size=5000)
    enterprises_refresh_coverage()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does after a bulk load
    apply_all_role_grants()
    user_model = get_user_model()
    secretary = user_model.objects.create_user("bench_sec", password="x", is_staff=True)
    secretary.groups.add(*_groups(INDUSTRY_SECRETARY))
    ScopeGrant.objects.create(
        user=secretary, kind=GrantKind.ORGANIZATION, organization=committees[0]
    )
    officer = user_model.objects.create_user("bench_officer", password="x", is_staff=True)
    officer.groups.add(*_groups(DISTRICT_OFFICER))
    ScopeGrant.objects.create(user=officer, kind=GrantKind.REGION, region=districts[3])
    return {"industry secretary": secretary, "district officer": officer}


def _groups(name):
    from django.contrib.auth.models import Group

    return Group.objects.filter(name=name)


def run(small: bool) -> list[Row]:
    n = 3_000 if small else 100_000
    users = build(n, random.Random(7))
    rows = []
    for label, user in users.items():
        client = Client()
        client.force_login(user)
        url = "/api/v1/enterprises/?page_size=50"
        assert client.get(url).status_code == 200
        values = timings(lambda c=client, u=url: c.get(u), 30 if small else 100)
        value = p95(values)
        rows.append(
            Row(
                "scope",
                f"enterprise API page, {label}, {n:,} units",
                value,
                "ms",
                "p95 ≤ 50 ms",
                value <= 50,
            )
        )
    return rows
