"""Roster intake through the API door: ``POST /api/v1/workers/bulk/`` with 10,000 rows (the
API's maximum), as a partner system pushes it.

Measures a first push (10,000 new workers), the same roster pushed again five times (nothing
changes: the row hashes recognize every row, no write; the median is the target) and a roster
where every name changed (an update of every row). Target: a push's median ≤ 300 ms. The
province-scale file imports are measured end to end in ``bench/two_finds.py``.
"""

import datetime as dt
import statistics
import time

from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from bench.common import Row
from core.identity import make_resident_id
from members.models import Worker
from organizations.choices import GrantKind, RegionLevel
from organizations.models import Industry, Region, ScopeGrant

TARGET_MS = 300.0
URL = "/api/v1/workers/bulk/"


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


def _push(client: APIClient, rows: list[dict]) -> tuple[float, dict]:
    started = time.perf_counter()
    response = client.post(URL, {"source": "meituan", "rows": rows}, format="json")
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.content[:300]
    report = response.json()
    assert report["rejected"] == 0, report["errors"][:3]
    return elapsed, report


def run(small: bool) -> list[Row]:
    n = 500 if small else 10_000
    city = Region.objects.create(code="320400", name="常州市", level=RegionLevel.CITY)
    Region.objects.create(code="320402", name="天宁区", parent=city)
    Industry.objects.create(code="food_delivery", name="外卖送餐")
    user = get_user_model().objects.create_superuser(username="bench-intake", password="x")
    ScopeGrant.objects.create(user=user, kind=GrantKind.CITY)
    client = APIClient()
    client.force_authenticate(user)
    rows = _rows(n, "张")
    first, report = _push(client, rows)
    assert report["created"] == n
    again = []
    for _ in range(5):
        elapsed, report = _push(client, rows)
        assert report["unchanged"] == n
        again.append(elapsed)
    changed, report = _push(client, _rows(n, "李"))
    assert report["updated"] == n
    assert Worker.objects.count() == n
    median = statistics.median(again)
    return [
        Row("intake", f"API push of {n:,} new workers", first, "ms"),
        Row(
            "intake",
            f"API push of the same {n:,} again, median of 5 (no write)",
            median,
            "ms",
            f"≤ {TARGET_MS:.0f} ms",
            median <= TARGET_MS,
        ),
        Row("intake", f"API push of {n:,} with every name changed", changed, "ms"),
    ]
