"""Two requests racing for the last yuan of a fund: exactly one wins (PostgreSQL run).

The service locks the fund row before summing what is given; without the lock both would read
the same balance and both would write."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from appeals.assistance import services
from appeals.models import Disbursement

from .helpers import give

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serializes every writer, so there is no race to test; run on PostgreSQL",
)


def _race(n_threads: int, target) -> list:
    barrier = threading.Barrier(n_threads)
    outcomes: list = []

    def run(k: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(("ok", target(k)))
        except ValidationError as exc:
            outcomes.append(("refused", exc.message_dict))
        except Exception as exc:  # reported by the assertions below
            outcomes.append(("error", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_two_requests_for_the_last_yuan(transactional_db, world, people, funds):
    give(world.staff, funds.city, worker=people.worker_delivery, amount="9999.00")
    workers = [people.worker_delivery, people.worker_express]
    outcomes = _race(
        2, lambda k: give(world.staff, funds.city, worker=workers[k], amount="1.00").pk
    )
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

    outcomes = _race(8, target)
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    assert services.fund_disbursed(funds.city) == Decimal("200.00")  # 2 of the 4 fit
    assert services.item_given(funds.tablets) == 90  # 3 of the 4 fit
    assert sum(1 for kind, _ in outcomes if kind == "ok") == 5
