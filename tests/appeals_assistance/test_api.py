"""The assistance API: scoped CRUD of funds (the shared suite), disbursements listed, made and
cancelled through the services with the same field errors, and Idempotency-Key on create."""

from decimal import Decimal

import pytest

from appeals.assistance import services
from appeals.assistance.choices import DisbursementStatus
from appeals.models import AssistanceFund, Disbursement
from core.models import AuditEvent, IdempotencyRecord
from tests import factories as f
from tests.base import APICRUDSuite, APIReadSuite, api_client, assert_error_format, ids_of

from .helpers import give

FUNDS = "/api/v1/assistance-funds/"
DISBURSEMENTS = "/api/v1/disbursements/"


def _fund(world, owner, budget="1000.00", name=None):
    return services.fund_create(
        actor=world.staff,
        data={
            "name": name or f"基金{AssistanceFund.objects.count() + 1}",
            "source": "special_party_fees",
            "budget": Decimal(budget),
            "owner_organization": owner,
        },
    )


def _delivery_worker(world):
    return f.WorkerFactory(
        industry=world.delivery, region=world.street_a, enterprise=world.ent_delivery_a
    )


class TestAssistanceFundsAPI(APICRUDSuite):
    basename = "assistance-fund"
    user = "secretary_delivery"
    bad_fields = ("budget", "owner_organization", "source")

    def make_visible(self, world):
        fund = _fund(world, world.branch_delivery)
        services.fund_item_create(
            actor=world.staff,
            data={"fund": fund, "name": "退烧药", "unit": "盒", "quantity_budget": 10},
        )
        give(world.staff, fund, worker=_delivery_worker(world), amount="10.00")
        return fund

    def make_invisible(self, world):
        return _fund(world, world.committee_express)

    def make_deletable(self, world):
        return _fund(world, world.branch_delivery)

    def create_payload(self, world):
        return {
            "name": "外卖骑手医疗互助金",
            "source": "enterprise_donation",
            "year": 2026,
            "budget": "20000.00",
            "owner_organization": world.branch_delivery.code,
        }

    def update_payload(self, world):
        return {"name": "外卖骑手医疗互助金（追加）", "budget": "2000.00"}

    def bad_payload(self, world):
        return {
            "name": "越界基金",
            "source": "lottery",
            "budget": "-1.00",
            "owner_organization": world.committee_express.code,  # outside scope
        }


def test_fund_detail_carries_totals_and_items(world, people, funds):
    give(world.staff, funds.city, worker=people.worker_delivery, amount="1234.56")
    give(world.staff, funds.city, member=people.member_delivery, item=funds.tablets, quantity=7)
    body = api_client(world.staff).get(f"{FUNDS}{funds.city.pk}/").json()
    assert body["disbursed"] == "1234.56"
    assert body["remaining"] == "8765.44"
    assert body["beneficiary_count"] == 2
    assert body["items"] == [
        {"id": funds.tablets.pk, "name": "退烧药", "unit": "盒", "quantity_budget": 100, "given": 7}
    ]


def test_fund_budget_below_disbursed_is_a_field_error(world, people, funds):
    give(world.staff, funds.delivery, worker=people.worker_delivery, amount="4000.00")
    response = api_client(world.secretary_delivery).patch(
        f"{FUNDS}{funds.delivery.pk}/", {"budget": "3999.99"}
    )
    body = assert_error_format(response, 400, "invalid")
    assert "4,000.00" in body["fields"]["budget"][0]
    funds.delivery.refresh_from_db()
    assert funds.delivery.budget == Decimal("5000.00")


class TestDisbursementsAPI(APIReadSuite):
    """Reads through the shared suite; writes below (create and cancel only)."""

    basename = "disbursement"
    user = "secretary_delivery"
    read_only = False

    def _fund_of(self, world, owner):
        key = f"_fund_{owner.code}"
        if not hasattr(world, key):
            setattr(world, key, _fund(world, owner, budget="100000.00"))
        return getattr(world, key)

    def make_visible(self, world):
        fund = self._fund_of(world, world.committee_delivery)
        return give(world.staff, fund, worker=_delivery_worker(world), amount="50.00")

    def make_invisible(self, world):
        fund = self._fund_of(world, world.committee_express)
        worker = f.WorkerFactory(industry=world.express, region=world.district_a)
        return give(world.staff, fund, worker=worker, amount="50.00")


def _payload(fund, **kw):
    return {"fund": fund.pk, "purpose": "medical", "disbursed_on": "2026-01-15", **kw}


def test_create_money_disbursement(world, people, funds):
    api = api_client(world.secretary_delivery)
    response = api.post(
        DISBURSEMENTS,
        _payload(funds.delivery, worker=people.worker_delivery.pk, amount="300.00"),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    row = Disbursement.objects.get(pk=body["id"])
    assert row.approver == world.secretary_delivery and row.amount == Decimal("300.00")
    assert body["approver"] == world.secretary_delivery.username
    # The beneficiary by masked name; identifiers never leave.
    assert body["beneficiary"] == "张*"
    text = response.content.decode()
    assert people.worker_delivery.phone not in text
    assert people.worker_delivery.id_number not in text
    assert AuditEvent.objects.filter(object_id=str(row.pk), action="create").exists()


def test_create_refuses_an_overdraw_with_a_field_error(world, people, funds):
    give(world.staff, funds.delivery, worker=people.worker_delivery, amount="4900.00")
    api = api_client(world.secretary_delivery)
    response = api.post(
        DISBURSEMENTS, _payload(funds.delivery, member=people.member_delivery.pk, amount="100.01")
    )
    body = assert_error_format(response, 400, "invalid")
    assert "100.00" in body["fields"]["amount"][0]
    assert Disbursement.objects.count() == 1


def test_create_in_kind_over_the_item_is_refused(world, people, funds):
    api = api_client(world.staff)
    response = api.post(
        DISBURSEMENTS,
        _payload(funds.city, worker=people.worker_express.pk, item=funds.tablets.pk, quantity=101),
    )
    body = assert_error_format(response, 400, "invalid")
    assert "100" in body["fields"]["quantity"][0]
    ok = api.post(
        DISBURSEMENTS,
        _payload(funds.city, worker=people.worker_express.pk, item=funds.tablets.pk, quantity=100),
    )
    assert ok.status_code == 201, ok.content


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"member": "express"}, "member"),  # a member outside scope
        ({"fund": "express"}, "fund"),  # a fund outside scope
        ({"worker": "both"}, "member"),  # two beneficiaries
        ({"amount": None}, "amount"),  # nothing given
    ],
)
def test_create_bad_input_is_refused_field_by_field(world, people, funds, payload, field):
    data = _payload(funds.delivery, worker=people.worker_delivery.pk, amount="10.00")
    if payload.get("member") == "express":
        data.pop("worker")
        data["member"] = people.member_express.pk
    if payload.get("fund") == "express":
        data["fund"] = funds.express.pk
    if payload.get("worker") == "both":
        data["member"] = people.member_delivery.pk
    if "amount" in payload:
        data.pop("amount")
    response = api_client(world.secretary_delivery).post(DISBURSEMENTS, data)
    body = assert_error_format(response, 400, "invalid")
    assert field in body["fields"], body
    assert not Disbursement.objects.exists()


def test_idempotency_key_gives_once(world, people, funds):
    api = api_client(world.secretary_delivery)
    data = _payload(funds.delivery, worker=people.worker_delivery.pk, amount="10.00")
    first = api.post(DISBURSEMENTS, data, HTTP_IDEMPOTENCY_KEY="pay-0001")
    again = api.post(DISBURSEMENTS, data, HTTP_IDEMPOTENCY_KEY="pay-0001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Disbursement.objects.count() == 1
    other = api.post(DISBURSEMENTS, {**data, "amount": "20.00"}, HTTP_IDEMPOTENCY_KEY="pay-0001")
    assert_error_format(other, 422, "idempotency_key_reused")
    assert Disbursement.objects.count() == 1


def test_refused_create_can_be_retried_with_the_same_key(world, people, funds):
    api = api_client(world.secretary_delivery)
    too_much = _payload(funds.delivery, worker=people.worker_delivery.pk, amount="5000.01")
    assert api.post(DISBURSEMENTS, too_much, HTTP_IDEMPOTENCY_KEY="k1").status_code == 400
    assert not IdempotencyRecord.objects.exists()
    fixed = {**too_much, "amount": "5000.00"}
    assert api.post(DISBURSEMENTS, fixed, HTTP_IDEMPOTENCY_KEY="k1").status_code == 201


def test_disbursements_are_never_changed_or_deleted(world, people, funds):
    row = give(world.staff, funds.delivery, worker=people.worker_delivery, amount="10.00")
    api = api_client(world.staff)
    url = f"{DISBURSEMENTS}{row.pk}/"
    assert_error_format(api.patch(url, {"amount": "1.00"}), (403, 405))
    assert_error_format(api.put(url, {}), (403, 405))
    assert_error_format(api.delete(url), (403, 405))
    row.refresh_from_db()
    assert row.amount == Decimal("10.00")


def test_cancel_through_the_api(world, people, funds):
    row = give(world.staff, funds.delivery, worker=people.worker_delivery, amount="5000.00")
    api = api_client(world.secretary_delivery)
    url = f"{DISBURSEMENTS}{row.pk}/cancel/"
    body = assert_error_format(api.post(url, {"reason": ""}), 400, "invalid")
    assert "reason" in body["fields"]
    response = api.post(url, {"reason": "银行退票"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == DisbursementStatus.CANCELLED
    assert response.json()["cancelled_by"] == world.secretary_delivery.username
    assert_error_format(api.post(url, {"reason": "again"}), 400, "invalid")
    # Out of scope: the express committee's secretary does not see it at all.
    other = api_client(world.secretary_express).post(url, {"reason": "x"})
    assert_error_format(other, 404, "not_found")


def test_view_only_role_cannot_disburse(world, people, funds):
    response = api_client(world.district_officer).post(
        DISBURSEMENTS, _payload(funds.delivery, worker=people.worker_delivery_b.pk, amount="1")
    )
    assert_error_format(response, 403)


def test_disbursement_filters(world, people, funds):
    give(world.staff, funds.city, worker=people.worker_delivery, amount="1.00", purpose="holiday")
    express = give(world.staff, funds.city, worker=people.worker_express, amount="2.00")
    member = give(world.staff, funds.city, member=people.member_express, amount="3.00")
    api = api_client(world.staff)
    assert ids_of(api.get(DISBURSEMENTS, {"industry": "express"})) == {express.pk, member.pk}
    assert len(ids_of(api.get(DISBURSEMENTS, {"purpose": "holiday"}))) == 1
    assert ids_of(api.get(DISBURSEMENTS, {"fund": funds.delivery.pk})) == set()
