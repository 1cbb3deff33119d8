"""Races on PostgreSQL: many volunteers for the last places of a task, one volunteer claiming
overlapping tasks at once, many debits of one balance. The services lock the task, the
volunteer and the account rows before counting; without the locks each would write."""

import pytest
from django.db import connection

from grid import services
from grid.choices import ClaimStatus
from grid.models import Claim, PointsAccount, PointsEntry, Task
from tests import factories as f
from tests.base import race

from .conftest import publish

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serializes every writer, so there is no race to test; run on PostgreSQL",
)


def _volunteers(world, n):
    out = []
    for i in range(n):
        worker = f.WorkerFactory(
            source="race",
            external_id=f"R{i}",
            industry=world.delivery,
            region=world.street_a,
            work_lat=31.78,
            work_lng=119.97,
        )
        out.append(services.volunteer_register(actor=world.staff, worker=worker))
    return out


def test_eight_volunteers_for_three_places(transactional_db, world):
    volunteers = _volunteers(world, 8)
    task = publish(world.staff, world, slots=3)
    outcomes = race(
        8,
        lambda k: services.task_claim(actor=world.staff, task=task.pk, volunteer=volunteers[k]).pk,
    )
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    assert sum(1 for kind, _ in outcomes if kind == "ok") == 3
    assert all("task" in d for kind, d in outcomes if kind == "refused")
    task.refresh_from_db()
    assert task.filled == 3
    assert Claim.objects.filter(task=task, status=ClaimStatus.CLAIMED).count() == 3


def test_one_volunteer_claiming_overlapping_tasks_at_once(transactional_db, world):
    (volunteer,) = _volunteers(world, 1)
    tasks = [publish(world.staff, world, slots=2) for _ in range(4)]
    outcomes = race(
        4,
        lambda k: services.task_claim(actor=world.staff, task=tasks[k].pk, volunteer=volunteer).pk,
    )
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    assert sum(1 for kind, _ in outcomes if kind == "ok") == 1
    assert Claim.objects.filter(volunteer=volunteer).count() == 1
    assert sum(Task.objects.values_list("filled", flat=True)) == 1


def test_debits_racing_never_overdraw(transactional_db, world):
    (volunteer,) = _volunteers(world, 1)
    services.points_adjust(actor=world.staff, volunteer=volunteer, points=30, reason="补录")
    outcomes = race(
        6,
        lambda k: (
            services.points_adjust(
                actor=world.staff, volunteer=volunteer.pk, points=-10, reason="更正"
            ).pk
        ),
    )
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    assert sum(1 for kind, _ in outcomes if kind == "ok") == 3
    assert PointsAccount.objects.get(volunteer=volunteer).balance == 0
    assert PointsEntry.objects.filter(account__volunteer=volunteer).count() == 4
