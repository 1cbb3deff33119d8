"""The REST face: scoped lists and details (the suites of tests/base.py), filing with an
Idempotency-Key, the action endpoints and the events."""

from __future__ import annotations

import pytest
from django.urls import reverse

from appeals import services
from appeals.choices import Status
from appeals.models import Appeal, AppealEvent
from tests.base import APIReadOnlySuite, APIReadSuite, api_client, assert_error_format

pytestmark = pytest.mark.django_db


def _file(world, *, actor=None, industry=None, region=None, enterprise=None, **extra):
    from appeals.models import Category

    return services.appeal_create(
        actor=actor or world.staff,
        data={
            "category": Category.objects.get(code="wages"),
            "channel": "station",
            "description": "配送费被扣",
            "industry": industry or world.delivery,
            "region": region or world.street_a,
            "enterprise": enterprise,
            **extra,
        },
    )


class TestAppealsAPIForASecretary(APIReadSuite):
    basename = "appeal"
    user = "secretary_delivery"
    read_only = False

    def make_visible(self, world):
        return _file(world)

    def make_invisible(self, world):
        return _file(world, industry=world.express, region=world.district_a)


class TestAppealsAPIForAPartner(APIReadSuite):
    """A platform's system sees the appeals it filed, not those filed against it by others."""

    basename = "appeal"
    user = "partner"
    read_only = False

    def make_visible(self, world):
        return _file(world, actor=world.partner, enterprise=world.ent_delivery_a)

    def make_invisible(self, world):
        return _file(world, enterprise=world.ent_delivery_a)


class TestAppealEventsAPI(APIReadOnlySuite):
    basename = "appeal-event"
    user = "secretary_delivery"

    def make_visible(self, world):
        return _file(world).events.get()

    def make_invisible(self, world):
        return _file(world, industry=world.express, region=world.district_a).events.get()


def payload(world, **extra):
    return {
        "category": "wages",
        "channel": "app",
        "description": "本月配送费少结算300元。",
        "contact_name": "王师傅",
        "contact_phone": "13912340000",
        "region": world.street_a.code,
        "industry": "food_delivery",
        "enterprise": world.ent_delivery_a.pk,
        "external_id": "MT-T-1",
        **extra,
    }


def test_a_partner_files_an_appeal_once_per_idempotency_key(world):
    client = api_client(world.partner)
    url = reverse("appeal-list")
    first = client.post(url, payload(world), HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["reference"].startswith("SQ") and body["status"] == "received"
    assert body["expected_at"] and body["due_at"]
    assert body["contact_phone_masked"] == "139****0000"
    assert "contact_phone" not in body
    again = client.post(url, payload(world), HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == body["id"]
    assert Appeal.objects.count() == 1
    other = client.post(url, payload(world, description="别的"), HTTP_IDEMPOTENCY_KEY="k-1")
    assert_error_format(other, 422, "idempotency_key_reused")


def test_bad_input_is_refused_field_by_field(world):
    client = api_client(world.partner)
    response = client.post(
        reverse("appeal-list"),
        payload(world, category="nope", description="", enterprise=world.ent_express_a.pk),
    )
    body = assert_error_format(response, 400, "invalid")
    assert {"category", "description", "enterprise"} <= set(body["fields"])
    assert not Appeal.objects.exists()


def test_the_same_external_id_twice_is_a_field_error(world):
    client = api_client(world.partner)
    assert client.post(reverse("appeal-list"), payload(world)).status_code == 201
    body = assert_error_format(client.post(reverse("appeal-list"), payload(world)), 400)
    assert body["fields"]


def test_the_workflow_through_the_action_endpoints(world):
    appeal = _file(world)
    client = api_client(world.staff)

    def act(action, **data):
        return client.post(reverse(f"appeal-{action}", args=[appeal.pk]), data)

    response = act("dispatch", organization=world.branch_delivery.pk, note="请处理")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "dispatched"
    assert act("sign").json()["status"] == "signed"
    assert act("extend", reason="需核实").json()["status"] == "extended"
    assert act("reply", reply="已退还").json()["status"] == "replied"
    assert act("close").json()["status"] == "closed"
    assert act("visit", score=5).json()["status"] == "archived"
    events = client.get(reverse("appeal-events", args=[appeal.pk])).json()
    assert [e["kind"] for e in events["results"]] == [
        "create",
        "dispatch",
        "sign",
        "extend",
        "reply",
        "close",
        "visit",
        "archive",
    ]


def test_a_refused_transition_is_a_400_that_changes_nothing(world):
    appeal = _file(world)
    client = api_client(world.staff)
    response = client.post(reverse("appeal-close", args=[appeal.pk]), {})
    body = assert_error_format(response, 400, "invalid")
    assert body["fields"]["non_field_errors"]
    appeal.refresh_from_db()
    assert appeal.status == Status.RECEIVED
    body = assert_error_format(
        client.post(reverse("appeal-visit", args=[appeal.pk]), {"score": 9}), 400
    )
    assert "score" in body["fields"]


def test_dispatch_out_of_scope_is_a_field_error(world):
    appeal = _file(world)
    client = api_client(world.secretary_delivery)
    response = client.post(
        reverse("appeal-dispatch", args=[appeal.pk]), {"organization": world.branch_express.pk}
    )
    body = assert_error_format(response, 400, "invalid")
    assert "organization" in body["fields"]


def test_actions_on_an_appeal_out_of_scope_answer_404(world):
    appeal = _file(world, industry=world.express, region=world.district_a)
    client = api_client(world.secretary_delivery)
    response = client.post(reverse("appeal-sign", args=[appeal.pk]), {})
    assert_error_format(response, 404, "not_found")
    assert_error_format(client.get(reverse("appeal-events", args=[appeal.pk])), 404)
    assert AppealEvent.objects.filter(appeal=appeal).count() == 1


def test_a_partner_may_not_move_appeals(world):
    appeal = _file(world, actor=world.partner, enterprise=world.ent_delivery_a)
    client = api_client(world.partner)
    response = client.post(
        reverse("appeal-dispatch", args=[appeal.pk]), {"organization": world.branch_delivery.pk}
    )
    assert_error_format(response, 403)


def test_appeals_are_never_edited_or_deleted_through_the_api(world):
    appeal = _file(world)
    client = api_client(world.staff)
    assert_error_format(client.patch(reverse("appeal-detail", args=[appeal.pk]), {}), 405)
    assert_error_format(client.delete(reverse("appeal-detail", args=[appeal.pk])), (403, 405))
    assert Appeal.objects.filter(pk=appeal.pk).exists()


def test_duplicates_endpoint_offers_candidates(world):
    first = _file(world, contact_phone="13900001111")
    second = _file(world, contact_phone="13900001111")
    response = api_client(world.staff).get(reverse("appeal-duplicates", args=[second.pk]))
    assert [row["id"] for row in response.json()["results"]] == [first.pk]


def test_filters_overdue_and_status(world):
    appeal = _file(world)
    Appeal.objects.filter(pk=appeal.pk).update(due_at="2020-01-01T00:00:00Z")
    other = _file(world)
    client = api_client(world.staff)
    ids = {
        r["id"] for r in client.get(reverse("appeal-list"), {"overdue": "true"}).json()["results"]
    }
    assert ids == {appeal.pk}
    ids = {
        r["id"]
        for r in client.get(reverse("appeal-list"), {"status": "received"}).json()["results"]
    }
    assert ids == {appeal.pk, other.pk}
