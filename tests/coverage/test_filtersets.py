"""One test per filter of the snapshot FilterSet (the API and the dashboard share it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coverage.filtersets import CoverageSnapshotFilterSet
from coverage.models import CoverageSnapshot
from tests.base import FilterSetSuite

TODAY = timezone.localdate()
TODAY_FOLLOWS_THE_CLOCK = True  # reset before each test (tests/conftest.py)


def _day(days_ago: int) -> dt.date:
    return TODAY - dt.timedelta(days=days_ago)


class TestCoverageSnapshotFilterSet(FilterSetSuite):
    filterset = CoverageSnapshotFilterSet
    cases = {
        "date": ({"date": _day(1)}, {"a"}),
        "date_from": ({"date_from": _day(2)}, {"a", "c"}),
        "date_to": ({"date_to": _day(3)}, {"b"}),
        "industry": ({"industry": "express"}, {"c"}),
        "all_industries": ({"all_industries": "true"}, {"b"}),
        "region": ({"region": "320404"}, {"b"}),
    }

    def make(self, world):
        def row(days_ago, region, industry):
            return CoverageSnapshot.objects.create(
                day=_day(days_ago), region=region, industry=industry, enterprises=1
            )

        return {
            "a": row(1, world.district_a, world.delivery),
            "b": row(3, world.district_b, None),
            "c": row(2, world.district_a, world.express),
        }
