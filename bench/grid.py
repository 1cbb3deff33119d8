"""Grid tasks near a volunteer and inviting the best volunteers, at city scale.

Data: 200,000 open tasks and 2,000,000 volunteers' cells (≈ 290,000 volunteers, each covering
the h3 cell of their work place and its ring of six), clustered like workers over a
Changzhou-sized box.

Targets (full scale):
- ``GET /api/v1/grid/volunteers/{id}/tasks-near/`` p95 ≤ 20 ms (the k-ring look-up on the
  indexed cell of open tasks, nearest 20 within 3 km);
- ``POST /api/v1/grid/tasks/{id}/invite/ {"best": 50}`` p95 ≤ 50 ms (ring-by-ring look-up on
  the indexed volunteers' cells, then 50 invitations, their events and audit rows written).

The peer, in the same run on the same data: the same "nearest 20 within 3 km" as a bare
``.values()`` query over a latitude/longitude box (no cell index), timed at the database.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import F, Value
from django.test import Client
from django.utils import timezone

from bench.common import Row, p95, timings
from core import bulk
from grid import geo
from grid.models import Task, Volunteer, VolunteerCell
from members.models import Worker
from organizations.choices import GrantKind, RegionLevel
from organizations.models import Region, ScopeGrant
from organizations.roles import DEPARTMENT_STAFF, apply_all_role_grants

BOX = (31.15, 32.05, 119.15, 120.20)
KM_PER_DEG = 111.195
CHUNK = 100_000


def clustered(n: int, rng, n_clusters: int = 600):
    lat0, lat1, lng0, lng1 = BOX
    c_lat = rng.uniform(lat0 + 0.05, lat1 - 0.05, n_clusters)
    c_lng = rng.uniform(lng0 + 0.05, lng1 - 0.05, n_clusters)
    size = rng.lognormal(0, 1, n_clusters)
    pick = rng.choice(n_clusters, n, p=size / size.sum())
    spread = rng.uniform(0.4, 1.5, n_clusters)[pick] / KM_PER_DEG
    return c_lat[pick] + rng.normal(0, 1, n) * spread, c_lng[pick] + rng.normal(0, 1, n) * spread


def insert(model, columns: dict[str, list], returning: tuple[str, ...] = ()) -> list:
    """Rows through the PostgreSQL column insert in chunks, or ``bulk_create`` elsewhere."""
    n = len(next(iter(columns.values())))
    out: list = []
    for start in range(0, n, CHUNK):
        part = {k: v[start : start + CHUNK] for k, v in columns.items()}
        if bulk.supported(model):
            out += bulk.insert_columns(model, part, returning=returning)
        else:
            rows = [
                model(**dict(zip(part, values, strict=True)))
                for values in zip(*part.values(), strict=True)
            ]
            made = model.objects.bulk_create(rows, batch_size=5000)
            out += [tuple(getattr(m, r) for r in returning) for m in made]
    return out


def load(n_tasks: int, n_volunteers: int, rng) -> tuple[list[int], np.ndarray, np.ndarray]:
    city, _ = Region.objects.get_or_create(
        code="320400", defaults={"name": "常州市", "level": RegionLevel.CITY}
    )
    now = timezone.now()
    w_lat, w_lng = clustered(n_volunteers, rng)
    workers = insert(
        Worker,
        {
            "source": ["bench-grid"] * n_volunteers,
            "external_id": [f"G{i}" for i in range(n_volunteers)],
            "name": ["骑手"] * n_volunteers,
            "region_id": [city.pk] * n_volunteers,
            "work_lat": w_lat.tolist(),
            "work_lng": w_lng.tolist(),
        },
        returning=("id",),
    )
    homes = [geo.cell_of(a, b) for a, b in zip(w_lat.tolist(), w_lng.tolist(), strict=True)]
    skills = [",elderly_care," if i % 3 == 0 else ",anti_fraud," for i in range(n_volunteers)]
    loads = rng.integers(0, 7, n_volunteers).tolist()
    volunteers = insert(
        Volunteer,
        {
            "worker_id": [w[0] for w in workers],
            "channel": ["partner"] * n_volunteers,
            "skills": skills,
            "home_cell": homes,
            "load": loads,
        },
        returning=("id",),
    )
    v_ids, cells, ranks, cell_skills = [], [], [], []
    for (vid,), home, load, skill in zip(volunteers, homes, loads, skills, strict=True):
        for cell in geo.disk(home, 1):
            v_ids.append(vid)
            cells.append(cell)
            ranks.append(load)  # the copy services.volunteers.sync_cells keeps
            cell_skills.append(skill)
    insert(
        VolunteerCell,
        {"volunteer_id": v_ids, "cell": cells, "rank": ranks, "skills": cell_skills},
    )
    t_lat, t_lng = clustered(n_tasks, rng)
    starts = [now - dt.timedelta(hours=1)] * n_tasks
    insert(
        Task,
        {
            "kind": ["anti_fraud"] * n_tasks,
            "title": ["反诈宣传进小区"] * n_tasks,
            "region_id": [city.pk] * n_tasks,
            "place": ["小区"] * n_tasks,
            "lat": t_lat.tolist(),
            "lng": t_lng.tolist(),
            "cell": [
                geo.task_cell(a, b) for a, b in zip(t_lat.tolist(), t_lng.tolist(), strict=True)
            ],
            "starts_at": starts,
            "ends_at": [now + dt.timedelta(days=30)] * n_tasks,
            "slots": [5] * n_tasks,
            "points": [10] * n_tasks,
            "skill": ["elderly_care" if i % 4 == 0 else "" for i in range(n_tasks)],
        },
    )
    with connection.cursor() as cursor:  # planner statistics (both databases have ANALYZE)
        cursor.execute("ANALYZE")
    return [v[0] for v in volunteers], w_lat, w_lng


def peer_near(lat: float, lng: float, radius_m: float = 3000, limit: int = 20):
    """The same answer without the cell index: a latitude/longitude box, ordered by the
    same equirectangular distance."""
    dlat = radius_m / 1000 / KM_PER_DEG
    dlng = dlat / math.cos(math.radians(lat))
    k = math.cos(math.radians(lat)) ** 2
    d2 = (F("lat") - Value(lat)) * (F("lat") - Value(lat)) + (F("lng") - Value(lng)) * (
        F("lng") - Value(lng)
    ) * Value(k)
    return list(
        Task.objects.filter(
            status="open",
            ends_at__gt=timezone.now(),
            lat__range=(lat - dlat, lat + dlat),
            lng__range=(lng - dlng, lng + dlng),
        )
        .annotate(d2=d2)
        .order_by("d2", "id")
        .values("id", "lat", "lng")[:limit]
    )


def run(small: bool) -> list[Row]:
    n_tasks, n_volunteers, repeat = (5_000, 3_000, 60) if small else (200_000, 290_000, 300)
    rng = np.random.default_rng(16)
    v_ids, w_lat, w_lng = load(n_tasks, n_volunteers, rng)
    n_cells = VolunteerCell.objects.count()
    scale = f"{n_tasks:,} open tasks, {n_cells:,} volunteers' cells"
    apply_all_role_grants()
    user = get_user_model().objects.create_user("bench_grid_staff", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=DEPARTMENT_STAFF))
    ScopeGrant.objects.create(user=user, kind=GrantKind.CITY)
    client = Client()
    client.force_login(user)
    # One staff user sends hundreds of requests a minute: rates no client reaches, so every
    # request still pays for its throttle check but none is refused (as bench/api.py does).
    from rest_framework.throttling import SimpleRateThrottle

    SimpleRateThrottle.THROTTLE_RATES = {
        **SimpleRateThrottle.THROTTLE_RATES,
        **{k: "1000000000/s" for k in ("partner", "staff", "anon")},
    }

    picks = rng.integers(0, len(v_ids), 500)
    found: list[int] = []
    state = {"i": 0}

    def near():
        n = int(picks[state["i"] % len(picks)])
        state["i"] += 1
        lat = w_lat[n] + rng.normal(0, 0.3 / KM_PER_DEG)
        lng = w_lng[n] + rng.normal(0, 0.3 / KM_PER_DEG)
        response = client.get(
            f"/api/v1/grid/volunteers/{v_ids[n]}/tasks-near/",
            {"lat": f"{lat:.6f}", "lng": f"{lng:.6f}", "radius_m": 3000},
        )
        assert response.status_code == 200, response.content[:300]
        found.append(response.json()["count"])

    values = timings(near, repeat, warmup=10)
    rows = [
        Row(
            "grid",
            f"tasks near me via the API p95, {scale}",
            p95(values),
            "ms",
            "≤ 20 ms",
            p95(values) <= 20,
        ),
        Row("grid", "tasks near me via the API median", statistics.median(values), "ms"),
        Row("grid", "tasks found per request (mean, ≤ 20)", float(np.mean(found)), "tasks"),
    ]
    # the peer at the database, and our own query at the database, on the same points
    points = [(float(w_lat[int(n)]), float(w_lng[int(n)])) for n in picks[:100]]
    from grid.selectors import tasks_near

    i = {"n": 0}

    def ours():
        lat, lng = points[i["n"] % len(points)]
        i["n"] += 1
        tasks_near(lat=lat, lng=lng, radius_m=3000)

    def peer():
        lat, lng = points[i["n"] % len(points)]
        i["n"] += 1
        peer_near(lat, lng)

    ours_ms = statistics.median(timings(ours, 100, warmup=5))
    ours_name = (
        "GiST nearest-neighbour scan" if connection.vendor == "postgresql" else "cell k-ring"
    )
    peer_ms = statistics.median(timings(peer, 100, warmup=5))
    same = sum(
        {r["id"] for r in tasks_near(lat=a, lng=b, radius_m=3000)}
        == {r["id"] for r in peer_near(a, b) if geo.distance_m(a, b, r["lat"], r["lng"]) <= 3000}
        for a, b in points[:50]
    )
    rows += [
        Row("grid", f"nearest 20 at the database: {ours_name} (median)", ours_ms, "ms"),
        Row("grid", "peer: lat/lng box without the cell index (median)", peer_ms, "ms"),
        Row("grid", "peer ÷ ours", peer_ms / ours_ms if ours_ms else 0, "×"),
        Row("grid", "same answer as the peer (of 50 points)", same, "points", "50", same == 50),
    ]

    tasks = list(
        Task.objects.filter(status="open")
        .order_by("?")
        .values_list("pk", flat=True)[: max(40, repeat // 5)]
    )
    invited: list[int] = []
    t = {"i": 0}

    def invite():
        pk = tasks[t["i"] % len(tasks)]
        t["i"] += 1
        response = client.post(
            f"/api/v1/grid/tasks/{pk}/invite/", {"best": 50}, content_type="application/json"
        )
        assert response.status_code in (201, 400), response.content[:300]
        invited.append(response.json().get("count", 0))

    values = timings(invite, len(tasks) - 5, warmup=5)
    rows += [
        Row(
            "grid",
            "invite the best 50 via the API p95",
            p95(values),
            "ms",
            "≤ 50 ms",
            p95(values) <= 50,
        ),
        Row("grid", "invite the best 50 via the API median", statistics.median(values), "ms"),
        Row("grid", "volunteers invited per task (mean)", float(np.mean(invited)), "volunteers"),
    ]
    return rows
