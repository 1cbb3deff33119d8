"""Job-fair and mass-organization figures against small hand-built data, and their rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ecosystem.jobfairs import selectors as fairs
from ecosystem.jobfairs import services as fair_services
from ecosystem.jobfairs.models import JobApplication, Position
from ecosystem.massorgs import selectors as massorgs
from ecosystem.massorgs import services as massorg_services
from ecosystem.massorgs.models import MassOrganization, ServiceProject

from . import helpers as h

pytestmark = pytest.mark.django_db


def test_positions_matched_are_the_hires(world):
    """Two fairs: fair 1 has two employers, positions of 3 + 2 openings, 4 applications of
    which 2 hired (March, April); fair 2 (the other committee's) has 1 hire."""
    f1 = h.fair(world, viewers=3000, peak_viewers=500)
    e1, e2 = h.employer(world), h.employer(world)
    p1 = h.position(world, fair=f1, employer=e1, headcount=3)
    p2 = h.position(world, fair=f1, employer=e2, headcount=2, industry="logistics")
    h.application(world, position=p1, status="hired", hired_on=dt.date(2026, 3, 5))
    h.application(world, position=p1, status="rejected")
    h.application(world, position=p2, status="hired", hired_on=dt.date(2026, 4, 2))
    h.application(world, position=p2, status="interviewed", interviewed_on=dt.date(2026, 4, 1))
    other = h.position(world, mine=False, headcount=1)
    h.application(world, position=other, status="hired", hired_on=dt.date(2026, 3, 9))

    mine = fairs.fair_stats(world.secretary_delivery)
    assert mine.totals == {
        "fairs": 1,
        "employers": 2,
        "positions": 2,
        "openings": 5,
        "applications": 4,
        "interviewed": 1,
        "matched": 2,
        "viewers": 3000,
    }
    assert {r["code"]: r["matched"] for r in mine.by_industry} == {
        "manufacturing": 1,
        "logistics": 1,
    }
    assert mine.by_month == [
        {"month": "2026-03", "matched": 1},
        {"month": "2026-04", "matched": 1},
    ]
    assert mine.by_district == [{"name": "天宁区", "applications": 4, "matched": 2}]
    assert [(r["employers"], r["matched"]) for r in mine.by_event] == [(2, 2)]
    city = fairs.fair_stats(world.staff)
    assert city.totals["matched"] == 3 and city.totals["fairs"] == 2


def test_a_position_needs_a_participating_employer_and_an_ordered_pay_range(world):
    fair = h.fair(world)
    outsider = h.employer(world)
    data = {
        "fair": fair,
        "employer": outsider,
        "title": "普工",
        "headcount": 2,
        "pay_min": Decimal("6000"),
        "pay_max": Decimal("5000"),
        "industry": "manufacturing",
        "region": world.district_a,
    }
    with pytest.raises(ValidationError) as exc:
        fair_services.position_create(actor=world.secretary_delivery, data=data)
    assert {"employer", "pay_max"} <= set(exc.value.message_dict)
    assert not Position.objects.exists()


def test_a_fair_of_another_committee_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        fair_services.job_fair_create(
            actor=world.secretary_delivery,
            data={
                "title": "越权专场",
                "held_on": dt.date(2026, 4, 1),
                "host_organization": world.committee_express,
                "region": world.district_a,
                "platform": "douyin",
                "account": "x",
            },
        )
    assert "host_organization" in exc.value.message_dict


def test_an_application_needs_a_name_or_a_worker(world):
    p = h.position(world)
    with pytest.raises(ValidationError) as exc:
        fair_services.application_create(actor=world.staff, data={"position": p})
    assert "applicant_name" in exc.value.message_dict
    assert not JobApplication.objects.exists()


def test_mass_organization_figures(world):
    """Women's federation of 30 and a union of 40 on the covered delivery outlet; a care class
    (25 children of 30 beneficiaries, 12 sessions), a credit referral of 300,000 yuan, two
    mediation cases (one settled from an appeal-free start, recovering 8,000.50 yuan)."""
    wf = h.mass_org(world, member_count=30)
    union = h.mass_org(
        world,
        kind="union",
        attachment="enterprise",
        enterprise=world.ent_delivery_a,
        member_count=40,
    )
    h.project(world, organization=wf, beneficiaries=30, children_enrolled=25, sessions=12)
    h.project(
        world, organization=wf, kind="startup_credit", beneficiaries=3, amount=Decimal("300000")
    )
    mediation = h.project(world, organization=union, kind="mediation")
    h.case(
        world,
        project=mediation,
        status="settled",
        closed_on=dt.date(2026, 3, 9),
        workers_involved=4,
        amount_recovered=Decimal("8000.50"),
    )
    h.case(world, project=mediation)
    h.mass_org(world, mine=False, member_count=99)  # the other committee's

    s = massorgs.massorg_stats(world.secretary_delivery)
    kinds = {r["kind"]: (r["organizations"], r["members"]) for r in s.by_kind}
    assert kinds == {"union": (1, 40), "youth_league": (0, 0), "womens_federation": (1, 30)}
    projects = {r["kind"]: r for r in s.projects}
    assert projects["care_class"]["projects"] == 1
    assert projects["care_class"]["children_enrolled"] == 25
    assert projects["care_class"]["sessions"] == 12
    assert projects["startup_credit"]["amount"] == Decimal("300000.00")
    assert s.mediation["cases"] == 2 and s.mediation["settled"] == 1
    assert s.mediation["workers"] == 5
    assert s.mediation["recovered"] == Decimal("8000.50")
    # Coverage: of the operating enterprises the delivery secretary sees (the platform, the
    # two delivery outlets), one has a union.
    union_cov = next(c for c in s.coverage if c["kind"] == "union")
    assert (union_cov["numerator"], union_cov["denominator"]) == (1, 3)
    city = massorgs.massorg_stats(world.staff)
    assert {r["kind"]: r["organizations"] for r in city.by_kind}["womens_federation"] == 2


def test_mass_organization_rules_are_field_errors(world):
    with pytest.raises(ValidationError) as exc:
        massorg_services.mass_organization_create(
            actor=world.secretary_delivery,
            data={
                "kind": "union",
                "name": "x",
                "attachment": "industry",
                "region": world.district_a,
                "leading_organization": world.branch_delivery,
            },
        )
    assert "industry" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        massorg_services.mass_organization_create(
            actor=world.secretary_delivery,
            data={
                "kind": "union",
                "name": "y",
                "attachment": "region",
                "region": world.district_a,
                "leading_organization": world.branch_express,
            },
        )
    assert "leading_organization" in exc.value.message_dict
    assert not MassOrganization.objects.exists()
    org = h.mass_org(world)
    with pytest.raises(ValidationError) as exc:
        massorg_services.service_project_create(
            actor=world.secretary_delivery,
            data={
                "organization": org,
                "kind": "care_class",
                "name": "z",
                "starts_on": dt.date(2026, 7, 1),
                "ends_on": dt.date(2026, 6, 1),
                "beneficiaries": 5,
                "children_enrolled": 9,
            },
        )
    assert {"ends_on", "beneficiaries"} <= set(exc.value.message_dict)
    assert not ServiceProject.objects.exists()
