"""Stations placed in the shared world: one in district A (street A, hosted by the covered
delivery outlet), one in district B (hosted by the uncovered outlet there)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from stations import services
from stations.catalogue import REQUIRED_CODES, load_catalogue
from stations.directory import directory_changed
from stations.models import Facility


@pytest.fixture(autouse=True)
def catalogue(db):
    # A transactional test flushes the migration's catalogue rows; put them back.
    load_catalogue(Facility)
    # The nearby directory is cached per process: a flushed or rolled-back database is a change.
    directory_changed()
    return {f.code: f for f in Facility.objects.all()}


@dataclass
class Placed:
    station_a: Any  # 天宁 (district A), 24 hours, all six facilities
    station_b: Any  # 钟楼 (district B), 09:00–21:00 daily, missing the first-aid kit


@pytest.fixture
def placed(world, catalogue) -> Placed:
    station_a = services.station_create(
        actor=world.staff,
        data={
            "name": "雕庄红色驿站",
            "kind": "red_station",
            "host_enterprise": world.ent_delivery_a,
            "region": world.street_a,
            "address": "天宁区雕庄路1号",
            "latitude": 31.7800,
            "longitude": 119.9700,
            "is_24h": True,
            "facilities": [*REQUIRED_CODES, "wifi"],
        },
    )
    station_b = services.station_create(
        actor=world.staff,
        data={
            "name": "钟楼红色服务吧",
            "kind": "service_bar",
            "host_enterprise": world.ent_delivery_b,
            "region": world.district_b,
            "address": "钟楼区西林路8号",
            "latitude": 31.7800,
            "longitude": 119.9200,
            "facilities": [c for c in REQUIRED_CODES if c != "first_aid"],
            "opening_hours": [
                {"weekday": d, "opens": dt.time(9), "closes": dt.time(21)} for d in range(7)
            ],
        },
    )
    return Placed(station_a, station_b)
