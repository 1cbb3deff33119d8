"""Appeals placed in the shared world (tests/conftest.py): the catalogues reloaded after a
flush, a fixed clock, and helpers to file and move appeals through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from appeals import services
from appeals.catalogue import load_all
from appeals.models import Category

#: A Monday morning in Asia/Shanghai, away from holidays: 2026-03-02 09:00.
MONDAY_9 = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))


@pytest.fixture(autouse=True)
def catalogues(db):
    # A transactional test flushes the migration's catalogue rows; put them back.
    load_all()
    return {c.code: c for c in Category.objects.all()}


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def rider(world):
    """A Meituan rider in street A. Made without the shared factories on purpose: their
    sequences feed other apps' tests, which should see the same numbers whether or not these
    tests ran first."""
    from members.models import Worker

    return Worker.objects.create(
        source="meituan",
        external_id="MT-APPEALS-1",
        name="周建国",
        phone="13605190427",
        industry=world.delivery,
        region=world.street_a,
        enterprise=world.ent_delivery_a,
        platform=world.platform,
    )


@pytest.fixture
def file_appeal(world, catalogues):
    """``file_appeal(**overrides)``: an appeal received from the delivery rider's platform
    outlet in street A, by the city staff, at MONDAY_9 unless ``now`` is given."""

    def make(*, actor=None, now=None, channel="station", **data):
        payload = {
            "category": catalogues["wages"],
            "description": "配送费被无故扣除200元，申诉无果。",
            "contact_name": "张师傅",
            "contact_phone": "13912345678",
            "industry": world.delivery,
            "region": world.street_a,
            "enterprise": world.ent_delivery_a,
            **data,
        }
        return services.appeal_create(
            actor=actor or world.staff, data=payload, channel=channel, now=now or MONDAY_9
        )

    return make
