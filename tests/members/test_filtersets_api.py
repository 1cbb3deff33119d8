"""The two-finds API filters with the portal's FilterSets: one test per filter of
``MatchProposalFilterSet`` and ``CaseFilterSet`` (two records apart on every filter; each
filter keeps exactly one)."""

import datetime as dt

import pytest
from django.utils import timezone

from members.models import Case, MatchProposal
from tests import factories as f
from tests.base import api_client


@pytest.fixture
def proposals(world):
    a = MatchProposal.objects.create(
        worker=f.WorkerFactory(industry=world.delivery, region=world.district_a),
        member=f.PartyMemberFactory(organization=world.branch_delivery),
        rule="exact_id",
        score=30.0,
        status="proposed",
    )
    b = MatchProposal.objects.create(
        worker=f.WorkerFactory(industry=world.express, region=world.district_b),
        member=f.PartyMemberFactory(organization=world.branch_express),
        rule="fuzzy",
        score=12.5,
        status="rejected",
    )
    return {"a": a, "b": b}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "rejected"}, "b"),
        ({"rule": "exact_id"}, "a"),
        ({"min_score": "20"}, "a"),
        ({"industry": "@express"}, "b"),
        ({"region": "@district_a"}, "a"),
    ],
    ids=["status", "rule", "min_score", "industry", "region"],
)
def test_match_proposal_filter(world, proposals, params, expected):
    params = _resolve(world, params)
    response = api_client(world.staff).get("/api/v1/match-proposals/", params)
    assert response.status_code == 200, response.content
    assert [r["id"] for r in response.json()["results"]] == [proposals[expected].pk]


@pytest.fixture
def cases(world):
    today = timezone.localdate()
    worker_a = f.WorkerFactory(name="许文强", industry=world.delivery, region=world.district_a)
    a = Case.objects.create(
        origin="declared",
        status="discovered",
        worker=worker_a,
        member=f.PartyMemberFactory(organization=world.branch_delivery, status="probationary"),
        region=worker_a.region,
        industry=worker_a.industry,
        owner=world.staff,
        due_on=today - dt.timedelta(days=1),
    )
    worker_b = f.WorkerFactory(name="丁力", industry=world.express, region=world.district_b)
    b = Case.objects.create(
        origin="match",
        status="assigned",
        worker=worker_b,
        member=f.PartyMemberFactory(organization=world.branch_express, status="full"),
        region=worker_b.region,
        industry=worker_b.industry,
        organization=world.branch_express,
        due_on=today + dt.timedelta(days=5),
    )
    Case.objects.filter(pk=b.pk).update(
        created_at=timezone.make_aware(dt.datetime(2025, 1, 10, 12))
    )
    return {"a": a, "b": b}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "许文"}, "a"),
        ({"status": "assigned"}, "b"),
        ({"origin": "declared"}, "a"),
        ({"owner": "@staff"}, "a"),
        ({"industry": "@express"}, "b"),
        ({"region": "@district_b"}, "b"),
        ({"organization": "@branch_express"}, "b"),
        ({"member_status": "probationary"}, "a"),
        ({"overdue": "true"}, "a"),
        ({"opened_after": "2026-01-01"}, "a"),
        ({"opened_before": "2025-06-01"}, "b"),
    ],
    ids=lambda v: next(iter(v)) if isinstance(v, dict) else v,
)
def test_case_filter(world, cases, params, expected):
    params = _resolve(world, params)
    response = api_client(world.staff).get("/api/v1/cases/", params)
    assert response.status_code == 200, response.content
    assert [r["id"] for r in response.json()["results"]] == [cases[expected].pk]


def _resolve(world, params):
    """``@name``: the world's object by name, as the filter takes it (code or id)."""
    out = {}
    for key, value in params.items():
        if isinstance(value, str) and value.startswith("@"):
            obj = getattr(world, value[1:])
            value = getattr(obj, "code", None) if key in ("industry", "region") else obj.pk
        out[key] = value
    return out
