"""The service circle and the nearby endpoint at city scale.

Data: clustered worker points (lognormal cluster sizes, 0.4–1.5 km spreads) over a
Changzhou-sized box, and stations placed around two thirds of the clusters (in proportion to
their size), so the remaining clusters form real uncovered hot spots.

Targets (full scale, 2,000,000 workers × 10,000 stations, e-bike 10 minutes = 2,500 m):
- coverage from arrays (k-d tree build + covered-or-not for every worker + shares) ≤ 1 s;
- ≥ 500× faster per point than brute-force haversine on a 20,000-point sample, with zero
  disagreements (distance within 1 m and the same covered/uncovered verdict);
- ``GET /api/v1/stations/nearby/`` p95 ≤ 20 ms with 10,000 stations in the database;
- siting 100 new stations ≤ 5 s, newly covering ≥ 1.5× the workers that sites at the centres of
  the 100 densest uncovered cells would.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

from bench.common import Row, p95, timings
from organizations.choices import GrantKind, OrganizationBasis, OrganizationKind, RegionLevel
from organizations.models import PartyOrganization, Region, ScopeGrant
from organizations.roles import PARTNER_SYSTEM, apply_all_role_grants
from stations import circle
from stations.catalogue import load_catalogue
from stations.directory import directory_changed
from stations.models import Facility, OpeningHours, Station, StationFacility

BOX = (31.15, 32.05, 119.15, 120.20)  # Changzhou's extent: lat min, lat max, lng min, lng max
RADIUS_M = circle.travel_radius_m({"mode": "ebike", "speeds_kmh": {"ebike": 15}, "minutes": 10})
KM_PER_DEG = 111.195


def generate(n_workers: int, n_stations: int, n_clusters: int, seed: int = 7):
    """``(worker_lat, worker_lng, worker_group, station_lat, station_lng)``.

    A quarter of the clusters are urban and served: larger, and every station stands around
    one of them (in proportion to its size). The other clusters are towns and work sites at
    least 5 km from any urban centre, with no station: the uncovered hot spots.
    """
    rng = np.random.default_rng(seed)
    n_served = max(1, n_clusters // 4)
    lat0, lat1, lng0, lng1 = BOX
    s_c_lat = rng.uniform(lat0 + 0.05, lat1 - 0.05, n_served)
    s_c_lng = rng.uniform(lng0 + 0.05, lng1 - 0.05, n_served)
    served_tree = circle.StationIndex(s_c_lat, s_c_lng)
    far_lat, far_lng = [], []
    while len(far_lat) < n_clusters - n_served:
        lat = rng.uniform(lat0, lat1, 4 * n_clusters)
        lng = rng.uniform(lng0, lng1, 4 * n_clusters)
        distance, _ = served_tree.nearest(lat, lng)
        far_lat += lat[distance >= 5000].tolist()
        far_lng += lng[distance >= 5000].tolist()
    n_far = n_clusters - n_served
    c_lat = np.concatenate([s_c_lat, far_lat[:n_far]])
    c_lng = np.concatenate([s_c_lng, far_lng[:n_far]])
    served = np.arange(n_clusters) < n_served
    spread_km = np.where(
        served, rng.uniform(0.8, 1.5, n_clusters), rng.uniform(0.4, 1.2, n_clusters)
    )
    size = rng.lognormal(0.0, 1.0, n_clusters) * np.where(served, 9.0, 1.0)
    size = size / size.sum()

    per_cluster = rng.multinomial(n_workers, size)
    which = np.repeat(np.arange(n_clusters), per_cluster)
    cos = np.cos(np.radians(c_lat[which]))
    w_lat = c_lat[which] + rng.normal(0, 1, len(which)) * spread_km[which] / KM_PER_DEG
    w_lng = c_lng[which] + rng.normal(0, 1, len(which)) * spread_km[which] / (KM_PER_DEG * cos)

    s_share = np.where(served, size, 0.0)
    s_per_cluster = rng.multinomial(n_stations, s_share / s_share.sum())
    s_which = np.repeat(np.arange(n_clusters), s_per_cluster)
    s_cos = np.cos(np.radians(c_lat[s_which]))
    s_spread = 1.2 * spread_km[s_which]
    s_lat = c_lat[s_which] + rng.normal(0, 1, len(s_which)) * s_spread / KM_PER_DEG
    s_lng = c_lng[s_which] + rng.normal(0, 1, len(s_which)) * s_spread / (KM_PER_DEG * s_cos)
    # The region (street) of a worker: clusters are spread over 80 streets.
    group = (which % 80).astype(np.int64)
    return w_lat, w_lng, group, s_lat, s_lng


def coverage(w_lat, w_lng, group, s_lat, s_lng):
    index = circle.StationIndex(s_lat, s_lng)
    covered = circle.covered_within(index, w_lat, w_lng, RADIUS_M)
    num, den = circle.shares(covered, group, 80)
    return covered, num, den


def _median_seconds(fn, repeat: int) -> float:
    fn()  # warm up
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return statistics.median(out)


def load_stations(s_lat, s_lng, rng) -> None:
    """The stations into the database (bulk): a quarter 24-hour, the rest with daily hours,
    a third of them running past midnight; every station has water, half a first-aid kit."""
    load_catalogue(Facility)
    # Other benchmarks of the same run may have created the city already.
    city, _ = Region.objects.get_or_create(
        code="320400", defaults={"name": "常州市", "level": RegionLevel.CITY}
    )
    host = PartyOrganization.objects.create(
        code="bench-stations-host",
        name="两新工委",
        kind=OrganizationKind.WORKING_COMMITTEE,
        basis=OrganizationBasis.REGIONAL,
        region=city,
    )
    is_24h = rng.random(len(s_lat)) < 0.25
    stations = Station.objects.bulk_create(
        [
            Station(
                name=f"驿站{n}",
                kind="red_station",
                host_organization=host,
                region=city,
                address=f"某路{n}号",
                latitude=float(lat),
                longitude=float(lng),
                is_24h=bool(h),
            )
            for n, (lat, lng, h) in enumerate(zip(s_lat, s_lng, is_24h, strict=True))
        ],
        batch_size=2000,
    )
    water = Facility.objects.get(code="water")
    first_aid = Facility.objects.get(code="first_aid")
    rows, hours = [], []
    for n, station in enumerate(stations):
        rows.append(StationFacility(station=station, facility=water))
        if n % 2 == 0:
            rows.append(StationFacility(station=station, facility=first_aid))
        if not station.is_24h:
            opens, closes = (dt.time(18), dt.time(2)) if n % 3 == 0 else (dt.time(8), dt.time(20))
            hours += [
                OpeningHours(station=station, weekday=d, opens=opens, closes=closes)
                for d in range(7)
            ]
    StationFacility.objects.bulk_create(rows, batch_size=5000)
    OpeningHours.objects.bulk_create(hours, batch_size=5000)
    directory_changed()  # bulk writes send no signals
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def nearby_p95(s_lat, s_lng, rng, repeat: int) -> tuple[float, float, float]:
    """p95 and median of the nearby endpoint through the test client (ms), and the mean
    number of results."""
    apply_all_role_grants()
    user = get_user_model().objects.create_user("bench_stations_partner", password="x")
    user.groups.add(Group.objects.get(name=PARTNER_SYSTEM))
    # A partner grant on nothing in particular: the directory is not scoped.
    ScopeGrant.objects.create(user=user, kind=GrantKind.CITY)
    client = Client()
    client.force_login(user)
    # Riders ask from where stations are (near a random station, within ~1 km).
    pick = rng.integers(0, len(s_lat), 400)
    lat = s_lat[pick] + rng.normal(0, 1 / KM_PER_DEG, 400)
    lng = s_lng[pick] + rng.normal(0, 1 / KM_PER_DEG, 400)
    queries = []
    for n in range(400):
        params = {"lat": f"{lat[n]:.6f}", "lng": f"{lng[n]:.6f}", "radius_m": 3000}
        if n % 3 == 1:
            params["open_now"] = "true"
        if n % 5 == 2:
            params["facility"] = "first_aid"
        queries.append(params)
    found = []
    state = {"i": 0}

    def one():
        params = queries[state["i"] % len(queries)]
        state["i"] += 1
        response = client.get("/api/v1/stations/nearby/", params)
        assert response.status_code == 200, response.content[:300]
        found.append(response.json()["count"])

    values = timings(one, repeat, warmup=10)
    return p95(values), statistics.median(values), float(np.mean(found))


def run(small: bool) -> list[Row]:
    n_workers, n_stations, n_clusters, sample = (
        (50_000, 1_000, 200, 2_000) if small else (2_000_000, 10_000, 1_000, 20_000)
    )
    n_sites = 20 if small else 100
    scale = f"{n_workers:,} workers × {n_stations:,} stations"
    rows: list[Row] = []
    w_lat, w_lng, group, s_lat, s_lng = generate(n_workers, n_stations, n_clusters)

    seconds = _median_seconds(lambda: coverage(w_lat, w_lng, group, s_lat, s_lng), 3)
    covered, _num, _den = coverage(w_lat, w_lng, group, s_lat, s_lng)
    rows.append(
        Row(
            "stations",
            f"coverage from arrays, {scale}",
            seconds * 1000,
            "ms",
            "≤ 1,000 ms",
            seconds <= 1.0,
        )
    )
    rows.append(Row("stations", "workers covered (share)", 100 * covered.mean(), "%"))

    rng = np.random.default_rng(11)
    take = rng.choice(n_workers, sample, replace=False)
    started = time.perf_counter()
    brute_d, _ = circle.brute_force_nearest(w_lat[take], w_lng[take], s_lat, s_lng)
    brute_per_point = (time.perf_counter() - started) / sample
    tree_per_point = seconds / n_workers
    speedup = brute_per_point / tree_per_point
    full_d, _ = circle.StationIndex(s_lat, s_lng).nearest(w_lat[take], w_lng[take])
    # Distances of the tree within 1 m of brute force; the covered verdict the same, except
    # for points within 1 m of the radius itself.
    clear = np.abs(brute_d - RADIUS_M) > 1.0
    disagree = int(
        np.sum(np.abs(full_d - brute_d) > 1.0)
        + np.sum(clear & (covered[take] != (brute_d <= RADIUS_M)))
    )
    rows.append(
        Row(
            "stations",
            f"speed-up over brute-force haversine ({sample:,} sample)",
            speedup,
            "×",
            "≥ 500×",
            speedup >= 500,
        )
    )
    rows.append(
        Row(
            "stations",
            "disagreements with brute force (1 m tolerance)",
            disagree,
            "points",
            "0",
            disagree == 0,
        )
    )

    u_lat, u_lng = w_lat[~covered], w_lng[~covered]
    started = time.perf_counter()
    sites = circle.greedy_sites(u_lat, u_lng, n_sites=n_sites, radius_m=RADIUS_M, resolution=8)
    siting = time.perf_counter() - started
    greedy_total = sum(s.newly_covered for s in sites)
    d_lat, d_lng = circle.densest_cell_sites(u_lat, u_lng, n_sites=n_sites, resolution=8)
    densest_total = int(circle.exact_new_coverage(d_lat, d_lng, u_lat, u_lng, RADIUS_M).sum())
    ratio = greedy_total / densest_total if densest_total else float("inf")
    rows.append(
        Row(
            "stations",
            f"siting {n_sites} stations over {len(u_lat):,} uncovered workers",
            siting * 1000,
            "ms",
            "≤ 5,000 ms",
            siting <= 5.0,
        )
    )
    rows.append(
        Row("stations", f"newly covered by {n_sites} greedy sites", greedy_total, "workers")
    )
    rows.append(
        Row("stations", f"newly covered by the {n_sites} densest cells", densest_total, "workers")
    )
    rows.append(Row("stations", "greedy ÷ densest cells", ratio, "×", "≥ 1.5×", ratio >= 1.5))

    db_rng = np.random.default_rng(5)
    load_stations(s_lat, s_lng, db_rng)
    value, median, mean_found = nearby_p95(s_lat, s_lng, db_rng, 60 if small else 300)
    rows.append(
        Row(
            "stations",
            f"nearby endpoint p95, {n_stations:,} stations in the database",
            value,
            "ms",
            "p95 ≤ 20 ms",
            value <= 20,
        )
    )
    rows.append(Row("stations", "nearby endpoint median", median, "ms"))
    rows.append(Row("stations", "nearby: stations returned per query (mean)", mean_found, ""))
    return rows
