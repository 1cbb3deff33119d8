"""The rollup services: one day's snapshot, and a backfill of many days at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from .leaves import Progress, _collect
from .store import _replace, _rows
from .tree import _expansion, _rollup, region_targets

#: Days a backfill keeps in memory at once (leaf groups × days × counts).
BACKFILL_CHUNK_DAYS = 31


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
