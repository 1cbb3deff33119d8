"""Builders of ecosystem records in the shared world, for the API suites (whose hooks take the
world only). Made without the shared factories' sequences, so other apps' tests see the same
numbers whether or not these ran first."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from ecosystem.jobfairs.models import Employer, FairParticipation, JobApplication, JobFair, Position
from ecosystem.massorgs.models import MassOrganization, MediationCase, ServiceProject

_n = itertools.count(1)


def fair(world, *, mine: bool = True, **extra) -> JobFair:
    n = next(_n)
    data = {
        "title": f"直播带岗专场{n}",
        "held_on": dt.date(2026, 3, 1) + dt.timedelta(days=n % 20),
        "host_organization": world.committee_delivery if mine else world.committee_express,
        "region": world.district_a,
        "platform": "douyin",
        "account": f"czjob{n}",
        "viewers": 1000,
        "peak_viewers": 100,
    }
    return JobFair.objects.create(**{**data, **extra})


def employer(world, name: str | None = None) -> Employer:
    n = next(_n)
    return Employer.objects.create(
        name=name or f"常州制造企业{n}", industry="manufacturing", region=world.district_a
    )


def position(world, *, mine: bool = True, headcount: int = 3, at=None, **extra) -> Position:
    f = extra.pop("fair", None) or fair(world, mine=mine)
    e = extra.pop("employer", None) or employer(world)
    FairParticipation.objects.get_or_create(fair=f, employer=e)
    lat, lng = at or (31.78, 119.95)
    data = {
        "fair": f,
        "employer": e,
        "title": "操作工",
        "headcount": headcount,
        "pay_min": Decimal("5000"),
        "pay_max": Decimal("7000"),
        "industry": "manufacturing",
        "region": world.district_a,
        "lat": lat,
        "lng": lng,
    }
    return Position.objects.create(**{**data, **extra})


def application(world, *, mine: bool = True, status="applied", **extra) -> JobApplication:
    p = extra.pop("position", None) or position(world, mine=mine)
    data = {
        "position": p,
        "applicant_name": "王芳",
        "channel": "staff",
        "status": status,
        "hired_on": dt.date(2026, 3, 5) if status == "hired" else None,
    }
    return JobApplication.objects.create(**{**data, **extra})


def mass_org(world, *, mine: bool = True, kind: str = "womens_federation", **extra):
    n = next(_n)
    return MassOrganization.objects.create(
        kind=kind,
        name=f"新就业群体妇联{n}",
        attachment=extra.pop("attachment", "region"),
        region=world.district_a,
        leading_organization=world.branch_delivery if mine else world.branch_express,
        member_count=extra.pop("member_count", 30),
        **extra,
    )


def project(world, *, mine: bool = True, kind: str = "care_class", **extra) -> ServiceProject:
    org = extra.pop("organization", None) or mass_org(world, mine=mine)
    n = next(_n)
    return ServiceProject.objects.create(
        organization=org,
        kind=kind,
        name=f"爱心托管班{n}",
        starts_on=dt.date(2026, 7, 1),
        **extra,
    )


def case(world, *, mine: bool = True, **extra) -> MediationCase:
    p = extra.pop("project", None) or project(world, mine=mine, kind="mediation")
    return MediationCase.objects.create(project=p, opened_on=dt.date(2026, 3, 1), **extra)
