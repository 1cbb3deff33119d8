"""Roster intake through the API door: ``POST /api/v1/workers/bulk/`` with 10,000 rows (the
API's maximum), as a partner system pushes it.

Measures a first push (10,000 new workers), the same roster pushed again five times (nothing
changes: the row hashes recognize every row, no write; the median is the target) and a roster
where every name changed (an update of every row). Target: a push's median ≤ 300 ms.

Then the file door: ``import_workers`` of the two-finds benchmark's worker roster (200,000 rows;
``--small`` 20,000; ``BENCH_INTAKE_ROWS`` overrides), new and then unchanged (the same file
again). Targets: ≥ 50,000 rows/s new, ≥ 200,000 rows/s unchanged. Besides the wall time, the
machine's busy CPU time during each import is shown (every process: this one, its database
backends — a file import on PostgreSQL writes on a second connection — and the database's
own writers), so that a reader can tell the import's cost from waiting.
"""

import datetime as dt
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from bench.common import Row
from core.identity import make_resident_id
from members.models import Worker
from organizations.choices import GrantKind, RegionLevel
from organizations.models import Industry, Region, ScopeGrant

TARGET_MS = 300.0
URL = "/api/v1/workers/bulk/"
TARGET_NEW, TARGET_UNCHANGED = 50_000, 200_000


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


def _cpu() -> float:
    """Busy CPU seconds of the whole machine so far (``/proc/stat``: every core, every
    process, idle and I/O wait left out)."""
    with open("/proc/stat") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _import(path: Path) -> tuple[float, float, str]:
    from django.core.management import call_command

    out = io.StringIO()
    cpu, started = _cpu(), time.perf_counter()
    call_command("import_workers", str(path), "--source", "bench", stdout=out, stderr=io.StringIO())
    return time.perf_counter() - started, _cpu() - cpu, out.getvalue()


def file_rows(small: bool) -> list[Row]:
    from bench.two_finds import reference_world, write_files
    from demo.synthetic import Generator

    n = int(os.environ.get("BENCH_INTAKE_ROWS") or (20_000 if small else 200_000))
    province = Generator(2026).province(n, max(1_000, n // 20))
    reference_world(province)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as folder:
        _members, path = write_files(province, Path(folder))
        for label, target in (
            ("new roster", TARGET_NEW),
            ("unchanged re-import", TARGET_UNCHANGED),
        ):
            wall, cpu, out = _import(path)
            assert f"rows read: {n}" in out, out[:300]
            rate = n / wall
            rows += [
                Row("intake", f"import_workers {n:,} rows, {label}", rate, "rows/s",
                    f"≥ {target:,}", rate >= target),
                Row("intake", "  the machine's busy CPU time meanwhile", cpu, "s",
                    f"{n / cpu:,.0f} rows per CPU-second" if cpu else ""),
            ]  # fmt: skip
    return rows


def run(small: bool) -> list[Row]:
    return api_rows(small) + file_rows(small)


def api_rows(small: bool) -> list[Row]:
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
