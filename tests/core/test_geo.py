"""Street areas derived from the region data (``core.geo.street_areas``): each district of the
vendored boundary file divided among its streets by their centres, clipped to its outline."""

import itertools

import pytest
from shapely.geometry import Point, shape

from core import geo

#: Three streets of 天宁区 (320402) and one of 钟楼区 (320404), centres in WGS-84.
TIANNING = [
    {"code": "320402001", "name": "雕庄街道", "lat": 31.800, "lng": 119.990},
    {"code": "320402002", "name": "青龙街道", "lat": 31.800, "lng": 120.050},
    {"code": "320402003", "name": "茶山街道", "lat": 31.770, "lng": 119.985},
]
ZHONGLOU = [{"code": "320404001", "name": "南大街街道", "lat": 31.780, "lng": 119.930}]


def test_wgs_to_gcj_is_the_published_offset_near_changzhou():
    lat, lng = geo.wgs_to_gcj(31.78, 119.95)
    # GCJ-02 shifts points here by a few hundred metres, to the south-east (as in Shanghai:
    # about −0.002° of latitude and +0.0045° of longitude).
    assert -0.003 < lat - 31.78 < -0.001 and 0.003 < lng - 119.95 < 0.006


def test_a_district_is_divided_among_its_streets_without_gaps_or_overlaps():
    areas = geo.street_areas(TIANNING + ZHONGLOU)
    features = {f["id"]: f for f in areas["features"]}
    # 钟楼区 has one street with a centre: drawing it as the whole district would be wrong.
    assert set(features) == {"320402001", "320402002", "320402003"}
    shapes = {code: shape(f["geometry"]) for code, f in features.items()}
    for street in TIANNING:
        feature = features[street["code"]]
        assert feature["properties"] == {"name": street["name"], "approximate": True}
        lat, lng = geo.wgs_to_gcj(street["lat"], street["lng"])
        assert geo.district_outlines()["320402"].contains(Point(lng, lat))
        assert shapes[street["code"]].contains(Point(lng, lat))  # each holds its own centre
    for a, b in itertools.combinations(shapes.values(), 2):
        assert a.intersection(b).area < 1e-6  # neighbours share edges, not ground
    district = geo.district_outlines()["320402"]
    covered = sum(s.area for s in shapes.values())
    assert covered == pytest.approx(district.area, rel=0.02)  # within the simplification
    assert all(s.within(district.buffer(0.001)) for s in shapes.values())


def test_streets_without_a_centre_or_a_known_district_are_left_out():
    streets = [
        *TIANNING[:2],
        {"code": "320402004", "name": "红梅街道", "lat": None, "lng": None},
        {"code": "999999001", "name": "别处街道", "lat": 31.0, "lng": 120.0},
    ]
    codes = {f["id"] for f in geo.street_areas(streets)["features"]}
    assert codes == {"320402001", "320402002"}
    assert geo.street_areas([])["features"] == []


def test_two_streets_at_one_point_give_one_area_not_an_error():
    twin = {**TIANNING[0], "code": "320402009", "name": "同点街道"}
    codes = {f["id"] for f in geo.street_areas([TIANNING[0], twin, TIANNING[1]])["features"]}
    assert codes == {"320402001", "320402002"}
