"""Funds placed in the shared world: a city fund owned by the working committee (city-wide
staff only), one owned by the delivery committee and one by the express committee."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from appeals.assistance import services


@dataclass
class Funds:
    city: Any  # 两新工委, 专项党费, 10,000 yuan, with 100 boxes of fever tablets
    tablets: Any  # the city fund's in-kind item
    delivery: Any  # 外卖行业党委, 5,000 yuan
    express: Any  # 快递行业党委, 3,000 yuan


@pytest.fixture
def funds(world) -> Funds:
    city = services.fund_create(
        actor=world.staff,
        data={
            "name": "新就业群体帮扶专项党费",
            "source": "special_party_fees",
            "budget": Decimal("10000.00"),
            "owner_organization": world.working_committee,
        },
    )
    tablets = services.fund_item_create(
        actor=world.staff,
        data={"fund": city, "name": "退烧药", "unit": "盒", "quantity_budget": 100},
    )
    delivery = services.fund_create(
        actor=world.staff,
        data={
            "name": "外卖骑手节日慰问金",
            "source": "enterprise_donation",
            "budget": Decimal("5000.00"),
            "owner_organization": world.committee_delivery,
        },
    )
    express = services.fund_create(
        actor=world.staff,
        data={
            "name": "快递小哥关爱基金",
            "source": "social_donation",
            "budget": Decimal("3000.00"),
            "owner_organization": world.committee_express,
        },
    )
    return Funds(city=city, tablets=tablets, delivery=delivery, express=express)
