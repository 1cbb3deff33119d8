"""Reads for stations. Management reads are scoped to the acting user; the directory (active
stations, their public facts) is the same for every signed-in caller, because a rider looking
for a station may use any station in the city."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import geo
from organizations.figures import FigureFilter
from organizations.scoping import visible

from . import circle, directory
from .choices import StationStatus
from .hours import is_open_at
from .models import (
    CabinetStock,
    CheckIn,
    HotSpotCell,
    MedicineCabinet,
    ServiceCircleSnapshot,
    Station,
    StationFacility,
    SuggestedSite,
)


def stations_for(user: Any) -> QuerySet[Station]:
    """Stations in ``user``'s scope, ready for lists (constant query count)."""
    return (
        visible(Station, user)
        .select_related("region", "host_enterprise", "host_organization")
        .prefetch_related(
            Prefetch("facility_rows", queryset=StationFacility.objects.select_related("facility")),
            "industries",
            "opening_hours",
        )
    )


def directory_queryset() -> QuerySet[Station]:
    """Every active station (the public directory)."""
    return Station.objects.filter(status=StationStatus.ACTIVE)


@dataclass
class NearbyStation:
    station: directory.Entry
    distance_m: float | None  # None when the search had no point (a region or a name)
    open_now: bool
    facilities: list[str]


MAX_RADIUS_M = 50_000


def nearby(
    *,
    lat: float,
    lng: float,
    radius_m: float = 3000,
    facility: str = "",
    open_now: bool = False,
    at: dt.datetime | None = None,
    limit: int = 20,
    only: frozenset[int] | None = None,
) -> list[NearbyStation]:
    """Active stations within ``radius_m`` of a point, nearest first (among ``only`` if given).

    Reads the in-memory directory (:mod:`stations.directory`): a bounding box on the arrays,
    then the exact haversine distance. ``open_now`` keeps stations open at ``at`` (now by
    default; hours in Asia/Shanghai, overnight periods and 24-hour stations honoured). No
    query once the directory is loaded.
    """
    at = at or timezone.now()
    d = directory.current()
    if not len(d.ids):
        return []
    dlat = math.degrees(radius_m / circle.EARTH_RADIUS_M)
    dlng = min(180.0, dlat / max(math.cos(math.radians(lat)), 1e-6))
    box = np.flatnonzero(
        (d.lat >= lat - dlat)
        & (d.lat <= lat + dlat)
        & (d.lng >= lng - dlng)
        & (d.lng <= lng + dlng)
    )
    distance = circle.haversine_m(lat, lng, d.lat[box], d.lng[box])
    chosen: list[tuple[int, float, bool]] = []
    for k in np.argsort(distance, kind="stable"):
        if distance[k] > radius_m:
            break
        station_id = int(d.ids[box[k]])
        if only is not None and station_id not in only:
            continue
        if facility and facility not in d.facilities.get(station_id, ()):
            continue
        is_open = is_open_at(
            is_24h=bool(d.is_24h[box[k]]), rows=d.hours.get(station_id, ()), moment=at
        )
        if open_now and not is_open:
            continue
        chosen.append((station_id, float(distance[k]), is_open))
        if len(chosen) >= limit:
            break
    return [
        NearbyStation(d.entries[sid], dist, is_open, list(d.facilities.get(sid, ())))
        for sid, dist, is_open in chosen
    ]


def directory_matching(*, region: Any = None, q: str = "") -> frozenset[int] | None:
    """Ids of the active stations in ``region``'s subtree whose name, address or region name
    contains every word of ``q``; None when neither narrows the directory."""
    words = q.split()
    if region is None and not words:
        return None
    qs = directory_queryset()
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    for word in words:
        qs = qs.filter(
            Q(name__icontains=word) | Q(address__icontains=word) | Q(region__name__icontains=word)
        )
    return frozenset(qs.values_list("id", flat=True))


def find_stations(
    *,
    lat: float | None = None,
    lng: float | None = None,
    region: Any = None,
    q: str = "",
    radius_m: float = 3000,
    facility: str = "",
    open_now: bool = False,
    at: dt.datetime | None = None,
    limit: int = 20,
) -> list[NearbyStation]:
    """The public finder's search. With a point: the nearest stations within ``radius_m``
    (narrowed by ``region`` and ``q`` if given). Without one: the stations of the region or
    matching the words, by name."""
    only = directory_matching(region=region, q=q)
    if lat is not None and lng is not None:
        return nearby(
            lat=lat,
            lng=lng,
            radius_m=radius_m,
            facility=facility,
            open_now=open_now,
            at=at,
            limit=limit,
            only=only,
        )
    if not only:
        return []
    at = at or timezone.now()
    d = directory.current()
    found: list[NearbyStation] = []
    for entry in sorted(
        (d.entries[i] for i in only if i in d.entries), key=lambda e: (e.name, e.pk)
    ):
        codes = d.facilities.get(entry.pk, [])
        if facility and facility not in codes:
            continue
        is_open = is_open_at(is_24h=entry.is_24h, rows=d.hours.get(entry.pk, ()), moment=at)
        if open_now and not is_open:
            continue
        found.append(NearbyStation(entry, None, is_open, list(codes)))
        if len(found) >= limit:
            break
    return found


def low_stock_for(user: Any) -> QuerySet[CabinetStock]:
    """Stock items below their threshold in ``user``'s scope, emptiest first."""
    return (
        visible(CabinetStock, user)
        .filter(quantity__lt=F("threshold"), cabinet__active=True)
        .select_related("cabinet", "cabinet__station", "cabinet__station__region")
        .order_by("quantity", "cabinet__code", "name")
    )


def circle_shares_for(user: Any, job) -> list:
    """The service circle's figures by region (the city and its districts) that ``user``'s
    scope holds: all industries for city and region staff; for an industry committee's
    secretary, their industry's rows (region × industry) — never figures of workers outside
    their scope. Two queries."""
    if job is None:
        return []
    rows = (
        visible(ServiceCircleSnapshot, user)
        .filter(job=job, region__isnull=False, region__depth__lte=1)
        .select_related("region", "industry")
        .order_by("region__path", "industry__sort_order", "industry__code")
    )
    all_industries = [r for r in rows if r.industry_id is None]
    return all_industries or [r for r in rows if r.industry_id is not None]


def _one_layer(qs: QuerySet) -> QuerySet:
    """Of a run's hot spots or sites in the user's scope, the layer over every worker when the
    user sees it (staff, district officers), else what they see: their industry's (an industry
    committee's secretary sees only the rows of their industry). One query more."""
    everyone = qs.filter(industry__isnull=True)
    return everyone if everyone.exists() else qs


def circle_layers_for(user: Any, job) -> dict[str, list]:
    """The map's data: stations, hot-spot cells and suggested sites in ``user``'s scope."""
    stations = [
        {
            "id": s["id"],
            "name": s["name"],
            "lat": s["latitude"],
            "lng": s["longitude"],
            "compliant": s["compliant"],
            "kind": s["kind"],
        }
        for s in visible(Station, user)
        .filter(status=StationStatus.ACTIVE)
        .values("id", "name", "latitude", "longitude", "compliant", "kind")
    ]
    cells, sites = [], []
    if job is not None:
        hot = _one_layer(visible(HotSpotCell, user).filter(job=job))
        cells = [{"cell": c, "workers": n} for c, n in hot.values_list("cell", "workers")]
        sites = [
            {"rank": r, "lat": la, "lng": ln, "newly_covered": n}
            for r, la, ln, n in _one_layer(visible(SuggestedSite, user).filter(job=job))
            .order_by("rank")
            .values_list("rank", "latitude", "longitude", "newly_covered")
        ]
    return {
        "stations": stations,
        "cells": cells,
        "sites": sites,
        "streets": street_labels_for(user),
        "street_areas": street_areas(),
    }


def street_labels_for(user: Any) -> list[dict[str, Any]]:
    """Where the map writes each street's name when zoomed in: the mean position of the active
    stations in ``user``'s scope in that street (or its communities). One query."""
    return _street_centres(visible(Station, user))


def _street_centres(stations) -> list[dict[str, Any]]:
    rows = stations.filter(
        status=StationStatus.ACTIVE, region__level__in=("street", "community")
    ).values_list(
        "latitude",
        "longitude",
        "region__level",
        "region__code",
        "region__name",
        "region__parent__code",
        "region__parent__name",
    )
    streets: dict[str, list] = {}
    for lat, lng, level, code, name, parent_code, parent_name in rows:
        if level == "community":
            code, name = parent_code, parent_name
        if code is None:
            continue
        entry = streets.setdefault(code, [name, 0.0, 0.0, 0])
        entry[1] += lat
        entry[2] += lng
        entry[3] += 1
    return [
        {"code": code, "name": name, "lat": lat / n, "lng": lng / n}
        for code, (name, lat, lng, n) in sorted(streets.items())
    ]


STREET_AREAS_CACHE = "stations:street_areas"


def street_areas() -> dict[str, Any]:
    """The streets' approximate areas for the maps (``core.geo.street_areas``: each district
    divided among its streets by the centres of their active stations, clipped to the
    district's outline), as GeoJSON in the boundary file's coordinates. Geography, not
    scoped data: every map shows the whole city's outlines, as it shows every district's
    (station positions are public on the rider's finder). Kept ten minutes in the cache."""
    areas = cache.get(STREET_AREAS_CACHE)
    if areas is None:
        areas = geo.street_areas(_street_centres(Station.objects.all()))
        cache.set(STREET_AREAS_CACHE, areas, 600)
    return areas


def dashboard_figures(user: Any, *, where: FigureFilter | None = None) -> list[dict[str, Any]]:
    """The stations cards of the dashboard in ``user``'s scope and the chosen region and
    industry (stations that serve it, as the station list's filter): active stations (of
    them, how many meet the 6+X standard), active medicine cabinets, low-stock items and this
    month's check-ins. Four queries, whatever the data."""
    where = where or FigureFilter()

    def chosen(prefix: str = "") -> Q:
        q = where.region_q(f"{prefix}region")
        if where.industry is not None:
            serving = Station.industries.through.objects.filter(industry=where.industry)
            q &= Q(**{f"{prefix}pk__in": serving.values("station_id")})
        return q

    stations = visible(Station, user).filter(chosen(), status=StationStatus.ACTIVE)
    counts = stations.aggregate(n=Count("pk"), compliant=Count("pk", filter=Q(compliant=True)))
    month_start = timezone.localdate().replace(day=1)
    query = "".join(
        f"&{name}={value.code}"
        for name, value in (("region", where.region), ("industry", where.industry))
        if value is not None
    )
    list_url = reverse("stations:list") + f"?status={StationStatus.ACTIVE}" + query
    low = low_stock_for(user).filter(chosen("cabinet__station__")).count()
    return [
        {
            "key": "stations_active",
            "title": _("Active red stations"),
            "value": counts["n"],
            "denominator": None,
            "url": list_url,
        },
        {
            "key": "stations_compliant",
            "title": _("Stations meeting 6+X"),
            "value": counts["compliant"],
            "denominator": counts["n"],
            "rate_label": _("of active stations"),
            "url": list_url + "&compliant=true",
        },
        {
            "key": "medicine_cabinets",
            "title": _("Medicine cabinets"),
            "value": visible(MedicineCabinet, user)
            .filter(chosen("station__"), active=True)
            .count(),
            "denominator": None,
            "url": reverse("stations:low_stock"),
            "note": _("%(n)d items low on stock") % {"n": low},
        },
        {
            "key": "station_check_ins",
            "title": _("Check-ins this month"),
            "value": visible(CheckIn, user)
            .filter(chosen("station__"), at__date__gte=month_start)
            .count(),
            "denominator": None,
            "url": list_url,
        },
    ]


#: The choices the cards follow (the dashboard says which they do not).
dashboard_figures.follows = ("region", "industry")  # type: ignore[attr-defined]
