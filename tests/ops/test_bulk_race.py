"""Two concurrent bulk pushes of the same new rows without an Idempotency-Key: both succeed
(the later one retries and updates what the first created) or one answers 409 in the API's
error format; never a 500 (the drill saw an IntegrityError HTML page)."""

from __future__ import annotations

import threading
from unittest import mock

import pytest
from django.db import IntegrityError, connection, connections

from core.api.conflicts import Conflict, retry_on_conflict
from members.models import Worker
from members.services.intake import engine
from tests.base import api_client, assert_error_format
from tests.members.test_intake import worker_row

URL = "/api/v1/workers/bulk/"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_pushes_of_the_same_new_rows_both_succeed(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (PostgreSQL)")
    barrier = threading.Barrier(2, timeout=30)
    real = engine.write_chunk
    calls: list[int] = []

    def write(*args, **kwargs):
        # Both requests have looked for existing workers and are about to write: neither
        # found any, both insert.
        calls.append(1)
        if len(calls) <= 2:
            barrier.wait()
        return real(*args, **kwargs)

    body = {"source": "meituan", "rows": [worker_row(n) for n in range(40)]}
    answers: list = []
    errors: list = []

    def send():
        try:
            answers.append(api_client(world.staff).post(URL, body, format="json"))
        except Exception as exc:  # a 500 raises in the test client
            errors.append(exc)
        finally:
            connections.close_all()

    with mock.patch.object(engine, "write_chunk", side_effect=write):
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    statuses = sorted(a.status_code for a in answers)
    assert statuses in ([200, 200], [200, 409]), [a.content[:300] for a in answers]
    for answer in answers:
        if answer.status_code == 409:
            assert_error_format(answer, 409, "conflict")
    created = sorted(a.json()["created"] for a in answers if a.status_code == 200)
    assert created[-1] == 40 and len(calls) >= 3  # the loser ran again
    assert Worker.objects.count() == 40


@pytest.mark.django_db
def test_a_write_that_keeps_conflicting_answers_409():
    attempts: list[int] = []

    def write():
        attempts.append(1)
        raise IntegrityError("duplicate key value violates unique constraint")

    with pytest.raises(Conflict):
        retry_on_conflict(write, attempts=3)
    assert len(attempts) == 3
