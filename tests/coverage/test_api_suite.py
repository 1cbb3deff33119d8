"""The coverage endpoint through the shared read-only API suite: the district officer of
district B reads its subtree's rows only (district A's answer 404), writes are refused, and the
list's query count does not grow with its rows."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from coverage.models import CoverageSnapshot
from tests.base import APIReadOnlySuite

_days = itertools.count(1)


def snapshot_row(region, *, industry=None) -> CoverageSnapshot:
    """One day's row (a new day each time, as the rollup writes one row per day and key)."""
    day = timezone.localdate() - dt.timedelta(days=next(_days))
    return CoverageSnapshot.objects.create(
        day=day, region=region, industry=industry, enterprises=4, standalone=1, uncovered=3
    )


class TestCoverageAPI(APIReadOnlySuite):
    basename = "coverage"
    user = "district_officer"

    def make_visible(self, world):
        return snapshot_row(world.district_b, industry=world.delivery)

    def make_invisible(self, world):
        return snapshot_row(world.district_a, industry=world.delivery)

    def create_payload(self, world):
        return {"day": timezone.localdate().isoformat(), "region": world.district_b.pk}
