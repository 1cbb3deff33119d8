"""Grouped rows as count deltas per (region, industry) leaf and day: which counts each grouped
row adds to, kept sparse until a window of days is summed."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable

import numpy as np
from django.utils import timezone

from organizations.choices import ORGANIZATION_COVERAGE_MODES, CoverageMode

from ..definition import shuangyou_modes
from ..models import COUNT_FIELDS
from .groups import (
    departed_worker_groups,
    enterprise_groups,
    hosted_member_groups,
    member_workers,
    placed_case_groups,
    worker_groups,
)

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
