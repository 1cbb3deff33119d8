"""The public finder without typed coordinates: a district/street picker, a search by name or
address, the phone's position (hidden fields), and a navigation link per station."""

from urllib.parse import parse_qs, urlparse

import pytest


def _names(response) -> list[str]:
    return [found.station.name for found in response.context["results"]]


@pytest.mark.django_db
def test_the_picker_offers_districts_and_streets_and_no_coordinate_fields(client, world, placed):
    html = client.get("/stations/find/").content.decode()
    assert 'type="hidden" name="lat"' in html and 'type="hidden" name="lng"' in html
    assert '<option value="320402">天宁区</option>' in html
    assert '<option value="320402001">\u3000雕庄街道</option>' in html
    assert 'name="q"' in html
    assert "<script>" not in html  # the location button is the vendored stations/find.js
    assert "stations/find" in html and "find.js" in html


def test_a_district_lists_its_stations_and_a_street_only_its_own(client, world, placed):
    assert _names(client.get("/stations/find/", {"region": "320402"})) == [placed.station_a.name]
    assert _names(client.get("/stations/find/", {"region": "320404"})) == [placed.station_b.name]
    assert _names(client.get("/stations/find/", {"region": "320402001"})) == [placed.station_a.name]


def test_search_by_name_or_address(client, world, placed):
    assert _names(client.get("/stations/find/", {"q": "服务吧"})) == [placed.station_b.name]
    assert _names(client.get("/stations/find/", {"q": "雕庄路"})) == [placed.station_a.name]
    assert _names(client.get("/stations/find/", {"q": "钟楼 西林"})) == [placed.station_b.name]
    both = _names(client.get("/stations/find/", {"q": "区"}))
    assert sorted(both) == sorted([placed.station_a.name, placed.station_b.name])
    none = client.get("/stations/find/", {"q": "不存在的驿站"})
    assert none.context["results"] == []
    assert "没有找到驿站" in none.content.decode() or "No station found" in none.content.decode()


def test_a_position_narrowed_by_a_district_keeps_distance_order(client, world, placed):
    near_b = {"lat": "31.78", "lng": "119.9306", "radius_m": "10000"}
    response = client.get("/stations/find/", near_b)
    assert _names(response) == [placed.station_b.name, placed.station_a.name]
    assert response.context["results"][0].distance_m == pytest.approx(1000, abs=30)
    assert _names(client.get("/stations/find/", {**near_b, "region": "320402"})) == [
        placed.station_a.name
    ]


def test_each_station_has_navigation_links_with_its_coordinates(client, world, placed):
    response = client.get("/stations/find/", {"region": "320402"})
    html = response.content.decode()
    assert 'href="geo:31.780000,119.970000?q=31.780000,119.970000(' in html
    amap = response.context["results"][0].navigation["amap"]
    url = urlparse(amap)
    assert (url.scheme, url.netloc, url.path) == ("https", "uri.amap.com", "/marker")
    query = parse_qs(url.query)
    assert query["position"] == ["119.970000,31.780000"]
    assert query["coordinate"] == ["wgs84"]
    assert query["name"] == [placed.station_a.name]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"radius_m": "3000"},
        {"lat": "31.78"},
        {"lat": "abc", "lng": "119.9"},
        {"region": "999999"},
        {"q": "x" * 61},
        {"lat": "95", "lng": "119.9"},
    ],
)
def test_bad_or_missing_input_is_a_clear_error_never_a_5xx(client, world, placed, params):
    response = client.get("/stations/find/", {"submitted": "1", **params})
    assert response.status_code == 200
    assert response.context["results"] is None
    assert response.context["form"].errors


def test_open_now_is_a_labelled_checkbox(client, world, placed):
    html = client.get("/stations/find/").content.decode()
    assert '<label class="toggle" for="id_open_now"><input type="checkbox" name="open_now"' in html
