"""Reads of the 18 measures: the measures, indicators and reports a user may see, and each
measure's progress and quarterly status computed from the reports.

Progress of an indicator as of a quarter: the quarters' actuals added up (``cumulative``) or
the latest reported actual, over the target, capped at 100 %. A measure's progress is the mean
of its indicators'. A quarter's status: *not reported* when none of the measure's indicators
has a report for it, *achieved* at 100 %, *on track* when the progress is at least the share
of the year gone (a quarter is a quarter of the year) less a tenth of it, else *behind*.
A quarter's report is due ``TASKFORCE_REPORT_DUE_DAYS`` working days after the quarter ends
(the official calendar of ``appeals``); a missing report past that is overdue.

The board reads five queries whatever the number of measures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from appeals import selectors as appeals_selectors
from organizations.scoping import visible

from ..choices import QuarterStatus
from .models import Indicator, IndicatorReport, Measure

QUARTERS = (1, 2, 3, 4)
ON_TRACK_TOLERANCE = Decimal("0.9")


def measures_for(user: Any) -> QuerySet[Measure]:
    return (
        visible(Measure, user)
        .select_related("policy", "lead_unit")
        .prefetch_related("responsible_units")
        .order_by("policy__number")
    )


def indicators_for(user: Any) -> QuerySet[Indicator]:
    return visible(Indicator, user).select_related("measure__policy", "department")


def reports_for(user: Any) -> QuerySet[IndicatorReport]:
    return visible(IndicatorReport, user).select_related(
        "indicator__measure__policy", "indicator__department", "reported_by"
    )


def quarter_end(year: int, quarter: int) -> dt.date:
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def report_due_at(year: int, quarter: int) -> dt.datetime:
    """When the report of ``quarter`` is due: working days after the quarter ends."""
    days = getattr(settings, "TASKFORCE_REPORT_DUE_DAYS", 10)
    last = quarter_end(year, quarter)
    try:
        end = appeals_selectors.working_day_end(last)
        return appeals_selectors.add_working_days(end, days) if days else end
    except appeals_selectors.CalendarYearMissing:
        # Q4's deadline falls in a year whose official calendar is not out yet: count
        # Monday-Friday (a report deadline, unlike an appeal's SLA, may be approximate).
        day, counted = last, 0
        while counted < days:
            day += dt.timedelta(days=1)
            counted += day.weekday() < 5
        return timezone.make_aware(dt.datetime.combine(day, dt.time(17, 30)))


def quarter_begun(year: int, quarter: int, today: dt.date) -> bool:
    return dt.date(year, 3 * quarter - 2, 1) <= today


@dataclass
class IndicatorProgress:
    indicator: Indicator
    actuals: dict[int, IndicatorReport] = field(default_factory=dict)

    def value(self, quarter: int = 4) -> Decimal | None:
        reports = [self.actuals[q] for q in QUARTERS if q <= quarter and q in self.actuals]
        if not reports:
            return None
        if self.indicator.cumulative:
            return sum((r.actual for r in reports), Decimal(0))
        return reports[-1].actual

    def ratio(self, quarter: int = 4) -> Decimal:
        value = self.value(quarter)
        if value is None or not self.indicator.target:
            return Decimal(0)
        return min(Decimal(1), value / self.indicator.target)

    @property
    def percent(self) -> int:
        return int(self.ratio() * 100)

    @property
    def cells(self) -> list[tuple[int, IndicatorReport | None]]:
        return [(q, self.actuals.get(q)) for q in QUARTERS]


@dataclass
class MeasureProgress:
    measure: Measure
    indicators: list[IndicatorProgress]
    statuses: dict[int, str]
    overdue: list[tuple[Indicator, int]]
    appeal_count: int = 0
    demand_count: int = 0

    def ratio(self, quarter: int = 4) -> Decimal:
        if not self.indicators:
            return Decimal(0)
        total = sum((i.ratio(quarter) for i in self.indicators), Decimal(0))
        return total / len(self.indicators)

    @property
    def percent(self) -> int:
        return int(self.ratio() * 100)

    @property
    def status_list(self) -> list[tuple[int, str, str]]:
        labels = dict(QuarterStatus.choices)
        return [(q, s, labels.get(s, "")) for q, s in sorted(self.statuses.items())]


def quarter_status(progress: MeasureProgress, quarter: int) -> str:
    """The status of a measure in ``quarter`` (see the module's docstring)."""
    if not any(quarter in i.actuals for i in progress.indicators):
        return QuarterStatus.NOT_REPORTED
    ratio = progress.ratio(quarter)
    if ratio >= 1:
        return QuarterStatus.DONE
    if ratio >= Decimal(quarter) / 4 * ON_TRACK_TOLERANCE:
        return QuarterStatus.ON_TRACK
    return QuarterStatus.BEHIND


def measure_board(
    user: Any,
    year: int | None = None,
    now: dt.datetime | None = None,
    measure_ids: list[int] | None = None,
) -> list[MeasureProgress]:
    """Every measure ``user`` sees with its indicators of ``year``, their reports, progress,
    status per begun quarter, overdue reports and the appeals and demands citing it."""
    at = now or timezone.now()
    today = timezone.localtime(at).date()
    year = year or today.year
    indicators = indicators_for(user).filter(year=year).order_by("sort_order", "id")
    reports = IndicatorReport.objects.select_related("reported_by").order_by("quarter")
    scoped = measures_for(user)
    if measure_ids is not None:
        scoped = scoped.filter(pk__in=measure_ids)
    measures = list(
        scoped.prefetch_related(
            Prefetch(
                "indicators",
                queryset=indicators.prefetch_related(Prefetch("reports", queryset=reports)),
                to_attr="year_indicators",
            )
        )
    )
    appeal_counts = dict(
        appeals_selectors.appeals_for(user)
        .order_by()
        .filter(policy_measure__isnull=False)
        .values_list("policy_measure")
        .annotate(n=Count("pk"))
    )
    from ..research.models import Demand

    demand_counts = dict(
        visible(Demand, user)
        .filter(measure__isnull=False)
        .order_by()
        .values_list("measure")
        .annotate(n=Count("pk"))
    )
    begun = [q for q in QUARTERS if quarter_begun(year, q, today)]
    # Only an ended quarter's report can be overdue (and its deadline needs the calendar).
    due = {q: report_due_at(year, q) for q in begun if quarter_end(year, q) < today}
    board = []
    for measure in measures:
        rows = [
            IndicatorProgress(i, {r.quarter: r for r in i.reports.all()})
            for i in measure.year_indicators
        ]
        progress = MeasureProgress(measure, rows, {}, [])
        for quarter in begun:
            progress.statuses[quarter] = quarter_status(progress, quarter)
        progress.overdue = [
            (row.indicator, q)
            for row in rows
            for q, due_at in due.items()
            if due_at <= at and q not in row.actuals
        ]
        progress.appeal_count = appeal_counts.get(measure.policy_id, 0)
        progress.demand_count = demand_counts.get(measure.pk, 0)
        board.append(progress)
    return board


def overdue_by_unit(board: list[MeasureProgress]) -> dict[Any, int]:
    out: dict[Any, int] = defaultdict(int)
    for progress in board:
        for indicator, _quarter in progress.overdue:
            out[indicator.department] += 1
    return dict(out)
