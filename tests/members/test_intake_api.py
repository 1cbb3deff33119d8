"""``POST /api/v1/workers/bulk/``: upsert with per-row errors, Idempotency-Key, partner platform
scope, masked answers and a query count that does not grow with the rows."""

import math
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import idempotency
from core.models import APIKey, AuditEvent, IdempotencyRecord
from members.models import Worker
from tests import factories as f
from tests.base import api_client, assert_error_format
from tests.members.test_intake import worker_row

pytestmark = pytest.mark.django_db

BULK = "/api/v1/workers/bulk/"
ID_PATTERN = re.compile(r"\d{17}[\dX]")
PHONE_PATTERN = re.compile(r"(?<!\d)1\d{10}(?!\d)")


def post(client, body, key=None, **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(BULK, body, format="json", **headers)


def test_good_rows_land_and_bad_rows_are_listed_with_200(world):
    bad = worker_row(2, id_number=f.resident_id_for(2)[:17] + "Y", phone="139")
    body = {"source": "meituan", "rows": [worker_row(1), bad, worker_row(3, industry="zzz")]}
    response = post(api_client(world.staff), body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert {k: data[k] for k in ("read", "created", "updated", "rejected")} == {
        "read": 3,
        "created": 1,
        "updated": 0,
        "rejected": 2,
    }
    assert [(e["row"], e["external_id"], e["field"]) for e in data["errors"]] == [
        (2, "MT-00002", "id_number"),
        (2, "MT-00002", "phone"),
        (3, "MT-00003", "industry"),
    ]
    assert all(e["message"] for e in data["errors"])
    assert list(Worker.objects.values_list("external_id", flat=True)) == ["MT-00001"]


def test_no_plaintext_id_or_phone_in_the_answer(world):
    rows = [
        worker_row(1),
        worker_row(2, id_number=f.resident_id_for(2)[:-1] + "Y"),  # echoed nowhere
        worker_row(3, phone="1391234567"),  # ten digits: not a phone, not echoed either
        worker_row(4, industry="nope"),
    ]
    response = post(api_client(world.staff), {"source": "meituan", "rows": rows})
    text = response.content.decode()
    assert response.status_code == 200 and response.json()["rejected"] == 3
    assert not ID_PATTERN.search(text), text
    assert not PHONE_PATTERN.search(text), text
    assert "1391234567" not in text


def test_same_key_and_body_gives_the_stored_answer_and_writes_once(world):
    client = api_client(world.staff)
    body = {"source": "meituan", "rows": [worker_row(1), worker_row(2, industry="zzz")]}
    first = post(client, body, key="roster-2026-12-01")
    assert first.status_code == 200
    audits = AuditEvent.objects.count()
    stamps = list(Worker.objects.values_list("pk", "updated_at", "last_seen"))

    again = post(client, {"rows": body["rows"], "source": "meituan"}, key="roster-2026-12-01")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Worker.objects.count() == 1
    assert AuditEvent.objects.count() == audits
    assert list(Worker.objects.values_list("pk", "updated_at", "last_seen")) == stamps
    assert IdempotencyRecord.objects.count() == 1

    # Without the key the same body is processed again (seen again: last_seen moves).
    assert post(client, body).json()["created"] == 0
    assert AuditEvent.objects.count() == audits + 1


def test_same_key_with_another_body_is_refused_with_422(world):
    client = api_client(world.staff)
    post(client, {"source": "meituan", "rows": [worker_row(1)]}, key="k1")
    response = post(client, {"source": "meituan", "rows": [worker_row(2)]}, key="k1")
    assert_error_format(response, 422, "idempotency_key_reused")
    assert not Worker.objects.filter(external_id="MT-00002").exists()


def test_keys_belong_to_one_user(world):
    body = {"source": "meituan", "rows": [worker_row(1)]}
    post(api_client(world.staff), body, key="shared")
    response = post(api_client(world.secretary_delivery), {**body, "source": "other"}, key="shared")
    assert response.status_code == 200 and response.json()["created"] == 1


def test_a_concurrent_request_with_the_same_key_answers_with_the_stored_one(world):
    """The second of two concurrent requests did not see the record when it looked, so its
    insert meets the unique constraint: its writes roll back and it replays the first."""
    client = api_client(world.staff)
    body = {"source": "meituan", "rows": [worker_row(1)]}
    first = post(client, body, key="race")
    calls: list[int] = []
    real = idempotency._lookup

    def lookup(*args):
        calls.append(1)
        return None if len(calls) == 1 else real(*args)

    audits = AuditEvent.objects.count()
    with mock.patch.object(idempotency, "_lookup", side_effect=lookup):
        second = post(
            client, {"source": "meituan", "rows": [worker_row(1, name="并发")]}, key="race"
        )
    assert_error_format(second, 422, "idempotency_key_reused")
    calls.clear()
    with mock.patch.object(idempotency, "_lookup", side_effect=lookup):
        replay = post(client, body, key="race")
    assert replay.status_code == 200 and replay.json() == first.json()
    assert Worker.objects.get().name == "张三"
    assert AuditEvent.objects.count() == audits


def test_a_whole_request_error_is_not_stored_so_the_key_can_be_reused(world):
    client = api_client(world.staff)
    response = post(client, {"source": "not a slug!", "rows": [worker_row(1)]}, key="k")
    body = assert_error_format(response, 400, "invalid")
    assert "source" in body["fields"]
    assert post(client, {"source": "meituan", "rows": [worker_row(1)]}, key="k").status_code == 200


def test_more_than_ten_thousand_rows_is_a_clear_400_and_writes_nothing(world):
    rows = [{"external_id": str(n)} for n in range(10_001)]
    body = assert_error_format(
        post(api_client(world.staff), {"source": "meituan", "rows": rows}), 400, "invalid"
    )
    assert "rows" in body["fields"]
    assert not Worker.objects.exists()


def test_a_partner_key_writes_only_its_own_platform(world, people):
    other_platform = f.EnterpriseFactory(
        kind="platform_hq", industry=world.delivery, region=world.city
    )
    f.WorkerFactory(source="meituan", external_id="ELM-7", platform=other_platform, name="别家骑手")
    _, key = APIKey.objects.create_key(name="美团对接", user=world.partner)
    rows = [
        worker_row(1, industry="", region_code="", political_status=""),
        worker_row(2, external_id="ELM-7", name="改名"),
        worker_row(
            3, external_id="MT-0001", name="张伟", enterprise_uscc=world.ent_delivery_a.uscc
        ),
        worker_row(4, enterprise_uscc=world.ent_express_a.uscc),
    ]
    response = api_client().post(
        BULK,
        {"source": "meituan", "rows": rows},
        format="json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["created"], data["updated"] + data["unchanged"], data["rejected"]) == (1, 1, 2)
    assert [(e["row"], e["field"]) for e in data["errors"]] == [
        (2, "external_id"),
        (4, "enterprise_uscc"),
    ]
    assert Worker.objects.get(external_id="MT-00001").platform == world.platform
    assert Worker.objects.get(external_id="ELM-7").name == "别家骑手"
    assert "political_status" not in response.content.decode()


def test_writing_needs_the_worker_permissions(world):
    response = post(api_client(), {"source": "meituan", "rows": [worker_row(1)]})
    assert_error_format(response, (401, 403))
    viewer = f.UserFactory(username="viewer")
    f.grant(viewer)
    response = post(api_client(viewer), {"source": "meituan", "rows": [worker_row(1)]})
    assert_error_format(response, 403)
    assert not Worker.objects.exists()


def _queries(client, rows, source) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = post(client, {"source": source, "rows": rows})
    assert response.status_code == 200 and response.json()["rejected"] == 0
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_rows(world):
    client = api_client(world.secretary_delivery)
    small = [worker_row(n) for n in range(10)]
    large = [worker_row(n) for n in range(1000, 1200)]
    # Re-sent and changed rosters: exactly the same number of queries for 10 and 200 rows.
    first_small, first_large = _queries(client, small, "a"), _queries(client, large, "b")
    assert _queries(client, small, "a") == _queries(client, large, "b")
    renamed = [{**r, "name": "王五"} for r in small], [{**r, "name": "王五"} for r in large]
    assert _queries(client, renamed[0], "a") == _queries(client, renamed[1], "b")
    # A first import differs only by the insert batches the database needs.
    fields = [fl for fl in Worker._meta.concrete_fields if not fl.primary_key]
    batch = connection.ops.bulk_batch_size(fields, large)
    assert first_large - first_small <= math.ceil(200 / min(batch, 500)) - 1


def test_the_endpoint_is_in_the_openapi_schema(world):
    response = api_client().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    paths = response.json()["paths"]
    operation = paths["/api/v1/workers/bulk/"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in operation["parameters"]]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/IntakeReport")


@pytest.mark.django_db(transaction=True)
def test_two_truly_concurrent_requests_with_one_key_write_once(world):
    """Both requests look up the key before either stored it (a barrier holds them there);
    the database's unique constraint lets only one write, the other replays its answer."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (PostgreSQL)")
    import threading

    from django.db import connections

    barrier = threading.Barrier(2, timeout=30)
    real = idempotency._lookup
    looked: list[int] = []

    def lookup(*args):
        looked.append(1)
        if len(looked) <= 2:
            barrier.wait()
            return None
        return real(*args)

    body = {"source": "meituan", "rows": [worker_row(n) for n in range(50)]}
    answers: list = []

    def send():
        try:
            answers.append(post(api_client(world.staff), body, key="together"))
        finally:
            connections.close_all()

    with mock.patch.object(idempotency, "_lookup", side_effect=lookup):
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert sorted(a.status_code for a in answers) == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["created"] == 50
    assert Worker.objects.count() == 50
    assert IdempotencyRecord.objects.count() == 1
    assert AuditEvent.objects.filter(verb="roster_upsert").count() == 1


def test_another_platforms_id_answers_like_any_out_of_scope_id(world, people):
    """The partner learns nothing about whose an id is: the same row error as a secretary
    gets for a worker outside its scope."""
    other_platform = f.EnterpriseFactory(
        kind="platform_hq", industry=world.delivery, region=world.city
    )
    f.WorkerFactory(source="meituan", external_id="ELM-7", platform=other_platform, name="别家骑手")
    f.WorkerFactory(source="meituan", external_id="EXP-7", industry=world.express, name="快递员")
    partner = post(api_client(world.partner), {"source": "meituan", "rows": [
        worker_row(1, external_id="ELM-7", name="改名")
    ]})  # fmt: skip
    secretary = post(api_client(world.secretary_delivery), {"source": "meituan", "rows": [
        worker_row(1, external_id="EXP-7", name="改名")
    ]})  # fmt: skip
    assert partner.status_code == secretary.status_code == 200, partner.content
    (from_partner,) = partner.json()["errors"]
    (from_secretary,) = secretary.json()["errors"]
    assert from_partner["field"] == from_secretary["field"] == "external_id"
    assert from_partner["message"] == from_secretary["message"]
    assert "platform" not in from_partner["message"] and "平台" not in from_partner["message"]
