"""The stations API filters with the portal's ``StationFilterSet``: one test per filter (the two
placed stations differ on each; each filter keeps exactly one)."""

import pytest

from stations.models import Station
from tests.base import api_client


@pytest.fixture
def stations(world, placed):
    placed.station_a.industries.set([world.delivery])
    Station.objects.filter(pk=placed.station_b.pk).update(status="suspended")
    return {"a": placed.station_a, "b": placed.station_b}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "雕庄"}, "a"),
        ({"region": "district_b"}, "b"),
        ({"kind": "service_bar"}, "b"),
        ({"status": "suspended"}, "b"),
        ({"compliant": "true"}, "a"),
        ({"is_24h": "false"}, "b"),
        ({"facility": "first_aid"}, "a"),
        ({"industry": "delivery"}, "a"),
    ],
    ids=lambda v: next(iter(v)) if isinstance(v, dict) else v,
)
def test_station_filter(world, stations, params, expected):
    key, value = next(iter(params.items()))
    if key == "region":
        value = world.district_b.code
    elif key == "industry":
        value = world.delivery.code
    response = api_client(world.staff).get("/api/v1/stations/", {key: value})
    assert response.status_code == 200, response.content
    assert [r["id"] for r in response.json()["results"]] == [stations[expected].pk]
