"""Demo stations for the Changzhou demo city: stations near worker clusters in every district,
6+X facilities (most compliant), a third with medicine cabinets (some low), check-ins, worker
work locations, and one service-circle run so the map has cells and suggested sites.

Worker clusters are hard-coded rough centres (WGS-84) of each district's busy areas; they are
illustrative, not surveyed. If the database already has workers, only their missing work
locations are filled in (around the clusters of their district); otherwise a set of demo
workers without personal identifiers is created, so the circle has someone to cover.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.jobs import job_create
from demo.city import CITY_CODE
from members.models import Worker
from organizations.models import Enterprise, Industry, PartyOrganization, Region
from stations import services
from stations.catalogue import FACILITIES, REQUIRED_CODES, load_catalogue
from stations.choices import CheckInChannel, StationKind
from stations.models import CabinetStock, CheckIn, Facility, MedicineCabinet, Station

#: district code → (name, [(cluster lat, lng, weight, spread km)]): rough centres of busy areas.
CLUSTERS: dict[str, list[tuple[float, float, float, float]]] = {
    "320402": [
        (31.7800, 119.9750, 3.0, 1.2),
        (31.7650, 120.0100, 1.5, 1.0),
        (31.8050, 119.9950, 1.0, 1.0),
    ],  # 天宁: 南大街/红梅/青龙
    "320404": [
        (31.7750, 119.9400, 2.5, 1.1),
        (31.7550, 119.9050, 1.2, 1.0),
        (31.7900, 119.9150, 0.8, 0.9),
    ],  # 钟楼: 西林/北港
    "320411": [
        (31.8200, 119.9700, 2.5, 1.3),
        (31.8500, 119.9350, 1.0, 1.2),
        (31.9300, 119.9900, 0.7, 1.0),
        (31.8700, 120.0400, 0.6, 1.0),
    ],  # 新北: 三井/春江/孟河
    "320412": [
        (31.7200, 119.9500, 2.2, 1.4),
        (31.6800, 120.0100, 1.0, 1.2),
        (31.7500, 120.0600, 1.0, 1.1),
        (31.6300, 119.9000, 0.6, 1.0),
    ],  # 武进: 湖塘/牛塘/经开区
    "320413": [(31.7250, 119.5700, 1.2, 1.1), (31.7600, 119.6300, 0.4, 0.9)],  # 金坛
    "320481": [(31.4200, 119.4850, 1.2, 1.1), (31.3600, 119.3800, 0.4, 0.9)],  # 溧阳
}
KINDS = (
    (StationKind.RED_STATION, 0.45),
    (StationKind.SERVICE_BAR, 0.3),
    (StationKind.SERVICE_CENTER, 0.1),
    (StationKind.DRIVERS_HOME, 0.08),
    (StationKind.WORKER_STATION, 0.07),
)
MEDICINES = (
    "布洛芬缓释胶囊",
    "创可贴",
    "碘伏棉签",
    "藿香正气水",
    "感冒灵颗粒",
    "医用口罩",
    "风油精",
)
ROADS = (
    "延陵路",
    "和平路",
    "劳动路",
    "晋陵路",
    "龙城大道",
    "通江路",
    "长江路",
    "人民路",
    "常澄路",
    "花园街",
)
SCALES = {"small": (40, 600), "city": (360, 6000), "province": (360, 6000)}
KM_PER_DEG_LAT = 111.32


@dataclass
class StationsSeedResult:
    stations: int
    compliant: int
    cabinets: int
    low_stock: int
    workers_located: int
    check_ins: int
    circle: dict[str, Any]


def _jitter(rng: random.Random, lat: float, lng: float, spread_km: float) -> tuple[float, float]:
    dlat = rng.gauss(0, spread_km) / KM_PER_DEG_LAT
    dlng = rng.gauss(0, spread_km) / (KM_PER_DEG_LAT * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lng + dlng, 6)


def _pick_cluster(rng: random.Random, district: str) -> tuple[float, float, float, float]:
    clusters = CLUSTERS[district]
    return rng.choices(clusters, weights=[c[2] for c in clusters])[0]


def _district_weights() -> list[tuple[str, float]]:
    return [(code, sum(c[2] for c in cl)) for code, cl in CLUSTERS.items()]


def ensure_worker_locations(*, rng: random.Random, n_new: int) -> int:
    """Fill the work location of workers without one (around their district's clusters), or
    create ``n_new`` demo workers (no ID numbers, no phones) when there are none at all."""
    districts = {r.code: r for r in Region.objects.filter(code__in=CLUSTERS)}
    codes, weights = zip(*_district_weights(), strict=True)
    if Worker.objects.exists():
        missing = list(Worker.objects.filter(work_lat__isnull=True).select_related("region"))
        for worker in missing:
            code = worker.region.code[:6] if worker.region else ""
            code = code if code in CLUSTERS else rng.choices(codes, weights=weights)[0]
            lat, lng, _w, spread = _pick_cluster(rng, code)
            worker.work_lat, worker.work_lng = _jitter(rng, lat, lng, spread * 1.6)
        Worker.objects.bulk_update(missing, ["work_lat", "work_lng"], batch_size=2000)
        return len(missing)
    industries = list(
        Industry.objects.filter(code__in=("food_delivery", "express", "ride_hailing"))
    )
    platforms = list(Enterprise.objects.filter(kind="platform_hq").order_by("pk")[:4])
    streets_by_district = {
        code: list(Region.objects.filter(parent__code=code).order_by("code")) or [districts[code]]
        for code in districts
    }
    now = timezone.now()
    batch = []
    for n in range(n_new):
        code = rng.choices(codes, weights=weights)[0]
        lat, lng, _w, spread = _pick_cluster(rng, code)
        # A tail of workers far from the centres: outskirts and the uncovered hot spots.
        spread = spread * (3.5 if rng.random() < 0.2 else 1.6)
        wlat, wlng = _jitter(rng, lat, lng, spread)
        worker = Worker(
            source="demo-stations",
            external_id=f"DS-{n:05d}",
            name=f"骑手{n:05d}",
            industry=rng.choice(industries) if industries else None,
            platform=rng.choice(platforms) if platforms else None,
            region=rng.choice(streets_by_district.get(code) or [None]),
            work_lat=wlat,
            work_lng=wlng,
            first_seen=now,
            last_seen=now,
        )
        worker.derive_identity()
        batch.append(worker)
    Worker.objects.bulk_create(batch, batch_size=2000)
    return len(batch)


def _hosts_for(district: Region) -> tuple[list[Enterprise], list[PartyOrganization]]:
    enterprises = list(
        Enterprise.objects.filter(region__path__startswith=district.path, status="operating")
        .exclude(kind="platform_hq")
        .order_by("pk")[:60]
    )
    organizations = list(
        PartyOrganization.objects.filter(
            region__path__startswith=district.path, status="active"
        ).order_by("pk")[:30]
    )
    if not organizations:
        organizations = list(PartyOrganization.objects.filter(depth=0).order_by("pk")[:1])
    return enterprises, organizations


def seed_stations(*, actor, scale: str = "city", seed: int = 2026) -> StationsSeedResult:
    """Create the demo stations (idempotent: nothing is added if stations exist) and run the
    service circle once."""
    rng = random.Random(seed)
    n_stations, n_workers = SCALES.get(scale, SCALES["city"])
    load_catalogue(Facility)
    catalogue = {f.code: f for f in Facility.objects.all()}
    extras = [code for code, _n, required, _p in FACILITIES if not required]
    industries = list(Industry.objects.all())
    with transaction.atomic():
        located = ensure_worker_locations(rng=rng, n_new=n_workers)
        if Station.objects.exists() or not Region.objects.filter(code=CITY_CODE).exists():
            created: list[Station] = []
        else:
            created = _create_stations(actor, rng, n_stations, catalogue, extras, industries)
    job = job_create(actor=actor, kind=services.CIRCLE_JOB, parameters={"n_sites": 20})
    from stations.tasks import run_service_circle

    circle = run_service_circle.apply(args=[job.pk]).get()
    low = sum(
        1
        for s in CabinetStock.objects.filter(cabinet__station__in=created)
        if s.quantity < s.threshold
    )
    return StationsSeedResult(
        stations=len(created),
        compliant=Station.objects.filter(pk__in=[s.pk for s in created], compliant=True).count(),
        cabinets=MedicineCabinet.objects.filter(station__in=created).count(),
        low_stock=low,
        workers_located=located,
        check_ins=CheckIn.objects.filter(station__in=created).count(),
        circle=circle,
    )


def _create_stations(actor, rng, n_stations, catalogue, extras, industries) -> list[Station]:
    districts = {r.code: r for r in Region.objects.filter(code__in=CLUSTERS)}
    codes, weights = zip(*_district_weights(), strict=True)
    created: list[Station] = []
    for n in range(n_stations):
        code = rng.choices(codes, weights=weights)[0]
        district = districts.get(code)
        if district is None:
            continue
        # Stations sit near the clusters but leave their outskirts thin (the hot spots).
        lat, lng, _w, spread = _pick_cluster(rng, code)
        slat, slng = _jitter(rng, lat, lng, spread * 0.9)
        streets = list(Region.objects.filter(parent=district).order_by("code")) or [district]
        enterprises, organizations = _hosts_for(district)
        host_enterprise = rng.choice(enterprises) if enterprises and rng.random() < 0.6 else None
        host_org = (
            None if host_enterprise else (rng.choice(organizations) if organizations else None)
        )
        kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        # Most stations have all six; about one in seven lacks one or two.
        present = list(REQUIRED_CODES)
        if rng.random() < 0.15:
            for _ in range(rng.randint(1, 2)):
                present.remove(rng.choice(present))
        present += rng.sample(extras, rng.randint(1, 5))
        is_24h = rng.random() < 0.25
        hours = []
        if not is_24h:
            opens, closes = rng.choice(
                ((dt.time(8), dt.time(20)), (dt.time(9), dt.time(21)), (dt.time(10), dt.time(2)))
            )
            hours = [{"weekday": d, "opens": opens, "closes": closes} for d in range(7)]
        short = district.short_name or district.name
        station = services.station_create(
            actor=actor,
            data={
                "name": f"{short}{kind.label}·{rng.choice(ROADS)}{n + 1:03d}",
                "kind": kind,
                "host_enterprise": host_enterprise,
                "host_organization": host_org,
                "region": rng.choice(streets),
                "address": f"{district.name}{rng.choice(ROADS)}{rng.randint(1, 400)}号",
                "latitude": slat,
                "longitude": slng,
                "is_24h": is_24h,
                "industries": rng.sample(industries, min(len(industries), rng.randint(0, 2))),
                "facilities": [catalogue[c] for c in present if c in catalogue],
                "opening_hours": hours,
            },
        )
        created.append(station)
        if n % 3 == 0:
            cabinet = services.cabinet_create(
                actor=actor,
                data={"station": station, "code": f"MC{code}-{n + 1:04d}", "is_24h": True},
            )
            for name in rng.sample(MEDICINES, rng.randint(3, 6)):
                threshold = rng.choice((5, 10, 20))
                low = rng.random() < 0.15
                quantity = rng.randint(0, threshold - 1) if low else rng.randint(threshold, 60)
                services.stock_create(
                    actor=actor,
                    data={
                        "cabinet": cabinet,
                        "name": name,
                        "quantity": quantity,
                        "threshold": threshold,
                    },
                )
    _seed_check_ins(rng, created)
    return created


def _seed_check_ins(rng: random.Random, stations: list[Station]) -> None:
    workers = list(Worker.objects.order_by("pk").values_list("pk", flat=True)[:2000])
    if not workers or not stations:
        return
    base = timezone.now().replace(second=0, microsecond=0)
    rows, seen = [], set()
    for _ in range(min(3000, 3 * len(stations))):
        worker, station = rng.choice(workers), rng.choice(stations)
        at = base - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 30))
        if (worker, station.pk, at) in seen:
            continue
        seen.add((worker, station.pk, at))
        rows.append(
            CheckIn(
                worker_id=worker,
                station=station,
                at=at,
                minute=at,  # bulk_create skips save(): set the minute bucket here
                channel=rng.choice(CheckInChannel.values),
            )
        )
    CheckIn.objects.bulk_create(rows, batch_size=2000)
