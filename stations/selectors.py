"""Reads for stations. Management reads are scoped to the acting user; the directory (active
stations, their public facts) is the same for every signed-in caller, because a rider looking
for a station may use any station in the city."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from organizations.scoping import visible

from . import circle
from .choices import StationStatus
from .models import CabinetStock, HotSpotCell, OpeningHours, Station, StationFacility, SuggestedSite


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


def directory() -> QuerySet[Station]:
    """Every active station (the public directory)."""
    return Station.objects.filter(status=StationStatus.ACTIVE)


@dataclass
class NearbyStation:
    station: Station
    distance_m: float
    open_now: bool


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
) -> list[NearbyStation]:
    """Active stations within ``radius_m`` of a point, nearest first.

    A bounding box on the indexed (status, latitude, longitude) columns narrows the rows, then
    the exact haversine distance decides. ``open_now`` keeps stations open at ``at`` (now by
    default; hours in Asia/Shanghai, overnight periods and 24-hour stations honoured).
    """
    at = at or timezone.now()
    dlat = math.degrees(radius_m / circle.EARTH_RADIUS_M)
    coslat = max(math.cos(math.radians(lat)), 1e-6)
    dlng = min(180.0, dlat / coslat)
    rows = directory().filter(
        latitude__gte=lat - dlat,
        latitude__lte=lat + dlat,
        longitude__gte=lng - dlng,
        longitude__lte=lng + dlng,
    )
    if facility:
        rows = rows.filter(facility_rows__facility__code=facility)
    candidates = list(rows.values_list("id", "latitude", "longitude", "is_24h"))
    if not candidates:
        return []
    arr = np.array([(c[1], c[2]) for c in candidates], dtype=np.float64)
    distance = circle.haversine_m(lat, lng, arr[:, 0], arr[:, 1])
    order = [i for i in np.argsort(distance, kind="stable") if distance[i] <= radius_m]
    if not open_now:
        order = order[:limit]
    ids = [candidates[i][0] for i in order]
    stations = {
        s.pk: s
        for s in Station.objects.filter(pk__in=ids)
        .select_related("region")
        .prefetch_related(
            Prefetch("facility_rows", queryset=StationFacility.objects.select_related("facility")),
            Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
        )
    }
    out = []
    for i in order:
        station = stations[candidates[i][0]]
        is_open = station.is_open_at(at)
        if open_now and not is_open:
            continue
        out.append(NearbyStation(station, float(distance[i]), is_open))
        if len(out) >= limit:
            break
    return out


def low_stock_for(user: Any) -> QuerySet[CabinetStock]:
    """Stock items below their threshold in ``user``'s scope, emptiest first."""
    return (
        visible(CabinetStock, user)
        .filter(quantity__lt=F("threshold"), cabinet__active=True)
        .select_related("cabinet", "cabinet__station", "cabinet__station__region")
        .order_by("quantity", "cabinet__code", "name")
    )


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
        cells = [
            {"cell": c, "workers": n}
            for c, n in visible(HotSpotCell, user).filter(job=job).values_list("cell", "workers")
        ]
        sites = [
            {"rank": r, "lat": la, "lng": ln, "newly_covered": n}
            for r, la, ln, n in visible(SuggestedSite, user)
            .filter(job=job)
            .order_by("rank")
            .values_list("rank", "latitude", "longitude", "newly_covered")
        ]
    return {"stations": stations, "cells": cells, "sites": sites}
