"""The ecosystem's REST endpoints on the shared API suites (scope, 404 outside, field errors
that write nothing, audited writes, constant queries), and the partner flow: open positions
near a worker, apply on the worker's behalf, follow the application's status."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ecosystem.jobfairs.models import JobApplication
from tests import factories as f
from tests.base import APICRUDSuite, APIReadSuite, api_client, assert_error_format

from . import helpers as h

pytestmark = pytest.mark.django_db


class TestJobFairsAPI(APICRUDSuite):
    basename = "job-fair"
    user = "secretary_delivery"
    bad_fields = ("held_on", "host_organization")

    def make_visible(self, world):
        return h.fair(world)

    def make_invisible(self, world):
        return h.fair(world, mine=False)

    def create_payload(self, world):
        return {
            "title": "外卖骑手转岗专场",
            "held_on": "2026-04-01",
            "host_organization": world.committee_delivery.code,
            "region": world.district_a.code,
            "platform": "douyin",
            "account": "czrc",
            "viewers": 5000,
            "peak_viewers": 800,
        }

    def update_payload(self, world):
        return {"viewers": 9000}

    def bad_payload(self, world):
        return {
            **self.create_payload(world),
            "held_on": "not a date",
            "host_organization": world.committee_express.code,
        }


def test_a_peak_above_the_viewers_is_a_field_error(world):
    payload = TestJobFairsAPI().create_payload(world) | {"viewers": 10, "peak_viewers": 20}
    response = api_client(world.secretary_delivery).post(reverse("job-fair-list"), payload)
    assert "peak_viewers" in assert_error_format(response, 400, "invalid")["fields"]
    from ecosystem.jobfairs.models import JobFair

    assert not JobFair.objects.exists()


class TestPositionsAPI(APICRUDSuite):
    basename = "job-position"
    user = "secretary_delivery"
    bad_fields = ("employer",)

    def make_visible(self, world):
        return h.position(world)

    def make_invisible(self, world):
        return h.position(world, mine=False, status="closed")

    def create_payload(self, world):
        fair = h.fair(world)
        employer = h.employer(world)
        from ecosystem.jobfairs.models import FairParticipation

        FairParticipation.objects.create(fair=fair, employer=employer)
        return {
            "fair": fair.pk,
            "employer": employer.pk,
            "title": "仓储分拣员",
            "headcount": 5,
            "pay_min": "4500.00",
            "pay_max": "6000.00",
            "industry": "logistics",
            "region": world.district_a.code,
        }

    def update_payload(self, world):
        return {"headcount": 8}

    def bad_payload(self, world):
        # An employer that does not take part in the fair.
        return {**self.create_payload(world), "employer": h.employer(world).pk}


class TestApplicationsAPI(APIReadSuite):
    basename = "job-application"
    user = "secretary_delivery"
    read_only = False

    def make_visible(self, world):
        return h.application(world)

    def make_invisible(self, world):
        return h.application(world, mine=False)


def test_a_partner_finds_positions_near_a_worker_applies_and_follows(world):
    near = h.position(world, mine=False, at=(31.78, 119.95))
    h.position(world, at=(32.50, 120.90))  # ~110 km away
    h.position(world, at=(31.781, 119.951), status="closed")  # closed: not offered
    rider = f.WorkerFactory(
        source="meituan",
        external_id="MT-ECO-1",
        industry=world.delivery,
        region=world.street_a,
        enterprise=world.ent_delivery_a,
        platform=world.platform,
    )
    client = api_client(world.partner)
    response = client.get(reverse("job-position-near"), {"lat": 31.79, "lng": 119.96, "km": 5})
    assert response.status_code == 200, response.content[:300]
    rows = response.json()
    assert [r["id"] for r in rows] == [near.pk]
    assert 0 < rows[0]["distance_km"] < 2
    response = client.post(
        reverse("job-application-list"), {"position": near.pk, "worker": rider.pk}
    )
    assert response.status_code == 201, response.content[:500]
    body = response.json()
    assert body["status"] == "applied" and body["channel"] == "partner_app"
    assert body["applicant_name"] == rider.name
    status = client.get(reverse("job-application-detail", args=[body["id"]]))
    assert status.status_code == 200 and status.json()["status"] == "applied"
    # Twice: a field error, nothing written.
    again = client.post(reverse("job-application-list"), {"position": near.pk, "worker": rider.pk})
    assert "worker" in assert_error_format(again, 400, "invalid")["fields"]
    assert JobApplication.objects.count() == 1
    # A partner does not record the hire.
    hire = client.post(reverse("job-application-advance", args=[body["id"]]), {"status": "hired"})
    assert hire.status_code in (400, 403)
    assert JobApplication.objects.get().status == "applied"


def test_near_needs_a_valid_point(world):
    response = api_client(world.partner).get(reverse("job-position-near"), {"lat": 200, "lng": 1})
    assert "lat" in assert_error_format(response, 400, "invalid")["fields"]


def test_a_worker_outside_the_partners_scope_is_refused(world):
    p = h.position(world)
    stranger = f.WorkerFactory(industry=world.express, region=world.district_b)
    response = api_client(world.partner).post(
        reverse("job-application-list"), {"position": p.pk, "worker": stranger.pk}
    )
    assert "worker" in assert_error_format(response, 400, "invalid")["fields"]
    assert not JobApplication.objects.exists()


def test_a_closed_position_takes_no_application(world):
    p = h.position(world, status="closed")
    response = api_client(world.staff).post(
        reverse("job-application-list"), {"position": p.pk, "applicant_name": "李雷"}
    )
    assert "position" in assert_error_format(response, 400, "invalid")["fields"]
    assert not JobApplication.objects.exists()


def test_hires_never_exceed_the_openings(world):
    p = h.position(world, headcount=1)
    a = h.application(world, position=p)
    b = h.application(world, position=p)
    client = api_client(world.secretary_delivery)
    ok = client.post(reverse("job-application-advance", args=[a.pk]), {"status": "hired"})
    assert ok.status_code == 200 and ok.json()["hired_on"]
    full = client.post(reverse("job-application-advance", args=[b.pk]), {"status": "hired"})
    assert "status" in assert_error_format(full, 400, "invalid")["fields"]
    assert JobApplication.objects.filter(status="hired").count() == 1
    back = client.post(reverse("job-application-advance", args=[a.pk]), {"status": "interviewed"})
    assert "status" in assert_error_format(back, 400, "invalid")["fields"]


class TestMassOrganizationsAPI(APICRUDSuite):
    basename = "mass-organization"
    user = "secretary_delivery"
    bad_fields = ("enterprise",)

    def make_visible(self, world):
        return h.mass_org(world)

    def make_invisible(self, world):
        return h.mass_org(world, mine=False)

    def create_payload(self, world):
        return {
            "kind": "union",
            "name": "天宁美团站工会",
            "attachment": "enterprise",
            "enterprise": world.ent_delivery_a.pk,
            "leading_organization": world.branch_delivery.code,
            "member_count": 40,
        }

    def update_payload(self, world):
        return {"member_count": 55}

    def bad_payload(self, world):
        # Attached to an enterprise, but none named.
        return {**self.create_payload(world), "enterprise": None, "name": "无企业工会"}


class TestServiceProjectsAPI(APICRUDSuite):
    basename = "service-project"
    user = "secretary_delivery"
    bad_fields = ("children_enrolled",)

    def make_visible(self, world):
        return h.project(world)

    def make_invisible(self, world):
        return h.project(world, mine=False)

    def create_payload(self, world):
        return {
            "organization": h.mass_org(world).pk,
            "kind": "care_class",
            "name": "暑期爱心托管班",
            "starts_on": "2026-07-06",
            "ends_on": "2026-08-28",
            "beneficiaries": 40,
            "children_enrolled": 40,
            "sessions": 36,
        }

    def update_payload(self, world):
        return {"sessions": 40}

    def bad_payload(self, world):
        return {**self.create_payload(world), "kind": "home_improvement"}


class TestMediationCasesAPI(APICRUDSuite):
    basename = "mediation-case"
    user = "secretary_delivery"
    bad_fields = ("closed_on",)

    def make_visible(self, world):
        return h.case(world)

    def make_invisible(self, world):
        return h.case(world, mine=False)

    def create_payload(self, world):
        return {
            "project": h.project(world, kind="mediation").pk,
            "opened_on": "2026-03-01",
            "workers_involved": 3,
            "status": "open",
        }

    def update_payload(self, world):
        return {"summary": "已召集双方调解"}

    def bad_payload(self, world):
        return {**self.create_payload(world), "status": "settled"}
