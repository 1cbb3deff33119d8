"""The grid on top of the shared world: three volunteers with work locations in 常州, a
station with rewards, and helpers to publish tasks."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from grid import services
from stations.models import Station
from tests import factories as f

# 常州 天宁 (the delivery rider), a few hundred metres away (the rider in district B, for the
# test), and the courier ~1 km east.
HERE = (31.7800, 119.9700)
NEAR = (31.7820, 119.9710)
EAST = (31.7800, 119.9800)

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@dataclass
class Grid:
    v_delivery: Any  # 美团 rider (partner's worker), street A
    v_delivery_b: Any  # rider in district B
    v_express: Any  # courier, district A
    station: Any


def publish(actor, world, *, slots=1, points=10, start=None, hours=4, at=HERE, **extra):
    start = start or timezone.now() - dt.timedelta(hours=1)
    data = {
        "kind": "elderly_care",
        "title": "为独居老人送药",
        "region": world.street_a,
        "organization": world.committee_delivery,
        "place": "雕庄街道某小区",
        "lat": at[0],
        "lng": at[1],
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=hours),
        "slots": slots,
        "points": points,
        "proof_photo": True,
        "proof_location": True,
        **extra,
    }
    return services.task_create(actor=actor, data=data)


@pytest.fixture
def grid(world, people):
    for worker, where in (
        (people.worker_delivery, HERE),
        (people.worker_delivery_b, NEAR),
        (people.worker_express, EAST),
    ):
        worker.work_lat, worker.work_lng = where
        worker.save(update_fields=["work_lat", "work_lng"])
    staff = world.staff
    station = Station.objects.create(
        name="雕庄红色驿站",
        kind="red_station",
        region=world.street_a,
        host_organization=world.branch_delivery,
        address="雕庄路1号",
        latitude=HERE[0],
        longitude=HERE[1],
    )
    return Grid(
        v_delivery=services.volunteer_register(
            actor=staff, worker=people.worker_delivery, skills=["elderly_care", "anti_fraud"]
        ),
        v_delivery_b=services.volunteer_register(
            actor=staff, worker=people.worker_delivery_b, skills=["elderly_care"]
        ),
        v_express=services.volunteer_register(actor=staff, worker=people.worker_express),
        station=station,
    )


__all__ = ["f"]
