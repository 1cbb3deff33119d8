"""The coverage rollup: grouped SQL over enterprises, workers and members, summed up the region
tree in Python (over grouped rows only), written as one day's snapshot rows at once.

How a day is computed
---------------------
1. Four grouped queries (``values().annotate(Count)``): operating enterprises by their own
   region × industry × coverage mode; active workers by work region × industry × their
   employer's coverage mode; workers known to be party members (an accepted match proposal or
   a case with a member); members placed (a case placed in a local branch — ASSIGNED or
   TRANSFERRED — or a member with a host organization and no such case).
2. Each grouped row is added to its region and every ancestor (the materialized path), and to
   the management zone that manages its street, if any. A zone's row therefore counts its
   managed streets, which also count in their statutory district; the zone's own ancestors do
   not get them twice. Each row also goes to the all-industry row (``industry`` empty), which
   also holds what has no industry.
3. The day's rows are deleted and bulk-created in one transaction: a rerun gives the same rows.
   Only (region, industry) pairs with something to count get a row.

As-of semantics for past days
-----------------------------
There is no history of coverage modes, statuses or addresses. A past day counts what existed
then — enterprises created, workers first seen, members matched or placed by that day — with
their *current* coverage mode, status and region. A worker no longer active counts on the days
from their first sighting until the day of their last one (a roster still sent them after
those days), so a backfilled month counts the workers active then, not only those active now.
Backfilled figures are therefore an estimate of the past, exact only for the day they are
computed on.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
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
from django.utils.translation import gettext as _

from core.jobs import enqueue_on_commit, job_create, job_progress
from core.models import JobRun
from members.choices import ACCEPTED_PROPOSAL_STATUSES, CaseStatus, MemberStatus
from members.models import Case as FoundMemberCase
from members.models import CaseEvent, MatchProposal, PartyMember, Worker
from members.models.rosters import with_last_seen
from organizations.choices import ORGANIZATION_COVERAGE_MODES, CoverageMode, EnterpriseStatus
from organizations.models import Enterprise, Region

from .definition import shuangyou_modes
from .models import COUNT_FIELDS, CoverageSnapshot

#: Case statuses that mean the found member is placed in a local branch (回家).
PLACED_CASE_STATUSES = (CaseStatus.ASSIGNED, CaseStatus.TRANSFERRED)
#: Days a backfill keeps in memory at once (leaf groups × days × counts).
BACKFILL_CHUNK_DAYS = 31
#: The longest range one backfill request may cover (ten years and leap days).
BACKFILL_MAX_DAYS = 3660

FIELD = {name: i for i, name in enumerate(COUNT_FIELDS)}
MODE_FIELD = {
    CoverageMode.STANDALONE: "standalone",
    CoverageMode.JOINT: "joint",
    CoverageMode.REGIONAL: "regional",
    CoverageMode.INDUSTRY: "industry_organization",
    CoverageMode.WORK_ONLY: "work_only",
    CoverageMode.NONE: "uncovered",
}
ORGANIZATION_MODES = frozenset(str(m) for m in ORGANIZATION_COVERAGE_MODES)

Key = tuple[int, int | None]  # (region id, industry id or None)
Progress = Callable[[int, int], None]


def _day_end(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the portal's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- the grouped queries -------------------------------------------------------------------------


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


# --- leaves: grouped rows as count deltas ------------------------------------------------------


class _Leaves:
    """What arrived per (region, industry) leaf, per day index from ``start``, per count:
    kept sparse (one entry per grouped row and count) until a window of days is summed."""

    def __init__(self, start: dt.date, n_days: int):
        self.start = start
        self.n_days = n_days
        self.index: dict[Key, int] = {}
        self._leaf: list[int] = []
        self._day: list[int] = []
        self._field: list[int] = []
        self._n: list[int] = []

    def add(self, region_id, industry_id, since, fields: Iterable[str], n: int) -> None:
        if region_id is None:
            return  # nowhere in the tree: counts in no row
        i = self.index.setdefault((region_id, industry_id), len(self.index))
        d = 0 if since is None else max(0, (_as_date(since) - self.start).days)
        for name in fields:
            self._leaf.append(i)
            self._day.append(d)
            self._field.append(FIELD[name])
            self._n.append(n)

    def windows(self, size: int):
        """Yield ``(first day index, states)`` per window of at most ``size`` days, where
        ``states[leaf, day, count]`` is the running total: what exists on that day."""
        leaf = np.asarray(self._leaf, dtype=np.int64)
        day = np.asarray(self._day, dtype=np.int64)
        field = np.asarray(self._field, dtype=np.int64)
        n = np.asarray(self._n, dtype=np.int64)
        carry = np.zeros((len(self.index), len(COUNT_FIELDS)), dtype=np.int64)
        for first in range(0, self.n_days, size):
            last = min(self.n_days, first + size)
            dense = np.zeros((len(self.index), last - first, len(COUNT_FIELDS)), dtype=np.int64)
            inside = (day >= first) & (day < last)
            np.add.at(dense, (leaf[inside], day[inside] - first, field[inside]), n[inside])
            dense[:, 0, :] += carry
            states = np.cumsum(dense, axis=1)
            carry = states[:, -1, :]
            yield first, states


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):  # SQLite hands back text for some expressions
        return dt.date.fromisoformat(value[:10])
    return value


def _collect(*, until: dt.date, start: dt.date | None, progress: Progress | None) -> _Leaves:
    """Run the grouped queries; ``start`` set: one count vector per day from ``start`` to
    ``until`` holding what arrived that day (everything earlier on ``start``)."""
    n_days = 1 if start is None else (until - start).days + 1
    leaves = _Leaves(start or until, n_days)
    counted = frozenset(shuangyou_modes())
    steps = 4

    for row in enterprise_groups(until=until, start=start):
        mode = row["coverage_mode"]
        fields = ["enterprises", MODE_FIELD[mode]]
        if mode in ORGANIZATION_MODES:
            fields.append("organization_covered")
        if mode in counted:
            fields.append("shuangyou")
        leaves.add(row["region_id"], row["industry_id"], row["since"], fields, row["n"])
    if progress:
        progress(1, steps)

    for row in itertools.chain(
        worker_groups(until=until, start=start), departed_worker_groups(until=until, start=start)
    ):
        fields = ["workers"]
        if row["mode"] in ORGANIZATION_MODES:
            fields.append("workers_organization_covered")
        elif row["mode"] == CoverageMode.WORK_ONLY:
            fields.append("workers_work_covered")
        leaves.add(row["group_region"], row["group_industry"], row["since"], fields, row["n"])
        if row.get("gone") is not None:  # a departed worker stops counting that day
            leaves.add(row["group_region"], row["group_industry"], row["gone"], fields, -row["n"])
    if progress:
        progress(2, steps)

    for region_id, industry_id, since in member_workers(until=until).values():
        day = timezone.localtime(since).date() if start is not None else None
        leaves.add(region_id, industry_id, day, ["members_among_workers"], 1)
    if progress:
        progress(3, steps)

    for groups in (placed_case_groups, hosted_member_groups):
        for row in groups(until=until, start=start):
            leaves.add(
                row["group_region"],
                row["group_industry"],
                row["since"],
                ["members_placed"],
                row["n"],
            )
    if progress:
        progress(4, steps)
    return leaves


# --- the region tree ---------------------------------------------------------------------------


def region_targets() -> dict[int, tuple[int, ...]]:
    """For each region, the regions whose rows count it: itself, its ancestors, and the
    management zone managing it or one of its ancestors."""
    regions = list(Region.objects.values_list("pk", "path", "managed_by_id"))
    by_path = {path: pk for pk, path, _ in regions}
    zone_of = {pk: zone for pk, _path, zone in regions if zone}
    targets: dict[int, tuple[int, ...]] = {}
    for pk, path, _zone in regions:
        parts = [p for p in path.split("/") if p]
        prefixes = ("/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
        chain = [by_path[p] for p in prefixes if p in by_path]
        zones = sorted({zone_of[r] for r in chain if r in zone_of} - set(chain))
        targets[pk] = tuple(dict.fromkeys([*chain, pk, *zones]))
    return targets


def _expansion(leaves: _Leaves, targets: dict[int, tuple[int, ...]]):
    """Which output row (region × industry, or region × all industries) each leaf adds to.
    Output rows are numbered in (region, industry) order so that each day's rows are inserted
    in index order (much faster B-tree inserts than a random order)."""
    pairs: list[tuple[int, Key]] = []
    for (region_id, industry_id), i in leaves.index.items():
        for target in targets.get(region_id, (region_id,)):
            pairs.append((i, (target, industry_id)))
            if industry_id:
                pairs.append((i, (target, None)))
    keys = sorted({key for _, key in pairs}, key=lambda k: (k[0], k[1] or 0))
    out_index = {key: j for j, key in enumerate(keys)}
    leaf_of = np.asarray([i for i, _ in pairs], dtype=np.int64)
    out_of = np.asarray([out_index[key] for _, key in pairs], dtype=np.int64)
    return keys, leaf_of, out_of


def _rollup(states: np.ndarray, expansion) -> np.ndarray:
    """Sum leaf states (leaves × days × counts) into the output rows (rows × days × counts)."""
    keys, leaf_of, out_of = expansion
    out = np.zeros((len(keys), states.shape[1], states.shape[2]), dtype=np.int64)
    if len(keys):
        np.add.at(out, out_of, states[leaf_of])
    return out


def _rows(days: list[dt.date], keys: list[Key], values: np.ndarray):
    """Snapshot rows as tuples of ``INSERT_COLUMNS`` (rows × days × counts in ``values``);
    (region, industry) pairs with nothing to count are skipped."""
    adapt_day = connection.ops.adapt_datefield_value
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for offset, day in enumerate(days):
        column = values[:, offset, :]
        nonzero = np.flatnonzero(column.any(axis=1))
        day_value = adapt_day(day)
        for j, counts in zip(nonzero.tolist(), column[nonzero].tolist(), strict=True):
            region_id, industry_id = keys[j]
            yield (day_value, region_id, industry_id, *counts, now)


INSERT_COLUMNS = ("day", "region_id", "industry_id", *COUNT_FIELDS, "computed_at")
INSERT_BATCH = 5000


def _insert(cursor, rows: list[tuple]) -> None:
    """Plain multi-row INSERTs: snapshot rows carry no model logic, and building model objects
    for hundreds of thousands of rows would cost more than the rollup itself."""
    qn = connection.ops.quote_name
    table = qn(CoverageSnapshot._meta.db_table)
    columns = ", ".join(qn(c) for c in INSERT_COLUMNS)
    if connection.vendor == "postgresql":
        # COPY: the fastest way into PostgreSQL; every value is a date, a number or empty.
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
            buffer.write("\n")
        buffer.seek(0)
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        return
    marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _replace(days: list[dt.date], rows: Iterable[tuple]) -> int:
    """Replace the rows of ``days`` with ``rows`` in one transaction."""
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        CoverageSnapshot.objects.filter(day__in=days).delete()
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= INSERT_BATCH:
                _insert(cursor, batch)
                written += len(batch)
                batch = []
        if batch:
            _insert(cursor, batch)
            written += len(batch)
    return written


# --- the services --------------------------------------------------------------------------------


def snapshot_day(*, day: dt.date | None = None, progress: Progress | None = None) -> int:
    """Compute and store the snapshot rows of ``day`` (today by default), replacing that day's
    rows atomically. Returns the number of rows written."""
    day = day or timezone.localdate()
    leaves = _collect(until=day, start=None, progress=progress)
    expansion = _expansion(leaves, region_targets())
    (_, states), *_ = leaves.windows(1)
    return _replace([day], _rows([day], expansion[0], _rollup(states, expansion)))


def backfill(
    *,
    start: dt.date,
    end: dt.date,
    days: Iterable[dt.date] | None = None,
    progress: Progress | None = None,
) -> int:
    """Snapshot every day from ``start`` to ``end`` (or only ``days`` among them, e.g. month
    ends) without a rollup per day: one grouped query per source by the day rows arrived,
    running sums in numpy, the tree rollup per window of days. Each window's days are replaced
    in one transaction. Returns the number of rows written."""
    if end < start:
        raise ValueError("The backfill ends before it starts.")
    wanted = None if days is None else {d for d in days if start <= d <= end}
    leaves = _collect(until=end, start=start, progress=None)
    expansion = _expansion(leaves, region_targets())
    written = 0
    for first, states in leaves.windows(BACKFILL_CHUNK_DAYS):
        window = [start + dt.timedelta(days=first + i) for i in range(states.shape[1])]
        picks = [i for i, d in enumerate(window) if wanted is None or d in wanted]
        if picks:
            chosen = [window[i] for i in picks]
            values = _rollup(states[:, picks, :], expansion)
            written += _replace(chosen, _rows(chosen, expansion[0], values))
        if progress:
            progress(first + states.shape[1], leaves.n_days)
    return written


# --- jobs ----------------------------------------------------------------------------------------


def coverage_rollup_queue(*, actor: Any, day: dt.date | None = None) -> JobRun:
    """Queue the rollup of ``day`` (today) as a job; the task starts after commit."""
    from .tasks import rollup_day

    day = day or timezone.localdate()
    job = job_create(actor=actor, kind="coverage.rollup_day", parameters={"day": day.isoformat()})
    enqueue_on_commit(rollup_day, job.pk)
    return job


def coverage_backfill_queue(
    *, actor: Any, start: dt.date, end: dt.date, monthly: bool = False
) -> JobRun:
    """Queue a backfill from ``start`` to ``end`` (every day, or month ends and ``end``); the
    range must not run backwards nor span more than :data:`BACKFILL_MAX_DAYS`."""
    from .tasks import backfill_range

    if end < start:
        raise ValidationError({"end": _("The end comes before the start.")})
    if (end - start).days > BACKFILL_MAX_DAYS:
        raise ValidationError({"end": _("Backfill at most ten years at once.")})
    job = job_create(
        actor=actor,
        kind="coverage.backfill",
        parameters={"start": start.isoformat(), "end": end.isoformat(), "monthly": monthly},
    )
    enqueue_on_commit(backfill_range, job.pk)
    return job


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of each month from ``start`` to ``end``, and ``end`` itself."""
    out = []
    day = start
    while day <= end:
        next_month = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        last = next_month - dt.timedelta(days=1)
        if last <= end:
            out.append(last)
        day = next_month
    if end not in out:
        out.append(end)
    return out


def job_progress_callback(job: JobRun) -> Progress:
    def report(done: int, total: int) -> None:
        if job.progress_total != total:
            JobRun.objects.filter(pk=job.pk).update(progress_total=total)
            job.progress_total = total
        job_progress(job, done=done)

    return report
