"""The organization-life endpoints through the shared suites, plus the partner faces: the
idempotent dues push, check-in by code, a member's upcoming meetings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from branchlife import services
from branchlife.choices import MeetingKind
from branchlife.models import DuesMonth, DuesPayment, Participation
from tests import factories as f
from tests.base import APICRUDSuite, APIReadOnlySuite, api_client, assert_error_format

from .helpers import meeting


class TestMeetingsAPI(APICRUDSuite):
    basename = "branchlife-meeting"
    user = "secretary_delivery"
    bad_fields = ("kind", "organization")

    def make_visible(self, world):
        return meeting(world.branch_delivery, when=timezone.now(), held=False)

    def make_invisible(self, world):
        return meeting(world.branch_express, when=timezone.now(), held=False)

    def create_payload(self, world):
        return {
            "organization": world.branch_delivery.pk,
            "kind": "theme_day",
            "title": "主题党日：走进红色驿站",
            "starts_at": "2026-05-10T19:00:00+08:00",
        }

    def update_payload(self, world):
        return {"title": "主题党日（改期）"}

    def bad_payload(self, world):
        return {
            "organization": world.branch_express.pk,
            "kind": "picnic",
            "title": "x",
            "starts_at": "2026-05-10T19:00:00+08:00",
        }


class TestElectionsAPI(APICRUDSuite):
    basename = "branchlife-election"
    user = "secretary_delivery"
    bad_fields = ("secretary_name",)

    def _data(self, world, **kw):
        return {
            "organization": world.branch_delivery,
            "held_on": dt.date(2026, 1, 5),
            "committee": "王强\n李娜",
            "secretary_name": "王强",
            "term_ends_on": dt.date(2029, 1, 4),
            **kw,
        }

    def make_visible(self, world):
        return services.election_create(actor=world.staff, data=self._data(world))

    def make_invisible(self, world):
        return services.election_create(
            actor=world.staff, data=self._data(world, organization=world.branch_express)
        )

    def create_payload(self, world):
        return {
            "organization": world.branch_delivery.pk,
            "held_on": "2026-02-01",
            "committee": "赵磊\n钱敏",
            "secretary_name": "赵磊",
            "term_ends_on": "2029-01-31",
        }

    def update_payload(self, world):
        return {"note": "差额选举"}

    def bad_payload(self, world):
        return {**self.create_payload(world), "secretary_name": "不在名单"}


class TestDeclarationsAPI(APICRUDSuite):
    basename = "branchlife-declaration"
    user = "secretary_delivery"
    bad_fields = ("member", "monthly_income")

    def make_visible(self, world):
        member = f.PartyMemberFactory(organization=world.branch_delivery)
        return services.declaration_create(
            actor=world.staff,
            data={"member": member, "year": 2026, "monthly_income": Decimal("4000")},
        )

    def make_invisible(self, world):
        member = f.PartyMemberFactory(organization=world.branch_express)
        return services.declaration_create(
            actor=world.staff,
            data={"member": member, "year": 2026, "monthly_income": Decimal("4000")},
        )

    def create_payload(self, world):
        member = f.PartyMemberFactory(organization=world.branch_delivery)
        return {"member": member.member_id, "year": 2026, "monthly_income": "6000.00"}

    def update_payload(self, world):
        return {"monthly_income": "9000.00"}

    def bad_payload(self, world):
        other = f.PartyMemberFactory(organization=world.branch_express)
        return {"member": other.member_id, "year": 2026, "monthly_income": "-1"}


class TestParticipationsAPI(APIReadOnlySuite):
    basename = "branchlife-participation"
    user = "secretary_delivery"

    def make_visible(self, world):
        m = f.PartyMemberFactory(organization=world.branch_delivery)
        return Participation.objects.create(
            meeting=meeting(world.branch_delivery, when=timezone.now()), member=m, status="present"
        )

    def make_invisible(self, world):
        m = f.PartyMemberFactory(organization=world.branch_express)
        return Participation.objects.create(
            meeting=meeting(world.branch_express, when=timezone.now()), member=m, status="present"
        )


def _payment_body(member, months=("2026-01", "2026-02"), amount="80.00"):
    return {
        "member": member.member_id,
        "months": list(months),
        "amount": amount,
        "channel": "partner",
        "receipt_number": "WX-001",
        "paid_on": "2026-02-03",
    }


def test_dues_push_is_idempotent(world, people):
    client = api_client(world.secretary_delivery)
    url = reverse("branchlife-payment-list")
    body = _payment_body(people.member_delivery)
    first = client.post(url, body, HTTP_IDEMPOTENCY_KEY="pay-1")
    assert first.status_code == 201, first.content
    assert first.json()["months"] == ["2026-01", "2026-02"]
    again = client.post(url, body, HTTP_IDEMPOTENCY_KEY="pay-1")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert DuesPayment.objects.count() == 1 and DuesMonth.objects.count() == 2
    reused = client.post(url, {**body, "amount": "90.00"}, HTTP_IDEMPOTENCY_KEY="pay-1")
    assert_error_format(reused, 422, "idempotency_key_reused")
    # Without the key, the same months again: a field error and nothing written.
    twice = client.post(url, body)
    error = assert_error_format(twice, 400, "invalid")
    assert "months" in error["fields"]
    assert DuesPayment.objects.count() == 1


def test_dues_push_refuses_bad_input_and_out_of_scope(world, people):
    client = api_client(world.secretary_delivery)
    url = reverse("branchlife-payment-list")
    for body, field in (
        (_payment_body(people.member_delivery, amount="-5"), "amount"),
        (_payment_body(people.member_delivery, months=["2026-13"]), "months"),
        (_payment_body(people.member_delivery, months=["2026-01", "2026-01"]), "months"),
        (_payment_body(people.member_express), "member"),
    ):
        error = assert_error_format(client.post(url, body), 400, "invalid")
        assert any(k.split(".")[0] == field for k in error["fields"]), (field, error)
    assert not DuesPayment.objects.exists()


def test_check_in_endpoint(world, people):
    now_meeting = meeting(
        world.branch_delivery,
        MeetingKind.THEME_DAY,
        when=timezone.now() - dt.timedelta(minutes=5),
        held=False,
    )
    url = reverse("branchlife-meeting-check-ins", args=[now_meeting.pk])
    client = api_client(world.partner)
    body = {"member": people.mobile_member.member_id, "code": now_meeting.check_in_code}
    first = client.post(url, body)
    assert first.status_code == 201, first.content
    assert client.post(url, body).status_code == 200
    wrong = client.post(url, {**body, "code": "NOPE"})
    assert "code" in assert_error_format(wrong, 400)["fields"]
    stranger = client.post(url, {**body, "member": people.member_express.member_id})
    assert "member" in assert_error_format(stranger, 400)["fields"]
    assert Participation.objects.count() == 1


def test_upcoming_meetings_endpoint(world, people):
    soon = meeting(world.branch_delivery, when=timezone.now() + dt.timedelta(days=2), held=False)
    url = reverse("branchlife-upcoming", args=[people.member_delivery.member_id])
    response = api_client(world.secretary_delivery).get(url)
    assert response.status_code == 200
    assert [m["id"] for m in response.json()["results"]] == [soon.pk]
    outside = api_client(world.secretary_express).get(url)
    assert_error_format(outside, 404, "not_found")
