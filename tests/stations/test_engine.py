"""The service-circle engine against brute-force haversine, and on small known data."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stations import circle

lat_s = st.floats(min_value=-80, max_value=80, allow_nan=False)
lng_s = st.floats(min_value=-179.9, max_value=179.9, allow_nan=False)


def test_haversine_known_distance():
    # One degree of latitude on the mean-radius sphere.
    assert abs(circle.haversine_m(31.0, 120.0, 32.0, 120.0) - 111_195.08) < 0.1
    assert circle.haversine_m(31.78, 119.95, 31.78, 119.95) == 0


@settings(max_examples=60, deadline=None)
@given(
    points=st.lists(st.tuples(lat_s, lng_s), min_size=1, max_size=30),
    stations=st.lists(st.tuples(lat_s, lng_s), min_size=1, max_size=30),
)
def test_tree_nearest_agrees_with_brute_force_haversine(points, stations):
    p = np.array(points)
    s = np.array(stations)
    distance, index = circle.StationIndex(s[:, 0], s[:, 1]).nearest(p[:, 0], p[:, 1])
    brute_d, _brute_i = circle.brute_force_nearest(p[:, 0], p[:, 1], s[:, 0], s[:, 1])
    assert np.all(np.abs(distance - brute_d) <= 1.0)
    # The station found is at the distance reported.
    found = circle.haversine_m(p[:, 0], p[:, 1], s[index, 0], s[index, 1])
    assert np.all(np.abs(found - distance) <= 1.0)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    radius=st.sampled_from([300.0, 833.3, 2500.0]),
    cell_deg=st.sampled_from([0.0005, 0.002, 0.01]),
)
def test_covered_within_is_exact(seed, radius, cell_deg):
    """The per-cell shortcut gives exactly the per-point answer of brute-force haversine."""
    rng = np.random.default_rng(seed)
    s_lat = rng.uniform(31.70, 31.86, 40)
    s_lng = rng.uniform(119.85, 120.05, 40)
    p_lat = rng.uniform(31.68, 31.88, 3000)
    p_lng = rng.uniform(119.83, 120.07, 3000)
    covered = circle.covered_within(
        circle.StationIndex(s_lat, s_lng), p_lat, p_lng, radius, cell_deg=cell_deg
    )
    brute_d, _ = circle.brute_force_nearest(p_lat, p_lng, s_lat, s_lng)
    clear = np.abs(brute_d - radius) > 1e-6
    assert np.array_equal(covered[clear], (brute_d <= radius)[clear])
    assert 0 < covered.sum() < len(covered)


def test_within_limits_the_search_to_the_radius():
    s_lat, s_lng = np.array([31.78]), np.array([119.95])
    # 1 km and 5 km north of the station.
    p_lat = np.array([31.78 + 1000 / 111_195.08, 31.78 + 5000 / 111_195.08])
    p_lng = np.array([119.95, 119.95])
    distance, index = circle.StationIndex(s_lat, s_lng).nearest(p_lat, p_lng, within_m=2500)
    assert abs(distance[0] - 1000) < 0.5 and index[0] == 0
    assert np.isinf(distance[1]) and index[1] == -1
    empty_d, empty_i = circle.StationIndex(np.empty(0), np.empty(0)).nearest(p_lat, p_lng)
    assert np.isinf(empty_d).all() and (empty_i == -1).all()


def test_radius_from_settings():
    assert (
        circle.travel_radius_m({"mode": "ebike", "speeds_kmh": {"ebike": 15}, "minutes": 10})
        == 2500
    )
    walking = {"mode": "walking", "speeds_kmh": {"walking": 5, "ebike": 15}, "minutes": 10}
    assert round(circle.travel_radius_m(walking), 3) == 833.333


def test_shares_per_group():
    covered = np.array([True, False, True, True])
    group = np.array([0, 0, 1, -1])
    num, den = circle.shares(covered, group, 2)
    assert num.tolist() == [1, 1] and den.tolist() == [2, 1]


def _cluster(lat, lng, n, spread_m, rng):
    return (
        lat + rng.normal(0, spread_m / 111_195, n),
        lng + rng.normal(0, spread_m / (111_195 * np.cos(np.radians(lat))), n),
    )


def test_greedy_sites_cover_distinct_clusters():
    """Two big clusters 20 km apart and a small one: two sites cover the two big ones, not
    two places in the biggest."""
    rng = np.random.default_rng(3)
    a = _cluster(31.78, 119.95, 600, 300, rng)
    b = _cluster(31.96, 119.95, 500, 300, rng)
    c = _cluster(31.60, 119.60, 50, 300, rng)
    lat = np.concatenate([a[0], b[0], c[0]])
    lng = np.concatenate([a[1], b[1], c[1]])
    sites = circle.greedy_sites(lat, lng, n_sites=2, radius_m=2500, resolution=8)
    assert len(sites) == 2
    assert sites[0].newly_covered >= 590  # nearly all of the big cluster
    assert sites[1].newly_covered >= 490
    near_b = circle.haversine_m(sites[1].lat, sites[1].lng, 31.96, 119.95)
    assert near_b < 1500
    # The exact count: no point is counted for two sites.
    assert sum(s.newly_covered for s in sites) <= len(lat)
    # Asking for more sites than there are points to cover stops early.
    assert len(circle.greedy_sites(lat[:3], lng[:3], n_sites=10, radius_m=2500, resolution=8)) <= 3


def test_exact_new_coverage_counts_each_point_once():
    lat = np.array([31.78, 31.78, 31.80])
    lng = np.array([119.95, 119.951, 119.95])
    same = circle.exact_new_coverage(
        np.array([31.78, 31.78]), np.array([119.95, 119.95]), lat, lng, 2500
    )
    assert same.tolist() == [3, 0]
