"""The partner app runs a task from claim to points through the API; refusals are 400 with
the field; anything outside scope is 404; writes replay under an Idempotency-Key."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grid import services
from grid.models import Claim, PointsEntry, Task
from tests.base import api_client, assert_error_format

from .conftest import HERE, JPEG, publish

BASE = "/api/v1/grid"


def test_partner_runs_a_task_from_claim_to_points(world, people, grid):
    partner = api_client(world.partner)
    task = publish(world.staff, world, points=15, slots=2)
    far = publish(world.staff, world, at=(HERE[0] + 0.3, HERE[1]))

    r = partner.get(f"{BASE}/tasks/near/", {"lat": HERE[0], "lng": HERE[1]})
    assert r.status_code == 200, r.content
    ids = [row["id"] for row in r.json()["results"]]
    assert task.pk in ids and far.pk not in ids
    r = partner.get(f"{BASE}/volunteers/{grid.v_delivery.pk}/tasks-near/")
    assert task.pk in [row["id"] for row in r.json()["results"]]

    headers = {"HTTP_IDEMPOTENCY_KEY": "claim-1"}
    body = {"volunteer": grid.v_delivery.pk}
    r = partner.post(f"{BASE}/tasks/{task.pk}/claim/", body, **headers)
    assert r.status_code == 201, r.content
    claim_id = r.json()["id"]
    again = partner.post(f"{BASE}/tasks/{task.pk}/claim/", body, **headers)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Claim.objects.filter(task=task).count() == 1

    photo = SimpleUploadedFile("p.gif", b"GIF89a" + b"\x00" * 20, content_type="image/jpeg")
    r = partner.post(
        f"{BASE}/claims/{claim_id}/proof/",
        {"photo": photo, "lat": HERE[0], "lng": HERE[1]},
        format="multipart",
    )
    body = assert_error_format(r, 400)
    assert "photo" in body["fields"]
    photo = SimpleUploadedFile("p.jpg", JPEG, content_type="image/jpeg")
    r = partner.post(
        f"{BASE}/claims/{claim_id}/proof/",
        {"photo": photo, "lat": HERE[0], "lng": HERE[1]},
        format="multipart",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted"

    # the partner cannot verify its own proof (the task is not in its scope)
    r = partner.post(f"{BASE}/claims/{claim_id}/verify/")
    assert_error_format(r, 400)
    r = api_client(world.staff).post(f"{BASE}/claims/{claim_id}/verify/")
    assert r.status_code == 200 and r.json()["status"] == "verified"

    r = partner.get(f"{BASE}/volunteers/{grid.v_delivery.pk}/points/")
    assert r.status_code == 200
    data = r.json()
    assert (data["balance"], data["earned_total"]) == (15, 15)
    assert data["entries"][0]["task"] == task.title


def test_invitation_accept_and_decline_through_the_api(world, grid):
    task = publish(world.staff, world, slots=1, skill="elderly_care")
    staff = api_client(world.staff)
    r = staff.post(f"{BASE}/tasks/{task.pk}/invite/", {"best": 50})
    assert r.status_code == 201, r.content
    assert r.json()["count"] == 2
    partner = api_client(world.partner)
    mine = Claim.objects.get(task=task, volunteer=grid.v_delivery)
    r = partner.post(f"{BASE}/claims/{mine.pk}/accept/", HTTP_IDEMPOTENCY_KEY="acc-1")
    assert r.status_code == 200 and r.json()["status"] == "claimed"
    other = Claim.objects.get(task=task, volunteer=grid.v_delivery_b)
    # not the partner's worker: 404
    assert partner.post(f"{BASE}/claims/{other.pk}/accept/").status_code == 404
    # the last place is gone: accepting is refused with the field
    body = assert_error_format(staff.post(f"{BASE}/claims/{other.pk}/accept/"), 400)
    assert "task" in body["fields"]
    r = staff.post(f"{BASE}/claims/{other.pk}/decline/", {"reason": "没空"})
    assert r.status_code == 200 and r.json()["status"] == "declined"
    body = assert_error_format(staff.post(f"{BASE}/tasks/{task.pk}/invite/", {}), 400)
    assert "volunteers" in body["fields"]


def test_refusals_write_nothing(world, grid):
    task = publish(world.staff, world, slots=1)
    services.task_claim(actor=world.staff, task=task, volunteer=grid.v_delivery_b)
    partner = api_client(world.partner)
    # full task: not in the open directory any more
    r = partner.post(f"{BASE}/tasks/{task.pk}/claim/", {"volunteer": grid.v_delivery.pk})
    assert r.status_code == 404
    other = publish(world.staff, world, slots=2)
    r = partner.post(f"{BASE}/tasks/{other.pk}/claim/", {"volunteer": grid.v_express.pk})
    body = assert_error_format(r, 400)
    assert "volunteer" in body["fields"]
    assert not Claim.objects.filter(task=other).exists()
    r = partner.get(f"{BASE}/tasks/near/", {"lat": 95, "lng": 0})
    assert "lat" in assert_error_format(r, 400)["fields"]
    start = timezone.now()
    r = api_client(world.district_officer).post(
        f"{BASE}/tasks/",
        {
            "kind": "patrol",
            "title": "巡查",
            "region": world.street_a.pk,
            "place": "x",
            "lat": HERE[0],
            "lng": HERE[1],
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=1)).isoformat(),
        },
    )
    assert "region" in assert_error_format(r, 400)["fields"]
    assert Task.objects.count() == 2
    assert not PointsEntry.objects.exists()


def test_scope_on_every_endpoint(world, grid):
    partner = api_client(world.partner)
    r = partner.get(f"{BASE}/volunteers/")
    assert {row["id"] for row in r.json()["results"]} == {grid.v_delivery.pk}
    assert partner.get(f"{BASE}/volunteers/{grid.v_express.pk}/").status_code == 404
    assert partner.get(f"{BASE}/volunteers/{grid.v_express.pk}/points/").status_code == 404
    assert partner.get(f"{BASE}/volunteers/{grid.v_express.pk}/tasks-near/").status_code == 404
    task = publish(world.staff, world)
    assert partner.get(f"{BASE}/tasks/{task.pk}/").status_code == 404
    officer = api_client(world.district_officer)
    assert officer.get(f"{BASE}/tasks/{task.pk}/").status_code == 404
    assert officer.post(f"{BASE}/tasks/{task.pk}/cancel/", {"reason": "x"}).status_code == 404
    sec = api_client(world.secretary_delivery)
    assert sec.get(f"{BASE}/tasks/{task.pk}/").status_code == 200
    assert api_client().get(f"{BASE}/tasks/").status_code in (401, 403)


def test_lists_take_constant_queries(world, grid, django_assert_max_num_queries):
    staff = api_client(world.staff)
    t = publish(world.staff, world, slots=3)
    services.task_claim(actor=world.staff, task=t, volunteer=grid.v_express)
    with django_assert_max_num_queries(12) as small:
        assert staff.get(f"{BASE}/tasks/").status_code == 200
        assert staff.get(f"{BASE}/claims/").status_code == 200
        assert staff.get(f"{BASE}/volunteers/").status_code == 200
    for day in range(1, 5):
        t = publish(world.staff, world, slots=3, start=timezone.now() + dt.timedelta(days=day))
        services.task_claim(actor=world.staff, task=t, volunteer=grid.v_delivery_b)
    with django_assert_max_num_queries(len(small.captured_queries)):
        staff.get(f"{BASE}/tasks/")
        staff.get(f"{BASE}/claims/")
        staff.get(f"{BASE}/volunteers/")
