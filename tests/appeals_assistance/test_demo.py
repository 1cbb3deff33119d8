"""The demo fund: 10 million yuan of special party fees, a few hundred disbursements over every
purpose, fever tablets in kind — and the totals add up to the rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from appeals.assistance.choices import DisbursementPurpose, DisbursementStatus, FundSource
from appeals.assistance.selectors import with_totals
from appeals.models import AssistanceFund, Disbursement, FundInKindItem
from demo import assistance as demo_assistance
from demo import members as members_demo
from demo import seed as demo_seed
from demo.logins import staff_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def _digest() -> list[tuple]:
    return list(
        Disbursement.objects.order_by("id").values_list(
            "fund__name", "worker_id", "member_id", "amount", "quantity", "purpose", "disbursed_on"
        )
    )


def test_demo_fund_adds_up(client):
    demo_seed.seed_demo(scale="small", seed=3, areas=["organizations"])
    staff = staff_user()
    members_demo.seed_people(actor=staff, scale="small", seed=3)
    result = demo_assistance.seed_assistance(actor=staff, scale="small", seed=3, today=TODAY)
    fund = with_totals(AssistanceFund.objects.all()).get(name=demo_assistance.CITY_FUND_NAME)
    assert fund.budget == Decimal("10000000.00") and fund.year == 2026
    assert fund.source == FundSource.SPECIAL_PARTY_FEES
    rows = Disbursement.objects.filter(fund=fund, status=DisbursementStatus.DISBURSED)
    money = [d.amount for d in rows if d.amount is not None]
    assert len(money) >= 100
    assert sum(money) == result.disbursed == fund.disbursed.quantize(Decimal("0.01"))
    assert fund.disbursed <= fund.budget
    assert set(rows.values_list("purpose", flat=True)) == set(DisbursementPurpose.values)
    assert rows.filter(worker__isnull=False).exists() and rows.filter(member__isnull=False).exists()
    assert all(dt.date(2026, 1, 1) <= d.disbursed_on <= TODAY for d in rows)
    tablets = FundInKindItem.objects.get(fund=fund)
    boxes = sum(d.quantity for d in rows if d.item_id == tablets.pk)
    assert 100 <= boxes == result.boxes_given <= tablets.quantity_budget
    assert result.disbursements == Disbursement.objects.count()

    # The totals page (city-wide) equals the sum of the rows, in total and per dimension.
    client.force_login(staff)
    page = client.get("/appeals/assistance/totals/")
    everything = Disbursement.objects.filter(status=DisbursementStatus.DISBURSED)
    total = sum((d.amount for d in everything if d.amount is not None), Decimal("0"))
    ctx = page.context
    assert ctx["overall"].amount == total
    assert ctx["overall"].count == everything.count()
    assert sum(r.amount for r in ctx["by_purpose"]) == total
    assert sum(r.count for r in ctx["by_purpose"]) == everything.count()
    assert sum(r.amount for r in ctx["by_industry"]) == total
    assert sum(r.count for r in ctx["by_industry"]) == everything.count()
    assert sum(r.given for r in ctx["by_item"]) == boxes
    listed = client.get("/appeals/assistance/").context["funds"]
    assert {f.name: f.disbursed.quantize(Decimal("0.01")) for f in listed}[fund.name] == sum(money)

    # The food-delivery secretary sees its committee's fund only.
    sec = get_user_model().objects.get(username="sec_food_delivery")
    client.force_login(sec)
    names = {f.name for f in client.get("/appeals/assistance/").context["funds"]}
    assert names == {demo_assistance.DELIVERY_FUND_NAME}

    # Seeding again adds nothing; from scratch with the same seed it gives the same rows.
    first = _digest()
    assert demo_assistance.seed_assistance(actor=staff, scale="small", seed=3).disbursements == 0
    Disbursement.objects.all().delete()
    AssistanceFund.objects.all().delete()
    demo_assistance.seed_assistance(actor=staff, scale="small", seed=3, today=TODAY)
    assert _digest() == first
