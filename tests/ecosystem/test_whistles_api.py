"""The whistles' REST endpoints: scoped list and detail (404 outside), raise with routing,
field errors that write nothing, report and resolve by the member unit, the policy catalogue
kept by city-wide staff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ecosystem.whistles.models import Policy, Whistle, WhistleAssignment
from tests.base import api_client, assert_error_format, ids_of

pytestmark = pytest.mark.django_db


def test_list_and_detail_are_scoped(world, chain, raise_whistle):
    mine = raise_whistle()
    theirs = raise_whistle(enterprise=chain.outsider, departments=[chain.resources])
    client = api_client(chain.secretary)
    assert ids_of(client.get(reverse("whistle-list"))) == {mine.pk}
    assert_error_format(client.get(reverse("whistle-detail", args=[theirs.pk])), 404, "not_found")
    body = client.get(reverse("whistle-detail", args=[mine.pk])).json()
    assert body["assignments"][0]["department"] == chain.finance.code
    # The finance unit sees what is assigned to it, nothing else.
    unit = api_client(chain.finance_staff)
    assert ids_of(unit.get(reverse("whistle-list"))) == {mine.pk}
    assert ids_of(unit.get(reverse("whistle-assignment-list"))) == {mine.assignments.get().pk}


def test_raise_routes_and_bad_input_writes_nothing(world, chain):
    client = api_client(chain.secretary)
    response = client.post(
        reverse("whistle-list"),
        {
            "enterprise": chain.supplier.pk,
            "category": "talent",
            "title": "电池研发人才缺口",
            "departments": ["finance", "resources"],
        },
    )
    assert response.status_code == 201, response.content[:500]
    body = response.json()
    assert body["status"] == "routed" and len(body["assignments"]) == 2
    bad = client.post(
        reverse("whistle-list"),
        {"enterprise": chain.outsider.pk, "category": "weather", "title": ""},
    )
    fields = assert_error_format(bad, 400, "invalid")["fields"]
    assert {"enterprise", "category", "title"} <= set(fields)
    assert Whistle.objects.count() == 1


def test_the_unit_reports_and_resolves_through_the_api(world, chain, raise_whistle):
    assignment = raise_whistle().assignments.get()
    policy = Policy.objects.create(title="科技贷", category="financing")
    unit = api_client(chain.finance_staff)
    early = unit.post(
        reverse("whistle-assignment-resolve", args=[assignment.pk]), {"outcome": "已放款"}
    )
    assert "status" in assert_error_format(early, 400, "invalid")["fields"]
    ok = unit.post(reverse("whistle-assignment-report", args=[assignment.pk]), {"note": "收到"})
    assert ok.status_code == 200 and ok.json()["status"] == "reported"
    negative = unit.post(
        reverse("whistle-assignment-resolve", args=[assignment.pk]),
        {"outcome": "已放款", "loan_amount": "-5"},
    )
    assert "loan_amount" in assert_error_format(negative, 400, "invalid")["fields"]
    done = unit.post(
        reverse("whistle-assignment-resolve", args=[assignment.pk]),
        {"outcome": "已放款", "loan_amount": "5000000.00", "policies": [policy.pk]},
    )
    assert done.status_code == 200, done.content[:300]
    assert WhistleAssignment.objects.get().loan_amount == 5000000
    assert Whistle.objects.get().status == "resolved"


def test_the_policy_catalogue_is_kept_by_city_wide_staff(world, chain):
    payload = {"title": "稳岗返还", "category": "talent", "department": "finance"}
    refused = api_client(chain.secretary).post(reverse("enterprise-policy-list"), payload)
    assert refused.status_code in (400, 403)
    assert not Policy.objects.exists()
    created = api_client(world.staff).post(reverse("enterprise-policy-list"), payload)
    assert created.status_code == 201, created.content[:300]
    listed = api_client(chain.secretary).get(reverse("enterprise-policy-list"))
    assert ids_of(listed) == {created.json()["id"]}
