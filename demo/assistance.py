"""Demo assistance funds (called by ``seed_demo`` after the stations).

- The city's 10,000,000-yuan special party-fee fund (专项党费) for this year, owned by the "two
  new" working committee, with a few hundred money disbursements across every purpose to demo
  workers and party members, and an in-kind item of fever tablets (退烧药, by the box) with a few
  hundred boxes given.
- A smaller enterprise-donation fund of the food-delivery industry committee, so that its
  secretary (``sec_food_delivery``) sees a fund of its own and nothing of the city's.

Every disbursement goes through ``disbursement_create`` (fund row locked, never more than the
fund, audited), so the demo keeps the same invariant as real use. Deterministic for a seed;
dates run from 1 January to today (Asia/Shanghai).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from appeals.assistance import services
from appeals.assistance.choices import DisbursementPurpose, FundSource
from appeals.assistance.models import AssistanceFund
from demo.city import DEFAULT_SEED, WORKING_COMMITTEE_CODE
from members.models import PartyMember, Worker
from organizations.models import PartyOrganization

CITY_FUND_NAME = "新就业群体关爱帮扶专项党费"
CITY_FUND_BUDGET = Decimal("10000000.00")
DELIVERY_FUND_NAME = "外卖骑手暖心基金"
DELIVERY_FUND_BUDGET = Decimal("200000.00")
DELIVERY_COMMITTEE_CODE = "ic-food-delivery"

#: purpose → (share of money disbursements, (low, high) yuan, rounded to, note)
MONEY_PLAN: dict[str, tuple[float, tuple[int, int], int, str]] = {
    DisbursementPurpose.HARDSHIP: (0.30, (3000, 30000), 100, "家庭困难帮扶"),
    DisbursementPurpose.MEDICAL: (0.20, (5000, 60000), 100, "大病医疗救助"),
    DisbursementPurpose.ACCIDENT: (0.15, (3000, 50000), 100, "配送途中交通事故"),
    DisbursementPurpose.HOLIDAY: (0.20, (500, 1500), 50, "春节、中秋节日慰问"),
    DisbursementPurpose.EDUCATION: (0.10, (2000, 8000), 100, "子女助学"),
    DisbursementPurpose.OTHER: (0.05, (500, 5000), 50, "临时救助"),
}
SCALE_COUNTS = {"small": (120, 80), "city": (360, 240), "province": (480, 300)}


@dataclass
class AssistanceResult:
    funds: int
    disbursements: int
    disbursed: Decimal
    boxes_given: int


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _beneficiaries(rng: random.Random, n: int, workers: list[int], members: list[int]):
    """``n`` (kind, id) picks, about one in four a party member; a few people twice."""
    picks = []
    for _ in range(n):
        if members and (not workers or rng.random() < 0.25):
            picks.append(("member", rng.choice(members)))
        elif workers:
            picks.append(("worker", rng.choice(workers)))
    return picks


def seed_assistance(
    *, actor: Any, scale: str = "city", seed: int = DEFAULT_SEED, today: dt.date | None = None
) -> AssistanceResult:
    """Create the demo funds and disbursements (nothing if the city fund already exists)."""
    today = today or timezone.localdate()
    year = today.year
    owner = PartyOrganization.objects.filter(code=WORKING_COMMITTEE_CODE).first()
    if owner is None or AssistanceFund.objects.filter(name=CITY_FUND_NAME, year=year).exists():
        return AssistanceResult(0, 0, Decimal("0.00"), 0)
    rng = random.Random(seed * 7 + 6)
    n_money, n_in_kind = SCALE_COUNTS.get(scale, SCALE_COUNTS["city"])
    # Worker and member ids in a stable order; objects are loaded by id when given.
    workers = list(Worker.objects.filter(active=True).order_by("id").values_list("id", flat=True))
    members = list(PartyMember.objects.order_by("id").values_list("id", flat=True))
    by_id_w = Worker.objects.in_bulk(workers) if workers else {}
    by_id_m = PartyMember.objects.in_bulk(members) if members else {}
    start = dt.date(year, 1, 1)
    count = 0
    with transaction.atomic():
        fund = services.fund_create(
            actor=actor,
            data={
                "name": CITY_FUND_NAME,
                "source": FundSource.SPECIAL_PARTY_FEES,
                "year": year,
                "budget": CITY_FUND_BUDGET,
                "owner_organization": owner,
                "note": "市委组织部下拨专项党费，用于新就业群体困难帮扶、医疗救助和节日慰问。",
            },
        )
        tablets = services.fund_item_create(
            actor=actor,
            data={
                "fund": fund,
                "name": "退烧药（布洛芬缓释胶囊）",
                "unit": "盒",
                "quantity_budget": 1000,
            },
        )
        purposes = list(MONEY_PLAN)
        weights = [MONEY_PLAN[p][0] for p in purposes]
        for kind, pk in _beneficiaries(rng, n_money, workers, members):
            purpose = rng.choices(purposes, weights)[0]
            _, (low, high), step, note = MONEY_PLAN[purpose]
            amount = Decimal(rng.randrange(low, high + 1, step))
            if purpose == DisbursementPurpose.MEDICAL and rng.random() < 0.3:
                amount += Decimal(rng.randint(1, 99)) / 100  # reimbursed to the cent
            try:
                services.disbursement_create(
                    actor=actor,
                    data={
                        "fund": fund,
                        kind: by_id_w[pk] if kind == "worker" else by_id_m[pk],
                        "amount": amount,
                        "purpose": purpose,
                        "disbursed_on": _day(rng, start, today),
                        "note": note,
                    },
                )
            except ValidationError:
                break  # the fund is spent: the service refused, as it would for anyone
            count += 1
        for kind, pk in _beneficiaries(rng, n_in_kind, workers, members):
            services.disbursement_create(
                actor=actor,
                data={
                    "fund": fund,
                    kind: by_id_w[pk] if kind == "worker" else by_id_m[pk],
                    "item": tablets,
                    "quantity": rng.choice((1, 1, 2, 2, 3)),
                    "purpose": DisbursementPurpose.MEDICAL,
                    "disbursed_on": _day(rng, start, today),
                    "note": "流感高发期爱心送药",
                },
            )
            count += 1
        funds = 1
        committee = PartyOrganization.objects.filter(code=DELIVERY_COMMITTEE_CODE).first()
        if committee is not None:
            funds += 1
            delivery = services.fund_create(
                actor=actor,
                data={
                    "name": DELIVERY_FUND_NAME,
                    "source": FundSource.ENTERPRISE_DONATION,
                    "year": year,
                    "budget": DELIVERY_FUND_BUDGET,
                    "owner_organization": committee,
                    "note": "平台企业捐赠，用于外卖骑手节日慰问。",
                },
            )
            riders = list(
                Worker.objects.filter(active=True, industry__code="food_delivery")
                .order_by("id")
                .values_list("id", flat=True)[:2000]
            )
            for _, pk in _beneficiaries(rng, min(60, len(riders)), riders, []):
                services.disbursement_create(
                    actor=actor,
                    data={
                        "fund": delivery,
                        "worker": by_id_w[pk],
                        "amount": Decimal(rng.choice((500, 800, 1000))),
                        "purpose": DisbursementPurpose.HOLIDAY,
                        "disbursed_on": _day(rng, start, today),
                        "note": "骑手节日慰问",
                    },
                )
                count += 1
    return AssistanceResult(
        funds=funds,
        disbursements=count,
        disbursed=services.fund_disbursed(fund),
        boxes_given=services.item_given(tablets),
    )
