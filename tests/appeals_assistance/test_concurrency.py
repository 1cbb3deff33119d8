"""Two requests racing for the last yuan of a fund: exactly one wins (PostgreSQL run).

The service locks the fund row before summing what is given; without the lock both would read
the same balance and both would write."""

from decimal import Decimal

import pytest
from django.db import connection

from appeals.assistance import services
from appeals.models import Disbursement
from tests.base import race

from .helpers import give

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serializes every writer, so there is no race to test; run on PostgreSQL",
)


def test_two_requests_for_the_last_yuan(transactional_db, world, people, funds):
    give(world.staff, funds.city, worker=people.worker_delivery, amount="9999.00")
    workers = [people.worker_delivery, people.worker_express]
    outcomes = race(2, lambda k: give(world.staff, funds.city, worker=workers[k], amount="1.00").pk)
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    refused = next(detail for kind, detail in outcomes if kind == "refused")
    assert "0.00" in refused["amount"][0]
    assert services.fund_disbursed(funds.city) == Decimal("10000.00")
    assert Disbursement.objects.filter(fund=funds.city).count() == 2


def test_many_requests_never_exceed_the_budget_or_the_item(transactional_db, world, people, funds):
    services.fund_update(actor=world.staff, fund=funds.city, data={"budget": Decimal("250.00")})

    def target(k: int):
        if k % 2:
            return give(
                world.staff,
                funds.city,
                worker=people.worker_express,
                item=funds.tablets,
                quantity=30,
            ).pk
        return give(world.staff, funds.city, worker=people.worker_delivery, amount="100.00").pk

    outcomes = race(8, target)
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    assert services.fund_disbursed(funds.city) == Decimal("200.00")  # 2 of the 4 fit
    assert services.item_given(funds.tablets) == 90  # 3 of the 4 fit
    assert sum(1 for kind, _ in outcomes if kind == "ok") == 5
