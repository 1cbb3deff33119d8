"""Intake at bulk-load speed, as a user sees it: the same roster again writes nothing, a
worker seen again keeps a last-seen time without its row being rewritten, files of any size
stream in with progress on their job run, and the bad rows are still reported one by one."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import JobRun
from members.models import RosterSighting, Worker
from members.models.rosters import with_last_seen
from members.services.intake import WORKER_COLUMNS, member_roster_upsert, roster_upsert
from tests import factories as f

pytestmark = pytest.mark.django_db


def worker_row(n: int, **cells) -> dict:
    row = {
        "external_id": f"MT-{n:06d}",
        "name": ["张伟", "陳玲", "王芳", "李娜"][n % 4],
        "id_number": f.resident_id_for(n),
        "phone": f.phone_for(n),
        "industry": "food_delivery",
        "enterprise_uscc": "",
        "region_code": "320402",
        "political_status": "masses",
        "work_lat": "31.78",
        "work_lng": "119.95",
    }
    row.update(cells)
    return row


def person_writes(queries) -> list[str]:
    """INSERT, UPDATE, DELETE and COPY statements on the worker and member tables."""
    tables = ("members_worker", "members_partymember", "intake_stage_")
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY"))
        and any(t in q["sql"] for t in tables)
    ]


def test_an_unchanged_re_import_writes_nothing_to_the_people(world):
    rows = [worker_row(n) for n in range(1, 301)]
    first = roster_upsert(actor=world.staff, source="meituan", rows=rows)
    assert first.created == 300
    stamps = list(Worker.objects.order_by("pk").values_list("updated_at", "last_seen"))

    with CaptureQueriesContext(connection) as queries:
        again = roster_upsert(actor=world.staff, source="meituan", rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 300)
    assert person_writes(queries) == []
    assert list(Worker.objects.order_by("pk").values_list("updated_at", "last_seen")) == stamps

    # One changed row is one UPDATE of that row (and of nothing else).
    rows[7] = worker_row(8, political_status="full")
    with CaptureQueriesContext(connection) as queries:
        third = roster_upsert(actor=world.staff, source="meituan", rows=rows)
    assert (third.updated, third.unchanged) == (1, 299)
    writes = person_writes(queries)
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE")


def test_an_unchanged_member_roster_writes_nothing_either(world):
    rows = [
        {
            "member_id": f"M-{n:04d}",
            "name": "陈玲",
            "id_number": f.resident_id_for(n, male=False),
            "phone": f.phone_for(n),
            "status": "full",
            "organization_code": world.branch_delivery.code,
            "home_organization": "",
            "joined_on": "2010-07-01",
            "mobile": "false",
        }
        for n in range(1, 51)
    ]
    assert member_roster_upsert(actor=world.staff, rows=rows).created == 50
    with CaptureQueriesContext(connection) as queries:
        again = member_roster_upsert(actor=world.staff, rows=rows)
    assert again.unchanged == 50 and person_writes(queries) == []


def test_a_worker_seen_again_has_a_later_last_seen_without_a_rewrite(world):
    rows = [worker_row(n) for n in range(1, 21)]
    roster_upsert(actor=world.staff, source="meituan", rows=rows)
    written = Worker.objects.get(external_id="MT-000005").last_seen
    before = timezone.now()
    roster_upsert(actor=world.staff, source="meituan", rows=rows[:10])
    worker = with_last_seen(Worker.objects.filter(external_id="MT-000005")).get()
    assert worker.last_seen == written  # the row was not rewritten
    assert worker.seen_last >= before  # but the roster saw it again
    other = with_last_seen(Worker.objects.filter(external_id="MT-000015")).get()
    assert other.seen_last == other.last_seen < before  # not on the second roster
    # The first ten workers of the roster are one island, not ten rows.
    assert RosterSighting.objects.filter(seen_at__gte=before).count() == 1


def test_a_file_over_20_mb_is_streamed_in_with_progress(world, tmp_path):
    path = tmp_path / "big.csv"
    padding = "备注" * 5_000  # an extra column the contract ignores: 30 kB a row
    n = 700
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join([*WORKER_COLUMNS, "note"]) + "\n")
        for i in range(1, n + 1):
            row = worker_row(i)
            out.write(",".join([*(str(row[c]) for c in WORKER_COLUMNS), padding]) + "\n")
        out.write("MT-BAD,张三,110101199003071235,,,,,,,\n")  # a wrong check digit
    assert path.stat().st_size > 20 * 1024 * 1024
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_workers", str(path), "--source", "meituan", stdout=stdout, stderr=stderr)
    lines = stdout.getvalue().splitlines()
    assert lines[:5] == [
        f"rows read: {n + 1}",
        f"created: {n}",
        "updated: 0",
        "unchanged: 0",
        "rejected: 1",
    ]
    assert lines[5].startswith(f"row {n + 2}: id_number: ")
    assert "Ignored columns: note" in stderr.getvalue()
    assert Worker.objects.count() == n
    job = JobRun.objects.filter(kind="members.roster_upsert").latest("id")
    assert job.status == "succeeded" and job.progress_done == job.progress_total == n + 1
