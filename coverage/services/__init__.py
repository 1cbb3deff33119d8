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

The package: ``groups`` the grouped queries, ``leaves`` grouped rows as count deltas,
``tree`` the rollup up the region tree, ``store`` writing the rows, ``rollup`` the services,
``jobs`` the same as queued jobs.
"""

from __future__ import annotations

from .groups import (
    PLACED_CASE_STATUSES,
    departed_worker_groups,
    enterprise_groups,
    hosted_member_groups,
    member_workers,
    placed_case_groups,
    worker_groups,
)
from .jobs import (
    BACKFILL_MAX_DAYS,
    coverage_backfill_queue,
    coverage_rollup_queue,
    job_progress_callback,
)
from .rollup import BACKFILL_CHUNK_DAYS, backfill, month_ends, snapshot_day
from .tree import region_targets

__all__ = [
    "BACKFILL_CHUNK_DAYS",
    "BACKFILL_MAX_DAYS",
    "PLACED_CASE_STATUSES",
    "backfill",
    "coverage_backfill_queue",
    "coverage_rollup_queue",
    "departed_worker_groups",
    "enterprise_groups",
    "hosted_member_groups",
    "job_progress_callback",
    "member_workers",
    "month_ends",
    "placed_case_groups",
    "region_targets",
    "snapshot_day",
    "worker_groups",
]
