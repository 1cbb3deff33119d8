"""The rollup: exact numbers at each level from known data, reruns, as-of days, backfill."""

import datetime as dt

import pytest
from django.utils import timezone

from coverage import services
from coverage.models import COUNT_FIELDS, CoverageSnapshot
from coverage.services import rollup
from members.models import Worker
from organizations.models import Enterprise

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TODAY_FOLLOWS_THE_CLOCK = True  # reset before each test (tests/conftest.py)


def _row(region, industry=None, day=None):
    day = day or TODAY
    return CoverageSnapshot.objects.get(day=day, region=region, industry=industry)


def _counts(row):
    return {name: getattr(row, name) for name in COUNT_FIELDS if getattr(row, name)}


def test_known_data_gives_exact_numbers_at_each_level(world, people, coverage_data):
    services.snapshot_day(day=TODAY)
    # Street A, delivery: the 美团 station (joint branch) and the liaison-only station; the
    # closed station and the inactive worker count nowhere.
    street = {
        "enterprises": 2,
        "joint": 1,
        "work_only": 1,
        "organization_covered": 1,
        "shuangyou": 2,
        "workers": 2,
        "workers_organization_covered": 1,
        "workers_work_covered": 1,
        "members_among_workers": 1,
    }
    assert _counts(_row(world.street_a, world.delivery)) == street
    assert _counts(_row(world.street_a)) == street
    # District A adds the express outlet and its courier (a member, placed by a case) and the
    # mobile member hosted by the delivery branch (placed, counted where the branch is).
    assert _counts(_row(world.district_a)) == {
        "enterprises": 3,
        "joint": 2,
        "work_only": 1,
        "organization_covered": 2,
        "shuangyou": 3,
        "workers": 3,
        "workers_organization_covered": 2,
        "workers_work_covered": 1,
        "members_among_workers": 2,
        "members_placed": 2,
    }
    assert _counts(_row(world.district_a, world.express)) == {
        "enterprises": 1,
        "joint": 1,
        "organization_covered": 1,
        "shuangyou": 1,
        "workers": 1,
        "workers_organization_covered": 1,
        "members_among_workers": 1,
        "members_placed": 1,
    }
    # The zone counts the street it manages, which also counts in district B.
    zone_street = {"enterprises": 1, "standalone": 1, "organization_covered": 1, "shuangyou": 1}
    assert _counts(_row(coverage_data.zone)) == zone_street
    assert _counts(_row(coverage_data.zone, world.express)) == zone_street
    assert _counts(_row(world.district_b)) == {
        "enterprises": 2,
        "standalone": 1,
        "uncovered": 1,
        "organization_covered": 1,
        "shuangyou": 1,
        "workers": 1,
    }
    # The city: six operating units (the platform HQ among them), the zone's street once.
    city = _row(world.city)
    assert _counts(city) == {
        "enterprises": 6,
        "standalone": 1,
        "joint": 2,
        "work_only": 1,
        "uncovered": 2,
        "organization_covered": 3,
        "shuangyou": 4,
        "workers": 4,
        "workers_organization_covered": 2,
        "workers_work_covered": 1,
        "members_among_workers": 2,
        "members_placed": 2,
    }
    assert (city.organization_coverage_rate, city.shuangyou_rate) == (3 / 6, 4 / 6)
    assert city.standalone_rate == 1 / 6
    delivery = _row(world.city, world.delivery)
    assert (delivery.enterprises, delivery.uncovered, delivery.members_placed) == (4, 2, 1)
    # Every row's modes add up to its enterprises.
    for row in CoverageSnapshot.objects.all():
        modes = (
            row.standalone
            + row.joint
            + row.regional
            + row.industry_organization
            + row.work_only
            + row.uncovered
        )
        assert modes == row.enterprises


def test_rates_are_none_without_a_denominator():
    row = CoverageSnapshot(enterprises=0, organization_covered=0)
    assert row.organization_coverage_rate is None and row.shuangyou_rate is None


def test_a_rerun_gives_the_same_rows(world, people, coverage_data):
    def rows():
        return sorted(
            CoverageSnapshot.objects.values_list("day", "region_id", "industry_id", *COUNT_FIELDS),
            key=lambda r: (r[1], r[2] or 0),
        )

    first_count = services.snapshot_day(day=TODAY)
    first = rows()
    assert services.snapshot_day(day=TODAY) == first_count
    assert rows() == first
    assert CoverageSnapshot.objects.count() == first_count == 15


def test_the_double_ratio_definition_is_a_setting(world, people, coverage_data, settings):
    settings.COVERAGE_SHUANGYOU_MODES = ["standalone"]
    services.snapshot_day(day=TODAY)
    assert _row(world.city).shuangyou == 1
    from coverage.definition import shuangyou_description

    assert "Standalone" in shuangyou_description() or "单独组建" in shuangyou_description()


def test_a_past_day_counts_what_existed_then(world, people, coverage_data):
    long_ago = timezone.now() - dt.timedelta(days=400)
    Enterprise.objects.update(created_at=long_ago)
    Worker.objects.update(first_seen=long_ago)
    ten_days_ago = TODAY - dt.timedelta(days=10)
    # The liaison-only station opened five days ago; its worker was first seen yesterday.
    Enterprise.objects.filter(pk=coverage_data.ent_work.pk).update(
        created_at=timezone.now() - dt.timedelta(days=5)
    )
    Worker.objects.filter(pk=coverage_data.worker_work.pk).update(
        first_seen=timezone.now() - dt.timedelta(days=1)
    )
    services.snapshot_day(day=ten_days_ago)
    past = _row(world.street_a, day=ten_days_ago)
    # The inactive worker was still on a roster today (last seen now): active then.
    assert (past.enterprises, past.work_only, past.workers) == (1, 0, 2)
    # Members were matched and placed today: not yet on the past day.
    assert _row(world.city, day=ten_days_ago).members_placed == 0


def test_backfill_equals_a_rollup_of_each_day(world, people, coverage_data, monkeypatch):
    now = timezone.now()
    Enterprise.objects.update(created_at=now - dt.timedelta(days=90))
    Worker.objects.update(first_seen=now - dt.timedelta(days=90))
    for days, enterprise in ((40, coverage_data.ent_work), (3, coverage_data.ent_standalone)):
        Enterprise.objects.filter(pk=enterprise.pk).update(created_at=now - dt.timedelta(days=days))
    Worker.objects.filter(pk=coverage_data.worker_work.pk).update(
        first_seen=now - dt.timedelta(days=35)
    )
    start, end = TODAY - dt.timedelta(days=45), TODAY
    # Two windows of days, to cover the running totals carried from one to the next.
    monkeypatch.setattr(rollup, "BACKFILL_CHUNK_DAYS", 20)
    written = services.backfill(start=start, end=end)

    def rows_of(day):
        return sorted(
            CoverageSnapshot.objects.filter(day=day).values_list(
                "region_id", "industry_id", *COUNT_FIELDS
            ),
            key=lambda r: (r[0], r[1] or 0),
        )

    backfilled = {d: rows_of(d) for d in (start, TODAY - dt.timedelta(days=38), TODAY)}
    assert written == CoverageSnapshot.objects.filter(day__gte=start).count()
    for day, rows in backfilled.items():
        services.snapshot_day(day=day)
        assert rows_of(day) == rows, day
    assert _row(world.street_a, day=start).work_only == 0
    assert _row(world.street_a, day=TODAY - dt.timedelta(days=38)).work_only == 1


def test_monthly_backfill_writes_month_ends_only(world, people, coverage_data):
    start, end = dt.date(2026, 1, 15), dt.date(2026, 4, 10)
    assert services.month_ends(start, end) == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 10),
    ]
    Enterprise.objects.update(created_at=timezone.now() - dt.timedelta(days=2000))
    services.backfill(start=start, end=end, days=services.month_ends(start, end))
    assert sorted(set(CoverageSnapshot.objects.values_list("day", flat=True))) == (
        services.month_ends(start, end)
    )


@pytest.mark.parametrize("local_time", [dt.time(0, 30), dt.time(23, 30)])
def test_backfill_counts_a_row_from_its_local_calendar_day(
    world, people, coverage_data, local_time
):
    """Half an hour after or before local midnight (16:30 or 15:30 UTC): the backfill must put
    the enterprise on the same day as a rollup of that day does (the Asia/Shanghai day)."""
    now = timezone.now()
    Enterprise.objects.update(created_at=now - dt.timedelta(days=90))
    Worker.objects.update(first_seen=now - dt.timedelta(days=90))
    arrival_day = TODAY - dt.timedelta(days=5)
    arrived = timezone.make_aware(dt.datetime.combine(arrival_day, local_time))
    Enterprise.objects.filter(pk=coverage_data.ent_work.pk).update(created_at=arrived)
    start = TODAY - dt.timedelta(days=10)
    services.backfill(start=start, end=TODAY)
    backfilled = {
        day: _row(world.street_a, day=day).enterprises
        for day in (arrival_day - dt.timedelta(days=1), arrival_day)
    }
    assert backfilled[arrival_day] == backfilled[arrival_day - dt.timedelta(days=1)] + 1
    for day, enterprises in backfilled.items():
        services.snapshot_day(day=day)
        assert _row(world.street_a, day=day).enterprises == enterprises


def test_a_backfilled_month_counts_the_workers_active_then(world, people, coverage_data):
    """A worker who left the rosters counts on the days they were still seen, not after; a
    worker first seen later does not count before."""
    import datetime as _dt

    from django.utils import timezone as _tz

    from coverage.models import CoverageSnapshot as _Snapshot
    from members.models import Worker as _Worker

    today = _tz.localdate()
    long_ago = _tz.now() - _dt.timedelta(days=200)
    _Worker.objects.update(first_seen=long_ago)
    left = coverage_data.worker_work
    _Worker.objects.filter(pk=left.pk).update(active=False)
    _Worker.objects.filter(active=False).update(last_seen=_tz.now() - _dt.timedelta(days=60))
    gone = _Worker.objects.filter(active=False).count()
    assert gone >= 1
    services.backfill(start=today - _dt.timedelta(days=120), end=today)

    def workers(day):
        return _Snapshot.objects.get(day=day, region=world.city, industry=None).workers

    now_active = _Worker.objects.filter(active=True).count()
    assert workers(today) == now_active
    assert workers(today - _dt.timedelta(days=90)) == now_active + gone  # on a roster then
    assert workers(today - _dt.timedelta(days=30)) == now_active
    # A single day's rollup of a past day agrees with the backfill.
    services.snapshot_day(day=today - _dt.timedelta(days=90))
    assert workers(today - _dt.timedelta(days=90)) == now_active + gone
