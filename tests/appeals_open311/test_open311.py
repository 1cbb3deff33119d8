"""The Open311 GeoReport v2 face against the specification's documents and errors."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appeals import services
from appeals.choices import Channel, Status
from appeals.models import Appeal, Category

SERVICE_KEYS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
REQUEST_KEYS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}

pytestmark = pytest.mark.django_db


def _w3c(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _assert_error(response, status):
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, list) and body
    assert body[0]["code"] == status
    assert body[0]["description"]


# --- services ---------------------------------------------------------------------------


def test_service_list_has_the_spec_shape(client, world, catalogues):
    response = client.get("/open311/v2/services.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    services_ = response.json()
    assert [s["service_code"] for s in services_] == list(
        Category.objects.filter(active=True).values_list("code", flat=True)
    )
    for service in services_:
        assert set(service) == SERVICE_KEYS
        assert service["metadata"] is False
        assert service["type"] == "realtime"
    wages = next(s for s in services_ if s["service_code"] == "wages")
    assert wages["service_name"] == "工资报酬与扣款"
    assert "扣款" in wages["keywords"].split(",")


def test_inactive_categories_are_not_offered(client, world, catalogues):
    Category.objects.filter(code="other").update(active=False)
    codes = [s["service_code"] for s in client.get("/open311/v2/services.json").json()]
    assert "other" not in codes and "wages" in codes


def test_service_list_in_xml(client, world, catalogues):
    response = client.get("/open311/v2/services.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "services"
    first = root.find("service")
    assert first.findtext("service_code") == "wages"
    assert first.findtext("metadata") == "false"


def test_service_definition_and_unknown_code(client, world, catalogues):
    response = client.get("/open311/v2/services/wages.json")
    assert response.status_code == 200
    assert response.json() == {"service_code": "wages", "attributes": []}
    _assert_error(client.get("/open311/v2/services/potholes.json"), 404)


def test_jurisdiction_is_checked(client, world, catalogues, settings):
    settings.OPEN311_JURISDICTION_ID = "changzhou.gov.cn"
    ok = client.get("/open311/v2/services.json", {"jurisdiction_id": "changzhou.gov.cn"})
    assert ok.status_code == 200
    _assert_error(client.get("/open311/v2/services.json", {"jurisdiction_id": "sfgov.org"}), 404)


def test_unknown_format_is_not_served(client, world, catalogues):
    assert client.get("/open311/v2/services.csv").status_code == 404


# --- POST Service Request -----------------------------------------------------------------


def test_post_with_form_data_returns_the_reference(post_request, world, keys):
    response = post_request(media_url="https://example.com/photo.jpg")
    assert response.status_code == 201
    body = response.json()
    assert len(body) == 1 and set(body[0]) == {"service_request_id", "service_notice", "account_id"}
    assert body[0]["account_id"] is None
    appeal = Appeal.objects.get(reference=body[0]["service_request_id"])
    assert appeal.channel == Channel.HOTLINE
    assert appeal.submitted_by == world.partner
    assert appeal.status == Status.RECEIVED
    assert appeal.category.code == "wages"
    assert appeal.contact_name == "张 伟"
    assert appeal.phone_ends_with("5678")
    assert appeal.latitude == pytest.approx(31.781)
    assert appeal.location == "天宁区雕庄街道某路口"
    assert appeal.expected_at is not None
    assert appeal.events.count() == 1


def test_post_in_xml(post_request):
    response = post_request(fmt="xml")
    assert response.status_code == 201
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    reference = root.find("request").findtext("service_request_id")
    assert Appeal.objects.filter(reference=reference).exists()


def test_post_with_a_known_account_id_names_the_worker(post_request, people, keys, world):
    body = post_request(account_id="MT-0001").json()
    appeal = Appeal.objects.get(reference=body[0]["service_request_id"])
    assert appeal.submitter == people.worker_delivery
    # Taken from the worker: the enterprise and the industry.
    assert appeal.enterprise == world.ent_delivery_a
    assert appeal.industry == world.delivery


def test_account_id_of_another_platform_is_not_matched(client, people, keys, catalogues):
    # SF-0001 is a courier, but not on the SF partner's platform roster (no platform set).
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": keys.sf,
            "service_code": "wages",
            "address_string": "某地",
            "description": "x",
            "account_id": "MT-0001",
        },
    )
    assert response.status_code == 201
    appeal = Appeal.objects.get(reference=response.json()[0]["service_request_id"])
    assert appeal.submitter is None


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "potholes"}, 404, "service_code"),
        ({"lat": None, "long": None, "address_string": None}, 400, "address_string"),
        ({"lat": "north"}, 400, "lat"),
        ({"description": ""}, 400, "description"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"jurisdiction_id": "sfgov.org"}, 404, "jurisdiction_id"),
    ],
)
def test_post_refusals_in_the_spec_format(post_request, params, status, field):
    response = post_request(**params)
    _assert_error(response, status)
    assert field in response.json()[0]["description"]
    assert not Appeal.objects.exists()


def test_post_without_or_with_a_bad_key_is_403(post_request, keys):
    _assert_error(post_request(api_key=None), 403)
    _assert_error(post_request(api_key="not-a-key"), 403)
    from core.models import APIKey

    APIKey.objects.filter(name="meituan").update(revoked=True)
    _assert_error(post_request(), 403)
    assert not Appeal.objects.exists()


def test_post_error_in_xml(post_request):
    response = post_request(fmt="xml", api_key=None)
    assert response.status_code == 403
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    assert root.find("error").findtext("code") == "403"


def test_key_in_the_authorization_header(client, keys, catalogues, world):
    response = client.post(
        "/open311/v2/requests.json",
        {"service_code": "health", "address_string": "某地", "description": "发烧"},
        HTTP_AUTHORIZATION=f"Api-Key {keys.meituan}",
    )
    assert response.status_code == 201


# --- GET Service Request(s) -----------------------------------------------------------------


@pytest.fixture
def filed(post_request):
    """Two requests of the Meituan partner: one left open, one replied and closed."""

    def reference(response):
        return response.json()[0]["service_request_id"]

    open_ref = reference(post_request())
    closed_ref = reference(post_request(service_code="account_ban", description="账号被封"))
    return open_ref, closed_ref


def _close(world, reference):
    appeal = Appeal.objects.get(reference=reference)
    appeal = services.appeal_dispatch(
        actor=world.staff, appeal=appeal, organization=world.branch_delivery
    )
    appeal = services.appeal_sign(actor=world.staff, appeal=appeal)
    appeal = services.appeal_reply(actor=world.staff, appeal=appeal, reply="已协调站点退还扣款。")
    return services.appeal_close(actor=world.staff, appeal=appeal)


def test_get_one_request(client, keys, filed, world):
    open_ref, _closed = filed
    response = client.get(f"/open311/v2/requests/{open_ref}.json", {"api_key": keys.meituan})
    assert response.status_code == 200
    [record] = response.json()
    assert set(record) == REQUEST_KEYS
    appeal = Appeal.objects.get(reference=open_ref)
    assert record["service_request_id"] == open_ref
    assert record["status"] == "open"
    assert record["service_code"] == "wages"
    assert record["requested_datetime"] == _w3c(appeal.received_at)
    assert record["expected_datetime"] == _w3c(appeal.expected_at)
    assert record["expected_datetime"].endswith("+08:00")
    assert record["lat"] == pytest.approx(31.781)
    assert record["zipcode"] == ""
    assert record["agency_responsible"] == ""


def test_closed_request_shows_status_notes_and_agency(client, keys, filed, world):
    _open, closed_ref = filed
    _close(world, closed_ref)
    [record] = client.get(
        f"/open311/v2/requests/{closed_ref}.json", {"api_key": keys.meituan}
    ).json()
    assert record["status"] == "closed"
    assert record["agency_responsible"] == world.branch_delivery.name
    assert "已协调站点退还扣款" in record["status_notes"]


def test_media_url_is_returned_apart_from_the_description(client, keys, post_request):
    ref = post_request(media_url="https://example.com/p.jpg").json()[0]["service_request_id"]
    [record] = client.get(f"/open311/v2/requests/{ref}.json", {"api_key": keys.meituan}).json()
    assert record["media_url"] == "https://example.com/p.jpg"
    assert record["description"] == "站点连续三个月克扣配送费。"


def test_list_filters_by_status(client, keys, filed, world):
    open_ref, closed_ref = filed
    _close(world, closed_ref)
    url = "/open311/v2/requests.json"

    def refs(**params):
        response = client.get(url, {"api_key": keys.meituan, **params})
        assert response.status_code == 200
        return {r["service_request_id"] for r in response.json()}

    assert refs() == {open_ref, closed_ref}
    assert refs(status="open") == {open_ref}
    assert refs(status="closed") == {closed_ref}
    assert refs(status="open,closed") == {open_ref, closed_ref}
    assert refs(service_code="account_ban") == {closed_ref}
    assert refs(service_request_id=f"{open_ref},NOPE") == {open_ref}
    _assert_error(client.get(url, {"api_key": keys.meituan, "status": "pending"}), 400)


def test_list_defaults_to_the_last_90_days(client, keys, world, catalogues):
    now = timezone.now()
    for days in (1, 100):
        services.appeal_create(
            actor=world.partner,
            data={"category": catalogues["health"], "description": "x", "location": "某地"},
            channel=Channel.HOTLINE,
            now=now - dt.timedelta(days=days),
        )
    url = "/open311/v2/requests.json"
    assert len(client.get(url, {"api_key": keys.meituan}).json()) == 1
    old = (now - dt.timedelta(days=120)).isoformat()
    recent = (now - dt.timedelta(days=50)).isoformat()
    ranged = client.get(url, {"api_key": keys.meituan, "start_date": old, "end_date": recent})
    assert len(ranged.json()) == 1
    too_long = client.get(
        url, {"api_key": keys.meituan, "start_date": old, "end_date": now.isoformat()}
    )
    _assert_error(too_long, 400)
    _assert_error(client.get(url, {"api_key": keys.meituan, "start_date": "last week"}), 400)


def test_get_needs_a_key(client, filed):
    open_ref, _closed = filed
    _assert_error(client.get("/open311/v2/requests.json"), 403)
    _assert_error(client.get(f"/open311/v2/requests/{open_ref}.json"), 403)
    _assert_error(client.get("/open311/v2/requests.json", {"api_key": "forged"}), 403)


def test_wrong_jurisdiction_on_get_is_404(client, keys, filed):
    response = client.get(
        "/open311/v2/requests.json", {"api_key": keys.meituan, "jurisdiction_id": "nyc.gov"}
    )
    _assert_error(response, 404)


def test_another_partners_request_is_404(client, keys, filed, file_appeal, world):
    open_ref, _closed = filed
    response = client.get(f"/open311/v2/requests/{open_ref}.json", {"api_key": keys.sf})
    _assert_error(response, 404)
    assert client.get("/open311/v2/requests.json", {"api_key": keys.sf}).json() == []
    # Nor does a partner see appeals filed by staff against its own platform.
    staff_appeal = file_appeal(now=timezone.now())
    response = client.get(
        f"/open311/v2/requests/{staff_appeal.reference}.json", {"api_key": keys.meituan}
    )
    _assert_error(response, 404)
    _assert_error(client.get("/open311/v2/requests/NOPE.json", {"api_key": keys.meituan}), 404)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_personal_data_in_gets(client, keys, post_request, fmt):
    ref = post_request(description="我叫张伟，电话13912345678，身份证320402199001011234。").json()[
        0
    ]["service_request_id"]
    for url in (f"/open311/v2/requests/{ref}.{fmt}", f"/open311/v2/requests.{fmt}"):
        text = client.get(url, {"api_key": keys.meituan}).content.decode()
        assert ref in text
        assert "13912345678" not in text
        assert "320402199001011234" not in text
        assert "张 伟" not in text  # the contact name is never a field
        assert "5678" in text  # masked, not dropped: 139****5678


def test_list_costs_the_same_queries_whatever_its_length(client, keys, post_request):
    url = "/open311/v2/requests.json"
    post_request()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"api_key": keys.meituan}).status_code == 200
        return len(ctx)

    one = count()
    for _ in range(4):
        post_request()
    assert count() == one
