"""The grouped queries of the rollup: what exists by region × industry (× the day it counts
from), read with ``values().annotate(Count)`` so that Python only ever sees grouped rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from members.choices import ACCEPTED_PROPOSAL_STATUSES, CaseStatus, MemberStatus
from members.models import Case as FoundMemberCase
from members.models import CaseEvent, MatchProposal, PartyMember, Worker
from members.models.rosters import with_last_seen
from organizations.choices import EnterpriseStatus
from organizations.models import Enterprise

#: Case statuses that mean the found member is placed in a local branch (回家).
PLACED_CASE_STATUSES = (CaseStatus.ASSIGNED, CaseStatus.TRANSFERRED)


def _day_end(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the portal's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _fixed_utc_offset(start: dt.date, end: dt.date) -> int | None:
    """The portal time zone's UTC offset in seconds when it is the same at both ends of the
    range and mid-way (Asia/Shanghai has kept +8 since 1991); ``None`` for a zone with DST."""
    zone = timezone.get_current_timezone()
    middle = start + (end - start) / 2
    offsets = {zone.utcoffset(dt.datetime.combine(d, dt.time.min)) for d in (start, middle, end)}
    if len(offsets) != 1 or None in offsets:
        return None
    return int(offsets.pop().total_seconds())


class _LocalDate(Func):
    """The local calendar day of a timestamp. Django's ``TruncDate`` on SQLite calls a Python
    function per row; with a fixed UTC offset SQLite's own ``date()`` gives the same day."""

    output_field = DateField()

    def __init__(self, expression, *, offset: int | None):
        super().__init__(expression)
        self.offset = offset

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(TruncDate(*self.get_source_expressions()))

    def as_sqlite(self, compiler, connection, **extra_context):
        if self.offset is None:
            return self.as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"date({sql}, %s)", [*params, f"{self.offset:+d} seconds"]


def _bucket(field: str, start: dt.date | None):
    """The day a row counts from, for a backfill starting on ``start``: rows from before the
    start all fall on ``start`` (one group instead of one per past day)."""
    if start is None:
        return Value(None, output_field=DateField())
    return Case(
        When(**{f"{field}__lt": _day_start(start)}, then=Value(start)),
        default=_LocalDate(field, offset=_fixed_utc_offset(start, timezone.localdate())),
        output_field=DateField(),
    )


def enterprise_groups(*, until: dt.date, start: dt.date | None = None) -> QuerySet:
    """Operating enterprises created by ``until``, grouped by region × industry × mode
    (× the day they count from when ``start`` is given)."""
    return (
        Enterprise.objects.filter(status=EnterpriseStatus.OPERATING, created_at__lt=_day_end(until))
        .annotate(since=_bucket("created_at", start))
        .values("region_id", "industry_id", "coverage_mode", "since")
        .annotate(n=Count("pk"))
        .order_by()
    )


def worker_groups(*, until: dt.date, start: dt.date | None = None) -> QuerySet:
    """Active workers first seen by ``until``, by work region × industry × their employer's
    coverage mode. A worker without a region or industry takes their employer's."""
    return (
        Worker.objects.filter(active=True, first_seen__lt=_day_end(until))
        .annotate(
            group_region=Coalesce("region_id", "enterprise__region_id"),
            group_industry=Coalesce("industry_id", "enterprise__industry_id"),
            mode=F("enterprise__coverage_mode"),
            since=_bucket("first_seen", start),
        )
        .values("group_region", "group_industry", "mode", "since")
        .annotate(n=Count("pk"))
        .order_by()
    )


def departed_worker_groups(*, until: dt.date, start: dt.date | None = None) -> QuerySet:
    """Workers no longer active who were still on a roster after ``until`` (after ``start`` for
    a backfill), grouped as :func:`worker_groups`, with ``gone``: the day they stop counting
    (their last sighting's day; ``None`` for a single day, which counts them)."""
    workers = with_last_seen(Worker.objects.filter(active=False, first_seen__lt=_day_end(until)))
    if start is None:
        workers = workers.filter(seen_last__gte=_day_end(until))
    else:
        workers = workers.filter(seen_last__gte=_day_end(start))
    return (
        workers.annotate(
            group_region=Coalesce("region_id", "enterprise__region_id"),
            group_industry=Coalesce("industry_id", "enterprise__industry_id"),
            mode=F("enterprise__coverage_mode"),
            since=_bucket("first_seen", start),
            gone=_bucket("seen_last", start),
        )
        .values("group_region", "group_industry", "mode", "since", "gone")
        .annotate(n=Count("pk"))
        .order_by()
    )


def member_workers(*, until: dt.date) -> dict[int, tuple[int | None, int | None, dt.datetime]]:
    """Active workers known to be party members by ``until`` — an accepted match proposal or a
    case with a member — as ``{worker id: (region id, industry id, since)}``.

    Read from the two small tables, one row per worker from each (grouped by worker), joined to
    the worker: scanning every worker for the few who are members would cost far more.
    """
    end = _day_end(until)
    place = {
        "group_region": Coalesce("worker__region_id", "worker__enterprise__region_id"),
        "group_industry": Coalesce("worker__industry_id", "worker__enterprise__industry_id"),
    }
    proposals = (
        MatchProposal.objects.filter(status__in=ACCEPTED_PROPOSAL_STATUSES, worker__active=True)
        .values("worker_id")
        .annotate(**place, at=Min(Coalesce("decided_at", "created_at")))
        .filter(at__lt=end)
        .order_by()
    )
    cases = (
        FoundMemberCase.objects.filter(member__isnull=False, worker__active=True)
        .values("worker_id")
        .annotate(**place, at=Min("created_at"))
        .filter(at__lt=end)
        .order_by()
    )
    found: dict[int, tuple[int | None, int | None, dt.datetime]] = {}
    for rows in (proposals, cases):
        for row in rows:
            known = found.get(row["worker_id"])
            if known is None or row["at"] < known[2]:
                found[row["worker_id"]] = (row["group_region"], row["group_industry"], row["at"])
    return found


def placed_case_groups(*, until: dt.date, start: dt.date | None = None) -> QuerySet:
    """Cases placed in a local branch by ``until`` (the first ASSIGNED/TRANSFERRED event), by
    the case's region × industry (falling back to the branch's)."""
    placed_at = (
        CaseEvent.objects.filter(case=OuterRef("pk"), to_status__in=PLACED_CASE_STATUSES)
        .order_by()
        .values("case")
        .annotate(at=Min("at"))
        .values("at")
    )
    return (
        FoundMemberCase.objects.filter(status__in=PLACED_CASE_STATUSES)
        .annotate(placed_at=Coalesce(Subquery(placed_at), "updated_at"))
        .filter(placed_at__lt=_day_end(until))
        .annotate(
            group_region=Coalesce("region_id", "organization__region_id"),
            group_industry=Coalesce("industry_id", "organization__industry_id"),
            since=_bucket("placed_at", start),
        )
        .values("group_region", "group_industry", "since")
        .annotate(n=Count("pk"))
        .order_by()
    )


def hosted_member_groups(*, until: dt.date, start: dt.date | None = None) -> QuerySet:
    """Members taking part in a local host organization (纳管) without a placed case (those
    count once, as the case), by region × industry (falling back to the host's)."""
    placed_case = FoundMemberCase.objects.filter(
        member=OuterRef("pk"), status__in=PLACED_CASE_STATUSES
    )
    return (
        PartyMember.objects.filter(host_organization__isnull=False, created_at__lt=_day_end(until))
        .exclude(status=MemberStatus.REMOVED)
        .exclude(Exists(placed_case))
        .annotate(
            group_region=Coalesce("region_id", "host_organization__region_id"),
            group_industry=Coalesce("industry_id", "host_organization__industry_id"),
            since=_bucket("created_at", start),
        )
        .values("group_region", "group_industry", "since")
        .annotate(n=Count("pk"))
        .order_by()
    )
