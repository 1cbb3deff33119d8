"""Roster intake: one call of ``roster_upsert`` with 10,000 rows (the API's maximum).

Measures a first import, the same roster sent again (nothing changes: ``last_seen`` only) and a
roster where every name changed (an update of every row). Target: ≤ 5 s each.
"""

import datetime as dt
import time

from django.contrib.auth import get_user_model

from bench.common import Row
from core.identity import make_resident_id
from members.models import Worker
from members.services.intake import roster_upsert
from organizations.choices import GrantKind, RegionLevel
from organizations.models import Industry, Region, ScopeGrant

TARGET_SECONDS = 5.0


def _rows(n: int, name: str) -> list[dict]:
    return [
        {
            "external_id": f"MT-{i:06d}",
            "name": f"{name}{i % 97}",
            "id_number": make_resident_id(
                "320402", dt.date(1970, 1, 1) + dt.timedelta(days=i % 15000), i % 1000
            ),
            "phone": f"139{i:08d}",
            "industry": "food_delivery",
            "enterprise_uscc": "",
            "region_code": "320402",
            "political_status": "masses",
            "work_lat": 31.78,
            "work_lng": 119.95,
        }
        for i in range(n)
    ]


def run(small: bool) -> list[Row]:
    n = 500 if small else 10_000
    city = Region.objects.create(code="320400", name="常州市", level=RegionLevel.CITY)
    Region.objects.create(code="320402", name="天宁区", parent=city)
    Industry.objects.create(code="food_delivery", name="外卖送餐")
    user = get_user_model().objects.create(username="bench-intake", is_staff=True)
    ScopeGrant.objects.create(user=user, kind=GrantKind.CITY)
    out = []
    for measure, rows in (
        ("first import", _rows(n, "张")),
        ("same roster again", _rows(n, "张")),
        ("every name changed", _rows(n, "李")),
    ):
        started = time.perf_counter()
        report = roster_upsert(actor=user, source="meituan", rows=rows)
        seconds = time.perf_counter() - started
        assert report.rejected == 0, report.errors[:3]
        out.append(
            Row(
                "intake",
                f"{measure}, {n:,} rows",
                seconds,
                "s",
                f"≤ {TARGET_SECONDS:.0f} s",
                seconds <= TARGET_SECONDS,
            )
        )
    assert Worker.objects.count() == n
    return out
