"""An in-memory copy of the active-station directory for the nearby search.

Each process keeps numpy arrays of the active stations (position, 24-hour flag), their
facility codes and hours, tagged with a version held in the shared cache. Every station,
facility-row or hours write (``post_save``/``post_delete``, see ``apps.ready``) sets a new
version, right away and again after commit, so the next search in any process reloads.
Bulk writes (``bulk_create``, ``QuerySet.update``) send no signals: call
:func:`directory_changed` after them.
"""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "stations:directory:version"
_lock = threading.Lock()
_loaded: dict[str, Directory] = {}


@dataclass(frozen=True)
class Entry:
    """The public facts of one active station, as the nearby search shows them."""

    pk: int
    name: str
    kind: str
    address: str
    region_name: str
    latitude: float
    longitude: float
    is_24h: bool
    compliant: bool

    def get_kind_display(self) -> str:
        from .choices import StationKind

        return str(StationKind(self.kind).label)


@dataclass
class Directory:
    version: str
    ids: np.ndarray
    lat: np.ndarray
    lng: np.ndarray
    is_24h: np.ndarray
    facilities: dict[int, list[str]] = field(default_factory=dict)
    hours: dict[int, list[tuple]] = field(default_factory=dict)
    entries: dict[int, Entry] = field(default_factory=dict)


def directory_changed() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _changed_now_and_on_commit(**_kwargs) -> None:
    # Now, so that a read later in the same transaction sees the write; after commit, so
    # that a read that loaded the old rows in between does not keep them.
    directory_changed()
    transaction.on_commit(directory_changed)


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY) or version
    return version


def current() -> Directory:
    """The directory for the current version, loading it (three queries) if needed."""
    version = _version()
    found = _loaded.get("directory")
    if found is not None and found.version == version:
        return found
    with _lock:
        found = _loaded.get("directory")
        if found is not None and found.version == version:
            return found
        found = _load(version)
        _loaded["directory"] = found
        return found


def _load(version: str) -> Directory:
    from .choices import StationStatus
    from .models import OpeningHours, Station, StationFacility

    rows = list(
        Station.objects.filter(status=StationStatus.ACTIVE)
        .order_by("id")
        .values_list(
            "id",
            "latitude",
            "longitude",
            "is_24h",
            "name",
            "kind",
            "address",
            "region__name",
            "compliant",
        )
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    facilities: dict[int, list[str]] = defaultdict(list)
    for station_id, code in (
        StationFacility.objects.filter(station__status=StationStatus.ACTIVE)
        .order_by("station_id", "facility__sort_order")
        .values_list("station_id", "facility__code")
    ):
        facilities[station_id].append(code)
    hours: dict[int, list[tuple]] = defaultdict(list)
    for station_id, weekday, opens, closes in OpeningHours.objects.filter(
        station__status=StationStatus.ACTIVE
    ).values_list("station_id", "weekday", "opens", "closes"):
        hours[station_id].append((weekday, opens, closes))
    return Directory(
        version=version,
        ids=ids,
        lat=np.array([r[1] for r in rows], dtype=np.float64),
        lng=np.array([r[2] for r in rows], dtype=np.float64),
        is_24h=np.array([r[3] for r in rows], dtype=bool),
        facilities=dict(facilities),
        hours=dict(hours),
        entries={r[0]: Entry(r[0], r[4], r[5], r[6], r[7], r[1], r[2], r[3], r[8]) for r in rows},
    )


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import OpeningHours, Station, StationFacility

    for model in (Station, StationFacility, OpeningHours):
        for signal in (post_save, post_delete):
            signal.connect(
                _changed_now_and_on_commit, sender=model, dispatch_uid=f"dir-{model.__name__}"
            )
