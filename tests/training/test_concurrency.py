"""Two requests race for a class's last seat: one gets it, the other a clear field error.

Real concurrency needs real row locks, so this runs on PostgreSQL only (SQLite serializes
every write transaction and has no ``SELECT ... FOR UPDATE``)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connections

from tests import factories as f
from tests.base import api_client
from training.models import Enrollment

from .helpers import make_class

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL row locks (SELECT ... FOR UPDATE); SQLite serializes writes",
)


def _race(world, training_class, workers) -> list:
    barrier = threading.Barrier(len(workers))
    results: list = [None] * len(workers)

    def post(i, worker):
        try:
            api = api_client(world.staff)
            barrier.wait(timeout=10)
            results[i] = api.post(
                "/api/v1/training/enrollments/",
                {"training_class": training_class.pk, "worker": worker.pk},
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i, w)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.parametrize("round_", range(3))
def test_two_requests_for_the_last_seat(transactional_db, world, round_):
    training_class = make_class(world, capacity=2)
    first = f.WorkerFactory(industry=world.delivery)
    Enrollment.objects.create(training_class=training_class, worker=first)
    racers = [f.WorkerFactory(industry=world.delivery) for _ in range(2)]
    responses = _race(world, training_class, racers)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 400], [r.content for r in responses]
    refused = next(r for r in responses if r.status_code == 400).json()
    assert refused["code"] == "invalid" and refused["fields"]["training_class"]
    assert Enrollment.objects.filter(training_class=training_class).count() == 2
