"""Reads of coverage snapshots for the dashboard and the API; every function takes the acting
user and reads only snapshot rows that user may see (``organizations.scoping``).

The dashboard never counts enterprises or workers itself: a handful of small queries over the
snapshot table, whatever the size of the province.

Which rows a user's view sums
-----------------------------
- The *focus* is the region asked for, or else the shallowest regions the user sees rows of
  (the city for city-wide staff, the committee's region for a secretary, the district for
  district staff).
- The *all-industry* figures are the all-industry rows where the user sees them; a secretary
  sees only their industry's rows, so their figures are the sum of the industry rows they see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Sum

from organizations.choices import GrantKind, OrganizationKind
from organizations.models import Industry, Region, ScopeGrant
from organizations.scoping import grants_for, visible

from .models import COUNT_FIELDS, Counts, CoverageSnapshot


def snapshots(*, user: Any) -> QuerySet[CoverageSnapshot]:
    """Every snapshot row ``user`` may see."""
    return visible(CoverageSnapshot, user)


def latest_day() -> dt.date | None:
    """The newest snapshot day. A rollup writes every row of a day at once, so the day itself
    discloses nothing; the rows read for it are scoped."""
    return CoverageSnapshot.objects.aggregate(day=Max("day"))["day"]


def total(rows) -> Counts:
    """The sums of ``rows`` (snapshots or dicts of counts), with the snapshot's rate
    properties."""
    sums = dict.fromkeys(COUNT_FIELDS, 0)
    for row in rows:
        for name in COUNT_FIELDS:
            value = row[name] if isinstance(row, dict) else getattr(row, name)
            sums[name] += value or 0
    return Counts(**sums)


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in COUNT_FIELDS}


@dataclass
class DrillRow:
    region: Region
    counts: Counts
    has_children: bool = False


@dataclass
class CoverageView:
    """What the dashboard shows for one user, day, region and industry choice."""

    day: dt.date | None
    focus: list[Region] = field(default_factory=list)
    industry: Industry | None = None
    #: True when the figures come from all-industry rows; False: sum of the visible industries.
    all_industry_rows: bool = True
    headline: Counts | None = None
    by_industry: list[tuple[Industry, Counts]] = field(default_factory=list)
    drill: list[DrillRow] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.headline is None

    @property
    def focus_region(self) -> Region | None:
        return self.focus[0] if len(self.focus) == 1 else None

    def industry_q(self) -> Q:
        """The industry part of the filter every other read of this view uses."""
        if self.industry is not None:
            return Q(industry=self.industry)
        if self.all_industry_rows:
            return Q(industry__isnull=True)
        return Q(industry__isnull=False)


def coverage_view(
    *,
    user: Any,
    day: dt.date | None = None,
    region: Region | None = None,
    industry: Industry | None = None,
) -> CoverageView:
    """The figures for the dashboard from snapshot rows only (four small queries)."""
    day = day or latest_day()
    view = CoverageView(day=day, industry=industry)
    if day is None:
        return view
    rows = snapshots(user=user).filter(day=day).order_by()
    focus_ids = [region.pk] if region is not None else [r.pk for r in top_regions(user=user)]
    focus_rows = list(rows.filter(region_id__in=focus_ids).select_related("region", "industry"))
    if not focus_rows:
        return view
    view.focus = sorted({r.region for r in focus_rows}, key=lambda r: r.path)
    per_industry: dict[int, list[CoverageSnapshot]] = {}
    all_rows = []
    for row in focus_rows:
        if row.industry_id is None:
            all_rows.append(row)
        else:
            per_industry.setdefault(row.industry_id, []).append(row)
    industries = {r.industry_id: r.industry for r in focus_rows if r.industry_id}
    view.by_industry = sorted(
        ((industries[i], total(rs)) for i, rs in per_industry.items()),
        key=lambda pair: (pair[0].sort_order, pair[0].code),
    )
    if industry is not None:
        if industry.pk not in per_industry:
            return view
        view.headline = total(per_industry[industry.pk])
    else:
        view.all_industry_rows = bool(all_rows)
        view.headline = (
            total(all_rows) if all_rows else total(r for rs in per_industry.values() for r in rs)
        )
    view.drill = drill_down(user=user, day=day, parents=view.focus, industry_q=view.industry_q())
    return view


def top_regions(*, user: Any) -> list[Region]:
    """The highest regions of ``user``'s scope: the roots for city-wide staff, the granted
    regions for district and street staff, an industry committee's region for its secretary
    (two small queries; no snapshot row is scanned)."""
    grants = grants_for(user)
    if grants.user_id is None:
        return []
    if grants.city_wide:
        return list(Region.objects.filter(parent__isnull=True))
    ids = set(
        ScopeGrant.objects.filter(user_id=grants.user_id, kind=GrantKind.REGION).values_list(
            "region_id", flat=True
        )
    )
    roots = None
    for organization in grants.organizations:
        if organization.kind != OrganizationKind.INDUSTRY_COMMITTEE:
            continue  # other organization grants see no snapshot rows
        if organization.region_id:
            ids.add(organization.region_id)
        else:
            roots = roots or list(Region.objects.filter(parent__isnull=True))
            ids.update(r.pk for r in roots)
    regions = sorted(Region.objects.filter(pk__in=ids), key=lambda r: r.path)
    # Keep the highest: a region inside another one listed is already counted there.
    return [r for r in regions if not any(o is not r and r.is_descendant_of(o) for o in regions)]


def drill_down(*, user: Any, day: dt.date, parents: list[Region], industry_q: Q) -> list[DrillRow]:
    """The rows one level below ``parents`` (a zone's: the streets it manages), summed per
    region over the chosen industry rows, in tree order (two indexed queries)."""
    if not parents:
        return []
    children = Region.objects.filter(Q(parent=OuterRef("pk")) | Q(managed_by=OuterRef("pk")))
    regions = list(
        Region.objects.filter(Q(parent__in=parents) | Q(managed_by__in=parents))
        .annotate(has_children=Exists(children))
        .order_by("path")
    )
    grouped = (
        snapshots(user=user)
        .filter(industry_q, day=day, region_id__in=[r.pk for r in regions])
        .values("region_id")
        .annotate(**_sums())
        .order_by()
    )
    sums = {row["region_id"]: row for row in grouped}
    return [
        DrillRow(region=r, counts=total([sums[r.pk]]), has_children=r.has_children)
        for r in regions
        if r.pk in sums
    ]


def trend(
    *,
    user: Any,
    regions: list[Region],
    industry_q: Q,
    start: dt.date | None = None,
    end: dt.date | None = None,
    monthly: bool = False,
) -> list[tuple[dt.date, Counts]]:
    """The focus regions' figures per snapshot day (one query); ``monthly`` keeps the last day
    of each month that has a snapshot."""
    if not regions:
        return []
    rows = snapshots(user=user).filter(industry_q, region__in=regions).order_by()
    if start:
        rows = rows.filter(day__gte=start)
    if end:
        rows = rows.filter(day__lte=end)
    series = [
        (row["day"], total([row])) for row in rows.values("day").annotate(**_sums()).order_by("day")
    ]
    if not monthly:
        return series
    last_of_month: dict[tuple[int, int], tuple[dt.date, Counts]] = {}
    for day, counts in series:
        last_of_month[(day.year, day.month)] = (day, counts)
    return list(last_of_month.values())
