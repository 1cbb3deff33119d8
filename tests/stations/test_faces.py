"""Every face of stations is scoped (a district-B officer never sees district A's station),
and the nearby directory, check-ins and the HSDS export behave as rider apps rely on."""

import datetime as dt
import io
import json
import zipfile
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from core.models import PIIAccessLog
from stations import services
from stations.models import CabinetStock, CheckIn, MedicineCabinet, Station
from tests.base import api_client, assert_error_format, ids_of

SH = ZoneInfo("Asia/Shanghai")
NEARBY = "/api/v1/stations/nearby/"


def _names(response) -> set[str]:
    return {s.name for s in response.context["station_list"]}


SCOPES = [
    ("staff", {"station_a", "station_b"}),
    ("district_officer", {"station_b"}),
    ("secretary_delivery", {"station_a"}),  # hosted by an outlet its branch covers
    ("secretary_express", set()),
]


@pytest.mark.parametrize(("username", "expected"), SCOPES)
def test_portal_list_and_export_are_scoped(client, world, placed, username, expected):
    names = {key: getattr(placed, key).name for key in ("station_a", "station_b")}
    client.force_login(getattr(world, username))
    response = client.get("/stations/")
    assert response.status_code == 200
    assert _names(response) == {names[k] for k in expected}
    export = client.get("/stations/", {"format": "xlsx"})
    rows = list(
        load_workbook(BytesIO(export.content), read_only=True).active.iter_rows(values_only=True)
    )
    assert {r[0] for r in rows[1:]} == {names[k] for k in expected}
    log = PIIAccessLog.objects.get(actor=getattr(world, username))
    assert log.row_count == len(expected)


def test_portal_detail_out_of_scope_is_404(client, world, placed):
    client.force_login(world.district_officer)
    assert client.get(f"/stations/{placed.station_a.pk}/").status_code == 404
    page = client.get(f"/stations/{placed.station_b.pk}/")
    assert page.status_code == 200
    # The verdict says what is missing.
    assert "急救药箱" in page.content.decode()


def test_portal_list_filters(client, world, placed):
    client.force_login(world.staff)
    assert _names(client.get("/stations/", {"compliant": "true"})) == {placed.station_a.name}
    assert _names(client.get("/stations/", {"region": world.district_b.code})) == {
        placed.station_b.name
    }
    assert _names(client.get("/stations/", {"facility": "wifi"})) == {placed.station_a.name}


def test_a_filtered_list_offers_to_clear_its_filters(client, world, placed):
    client.force_login(world.staff)
    assert "清除筛选" not in client.get("/stations/", {"page": "1"}).content.decode()
    assert "清除筛选" in client.get("/stations/", {"facility": "wifi"}).content.decode()


def test_portal_list_query_count_is_constant(client, world, placed, django_assert_max_num_queries):
    for n in range(15):
        services.station_create(
            actor=world.staff,
            data={
                "name": f"驿站{n}",
                "kind": "red_station",
                "host_enterprise": world.ent_delivery_b,
                "region": world.district_b,
                "address": "x",
                "latitude": 31.7,
                "longitude": 119.9,
                "facilities": ["water", "wifi"],
            },
        )
    client.force_login(world.staff)
    with django_assert_max_num_queries(12):
        assert client.get("/stations/").status_code == 200


@pytest.mark.parametrize(("username", "expected"), [*SCOPES, ("partner", {"station_a"})])
def test_api_list_is_scoped(world, placed, username, expected):
    response = api_client(getattr(world, username)).get("/api/v1/stations/")
    assert ids_of(response) == {getattr(placed, k).pk for k in expected}


def test_api_detail_and_writes_out_of_scope_are_404(world, placed):
    api = api_client(world.district_officer)
    assert api.get(f"/api/v1/stations/{placed.station_a.pk}/").status_code == 404
    assert api.patch(f"/api/v1/stations/{placed.station_a.pk}/", {"name": "x"}).status_code == 404
    assert Station.objects.get(pk=placed.station_a.pk).name == placed.station_a.name
    assert api.get(f"/api/v1/stations/{placed.station_b.pk}/").status_code == 200


def test_api_create_in_another_district_is_refused(world, placed):
    api = api_client(world.district_officer)
    response = api.post(
        "/api/v1/stations/",
        {
            "name": "越界驿站",
            "kind": "red_station",
            "host_enterprise": world.ent_delivery_b.pk,
            "region": world.district_a.code,
            "address": "天宁区某路",
            "latitude": 31.78,
            "longitude": 119.97,
        },
    )
    assert response.status_code == 400
    body = assert_error_format(response, 400)
    # Refused by the scope re-check inside the write's transaction.
    assert "non_field_errors" in body["fields"]
    assert not Station.objects.filter(name="越界驿站").exists()


def test_api_create_derives_compliance(world, catalogue):
    api = api_client(world.staff)
    response = api.post(
        "/api/v1/stations/",
        {
            "name": "新驿站",
            "kind": "drivers_home",
            "host_organization": world.branch_express.pk,
            "region": world.district_a.code,
            "address": "天宁区某路2号",
            "latitude": 31.79,
            "longitude": 119.98,
            "facilities": ["fan_or_ac", "microwave", "water", "charging", "tables_chairs"],
            "opening_hours": [{"weekday": 4, "opens": "18:00", "closes": "02:00"}],
            "industries": ["express"],
            "compliant": True,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["compliant"] is False
    assert body["missing"] == {"facilities": ["first_aid"], "principles": ["medicine"]}
    assert body["opening_hours"] == [{"weekday": 4, "opens": "18:00:00", "closes": "02:00:00"}]
    patched = api.patch(
        f"/api/v1/stations/{body['id']}/",
        {"facilities": [*body["facilities"], "first_aid"]},
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["compliant"] is True


def test_admin_is_scoped(client, world, placed):
    client.force_login(world.district_officer)
    changelist = client.get("/admin/stations/station/")
    assert changelist.status_code == 200
    shown = {s.pk for s in changelist.context["cl"].result_list}
    assert shown == {placed.station_b.pk}
    assert client.get(f"/admin/stations/station/{placed.station_a.pk}/change/").status_code == 404
    assert client.get(f"/admin/stations/station/{placed.station_b.pk}/change/").status_code == 200


def test_admin_restock_action(client, world, placed):
    cabinet = MedicineCabinet.objects.create(station=placed.station_b, code="MC-B-1")
    low = CabinetStock.objects.create(cabinet=cabinet, name="创可贴", quantity=2, threshold=10)
    client.force_login(world.district_officer)
    response = client.post(
        "/admin/stations/cabinetstock/",
        {"action": "restock_to_twice_threshold", "_selected_action": [low.pk]},
    )
    assert response.status_code == 302
    low.refresh_from_db()
    assert low.quantity == 20
    restock = low.restocks.get()
    assert restock.quantity == 18 and restock.by == world.district_officer


def test_low_stock_list_is_scoped(client, world, placed):
    cab_a = MedicineCabinet.objects.create(station=placed.station_a, code="MC-A-1")
    cab_b = MedicineCabinet.objects.create(station=placed.station_b, code="MC-B-1")
    CabinetStock.objects.create(cabinet=cab_a, name="布洛芬", quantity=1, threshold=5)
    CabinetStock.objects.create(cabinet=cab_b, name="碘伏", quantity=0, threshold=5)
    CabinetStock.objects.create(cabinet=cab_b, name="口罩", quantity=50, threshold=5)
    client.force_login(world.district_officer)
    response = client.get("/stations/cabinets/low-stock/")
    assert [s.name for s in response.context["object_list"]] == ["碘伏"]
    client.force_login(world.staff)
    response = client.get("/stations/cabinets/low-stock/")
    assert [s.name for s in response.context["object_list"]] == ["碘伏", "布洛芬"]


# --- nearby ------------------------------------------------------------------------------


def test_nearby_sorted_by_distance_with_metres(world, placed):
    # A point 1 km east of station B; station A is 5 km further east.
    response = api_client(world.partner).get(
        NEARBY, {"lat": 31.78, "lng": 119.9306, "radius_m": 10000}
    )
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["id"] for r in results] == [placed.station_b.pk, placed.station_a.pk]
    assert 990 <= results[0]["distance_m"] <= 1010
    assert 3700 <= results[1]["distance_m"] <= 3800
    near = api_client(world.partner).get(NEARBY, {"lat": 31.78, "lng": 119.9306, "radius_m": 2000})
    assert [r["id"] for r in near.json()["results"]] == [placed.station_b.pk]


def test_nearby_open_now_and_facility(world, placed, monkeypatch):
    from django.utils import timezone

    # 23:00 in Shanghai: station B (09:00–21:00) is closed, the 24-hour station A is open.
    late = dt.datetime(2026, 12, 4, 23, 0, tzinfo=SH)
    monkeypatch.setattr(timezone, "now", lambda: late)
    api = api_client(world.partner)
    everything = api.get(NEARBY, {"lat": 31.78, "lng": 119.93, "radius_m": 10000}).json()
    assert {r["id"]: r["open_now"] for r in everything["results"]} == {
        placed.station_a.pk: True,
        placed.station_b.pk: False,
    }
    open_now = api.get(NEARBY, {"lat": 31.78, "lng": 119.93, "radius_m": 10000, "open_now": "true"})
    assert [r["id"] for r in open_now.json()["results"]] == [placed.station_a.pk]
    first_aid = api.get(
        NEARBY, {"lat": 31.78, "lng": 119.93, "radius_m": 10000, "facility": "first_aid"}
    )
    assert [r["id"] for r in first_aid.json()["results"]] == [placed.station_a.pk]


def test_nearby_skips_closed_stations_and_checks_its_input(world, placed):
    services.station_update(
        actor=world.staff, station=placed.station_b, data={"status": "suspended"}
    )
    api = api_client(world.partner)
    response = api.get(NEARBY, {"lat": 31.78, "lng": 119.92, "radius_m": 1000})
    assert response.json()["results"] == []
    bad = api.get(NEARBY, {"lat": 95, "lng": 119.92, "facility": "jacuzzi"})
    assert bad.status_code == 400
    assert_error_format(bad, 400)
    assert {"lat", "facility"} <= set(bad.json()["fields"])
    assert api_client().get(NEARBY, {"lat": 31.78, "lng": 119.92}).status_code in (401, 403)


# --- check-ins -----------------------------------------------------------------------------


def test_check_in_is_idempotent_per_minute(world, people, placed):
    api = api_client(world.partner)
    url = f"/api/v1/stations/{placed.station_b.pk}/check-ins/"
    at = "2026-12-01T10:15:07+08:00"
    first = api.post(url, {"worker": people.worker_delivery.pk, "channel": "qr", "at": at})
    assert first.status_code == 201, first.content
    again = api.post(
        url,
        {"worker": people.worker_delivery.pk, "channel": "qr", "at": "2026-12-01T10:15:59+08:00"},
    )
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    later = api.post(
        url,
        {"worker": people.worker_delivery.pk, "channel": "qr", "at": "2026-12-01T10:16:00+08:00"},
    )
    assert later.status_code == 201
    assert CheckIn.objects.count() == 2
    assert CheckIn.objects.filter(submitted_by=world.partner).count() == 2


def test_check_in_needs_a_worker_in_scope_and_an_active_station(world, people, placed):
    api = api_client(world.partner)
    url = f"/api/v1/stations/{placed.station_b.pk}/check-ins/"
    # The partner cannot check in another platform's worker: a field error, nothing written.
    other = api.post(url, {"worker": people.worker_delivery_b.pk, "channel": "partner_app"})
    assert other.status_code == 400
    assert "worker" in other.json()["fields"]
    services.station_update(actor=world.staff, station=placed.station_b, data={"status": "closed"})
    closed = api.post(url, {"worker": people.worker_delivery.pk, "channel": "partner_app"})
    assert closed.status_code == 404
    assert not CheckIn.objects.exists()


# --- HSDS --------------------------------------------------------------------------------


def test_hsds_json_and_csv(world, placed):
    api = api_client(world.partner)
    data = api.get("/api/v1/stations/hsds/").json()
    assert {loc["name"] for loc in data["location"]} == {
        placed.station_a.name,
        placed.station_b.name,
    }
    services = {s["id"]: s for s in data["service"]}
    orgs = {o["id"] for o in data["organization"]}
    locations = {loc["id"] for loc in data["location"]}
    for link in data["service_at_location"]:
        assert link["service_id"] in services and link["location_id"] in locations
    assert all(s["organization_id"] in orgs for s in services.values())
    byday = {s["byday"] for s in data["schedule"]}
    assert "MO,TU,WE,TH,FR,SA,SU" in byday and "MO" in byday  # 24-hour A, daily rows for B
    assert api.get("/api/v1/stations/hsds/").json() == data  # stable identifiers
    response = api.get("/api/v1/stations/hsds-csv/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"organization.csv", "service.csv", "location.csv", "service_at_location.csv"} <= set(
        archive.namelist()
    )
    text = archive.read("location.csv").decode("utf-8-sig")
    assert placed.station_a.name in text
    assert PIIAccessLog.objects.filter(actor=world.partner).count() == 3
    json.dumps(data)


def test_nearby_rows_have_the_documented_shape(world, placed):
    from stations.api.serializers import NearbyStationSerializer, nearby_row
    from stations.selectors import nearby

    found = nearby(lat=31.78, lng=119.93, radius_m=10000)
    assert [nearby_row(x) for x in found] == NearbyStationSerializer(found, many=True).data
