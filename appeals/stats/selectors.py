"""Statistics of appeals (issue 7, portal): volume by category, platform and month; the
response, resolution and satisfaction rates; the average time an appeal spends at each level.

Every figure is one SQL aggregation over the appeals the user sees
(:func:`organizations.scoping.visible`), narrowed by :class:`StatsFilter`; nothing loops over
rows in Python. Merged duplicates (``duplicate_of`` set) are left out everywhere: they are
the same matter counted once, under the appeal they were merged into.

Rates are numerator and denominator (:class:`Rate`), never a bare percentage:

* **response rate** = appeals dispatched within the SLA ÷ appeals received. "Within the SLA"
  means a person dispatched it before the escalation scan had to: the appeal has a dispatch
  event and no escalation event before its first dispatch. The scan escalates an appeal as
  soon as its dispatch due time (working time, :mod:`appeals.sla`) has passed, so this is
  "dispatched by the due time" to within one scan interval, and it needs no per-row
  working-time arithmetic in Python.
* **resolution rate** = appeals closed (closed, visited or archived now) ÷ appeals received.
* **visit satisfaction rate** 回访满意率 = appeals whose latest return-visit score is satisfied
  (4–5) ÷ appeals visited (a score given). The dashboard's card is this same figure
  (:data:`SATISFIED` ÷ :data:`VISITED`).
* **closed satisfaction rate** 办结满意率 = appeals whose latest return-visit score is satisfied
  ÷ appeals closed (closed, visited or archived now): a closed appeal not yet visited counts
  as not (yet) satisfied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from organizations import scoping
from organizations.figures import FigureFilter
from organizations.models import Industry, Region

from ..choices import DUE_STATUSES, SOLVED_STATUSES, EventKind, Level
from ..models import Appeal, AppealEvent
from ..services import SATISFIED_SCORES


@dataclass(frozen=True)
class StatsFilter:
    """Appeals received from ``start`` to ``end`` (local dates, both included), of an
    industry, in a region subtree; ``None`` means no limit."""

    start: dt.date | None = None
    end: dt.date | None = None
    industry: Industry | None = None
    region: Region | None = None


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _narrowed(qs: QuerySet[Appeal], filters: StatsFilter) -> QuerySet[Appeal]:
    if filters.start:
        qs = qs.filter(received_at__gte=_day_start(filters.start))
    if filters.end:
        qs = qs.filter(received_at__lt=_day_start(filters.end + dt.timedelta(days=1)))
    where = FigureFilter(region=filters.region, industry=filters.industry)
    if not where.empty:
        qs = qs.filter(where.q(region="region", industry="industry"))
    return qs


def appeals_for_stats(user: Any, filters: StatsFilter | None = None) -> QuerySet[Appeal]:
    """The appeals the figures count: in ``user``'s scope, filtered, duplicates left out."""
    qs = scoping.visible(Appeal, user).filter(duplicate_of__isnull=True)
    return _narrowed(qs, filters or StatsFilter())


#: The appeals each count of the rates holds (one definition, used by this page and the
#: dashboard's cards).
VISITED = Q(satisfaction__isnull=False)
SATISFIED = Q(satisfaction__in=SATISFIED_SCORES)
CLOSED = Q(status__in=SOLVED_STATUSES)


def volume_by_category(appeals: QuerySet[Appeal]) -> list[dict[str, Any]]:
    """``[{"code", "name", "count"}]``, the largest first (one grouped query)."""
    rows = (
        appeals.order_by()
        .values("category__code", "category__name")
        .annotate(count=Count("id"))
        .order_by("-count", "category__code")
    )
    return [
        {"code": r["category__code"], "name": r["category__name"], "count": r["count"]}
        for r in rows
    ]


def volume_by_platform(appeals: QuerySet[Appeal]) -> list[dict[str, Any]]:
    """``[{"id", "name", "count"}]``; appeals with no platform have ``id`` ``None``."""
    rows = (
        appeals.order_by()
        .values("platform_id", "platform__name")
        .annotate(count=Count("id"))
        .order_by("-count", "platform__name")
    )
    return [
        {"id": r["platform_id"], "name": r["platform__name"], "count": r["count"]} for r in rows
    ]


def volume_by_month(appeals: QuerySet[Appeal]) -> list[dict[str, Any]]:
    """``[{"month": "2026-03", "count"}]`` in order, months in Asia/Shanghai."""
    rows = (
        appeals.order_by()
        .annotate(month=TruncMonth("received_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
    )
    out = []
    for r in rows:
        month = r["month"]
        if isinstance(month, dt.datetime) and timezone.is_aware(month):
            month = timezone.localtime(month)
        out.append({"month": f"{month:%Y-%m}", "count": r["count"]})
    return out


def _first_event_at(kind: str) -> Subquery:
    return Subquery(
        AppealEvent.objects.filter(appeal=OuterRef("pk"), kind=kind)
        .order_by("at", "id")
        .values("at")[:1],
        output_field=DateTimeField(),
    )


def rates(appeals: QuerySet[Appeal]) -> dict[str, Rate]:
    """The four rates (see the module docstring), in one aggregate query."""
    annotated = appeals.order_by().annotate(
        first_dispatch=_first_event_at(EventKind.DISPATCH),
        first_escalation=_first_event_at(EventKind.ESCALATE),
    )
    responded = Q(first_dispatch__isnull=False) & (
        Q(first_escalation__isnull=True) | Q(first_escalation__gt=F("first_dispatch"))
    )
    totals = annotated.aggregate(
        received=Count("id"),
        responded=Count("id", filter=responded),
        resolved=Count("id", filter=CLOSED),
        visited=Count("id", filter=VISITED),
        satisfied=Count("id", filter=SATISFIED),
    )
    return {
        "received": totals["received"],
        "response": Rate(totals["responded"], totals["received"]),
        "resolution": Rate(totals["resolved"], totals["received"]),
        "satisfaction": Rate(totals["satisfied"], totals["visited"]),
        "closed_satisfaction": Rate(totals["satisfied"], totals["resolved"]),
    }


def merged_duplicates(user: Any, filters: StatsFilter | None = None) -> int:
    """Appeals merged into another, in the same choice: the board lists them (archived), the
    figures do not count them (one query)."""
    merged = scoping.visible(Appeal, user).filter(duplicate_of__isnull=False)
    return _narrowed(merged, filters or StatsFilter()).count()


def time_per_level(
    appeals: QuerySet[Appeal], *, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """The average time an appeal spends at each level of the direct channel.

    Method: the events of an appeal cut its life into stretches; the stretch that starts at
    event *e* lasts until the appeal's next event (ordered by time, then id), or until ``now``
    for its last event, and is spent at *e*'s ``to_level``. Only stretches in a state where a
    step is due count (received … extended, reopened: the handling time the SLA measures);
    the time after a reply, waiting to be closed or visited, is nobody's handling time. Per
    level: the sum of its stretches ÷ the number of appeals with a stretch there.

    One grouped query over the events: the next event's time is a correlated subquery on the
    ``(appeal, at)`` index, and the durations are summed by the database (portable: a window
    function's result cannot be aggregated without a derived table).

    Returns ``[{"level", "label", "appeals", "total", "average"}]`` (timedeltas) for every
    level in channel order, zeros where no appeal stayed.
    """
    at = now or timezone.now()
    following = AppealEvent.objects.filter(appeal=OuterRef("appeal")).filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id"))
    )
    next_at = Subquery(following.order_by("at", "id").values("at")[:1])
    stretch = ExpressionWrapper(
        Coalesce(next_at, Value(at, output_field=DateTimeField())) - F("at"),
        output_field=DurationField(),
    )
    rows = (
        AppealEvent.objects.filter(
            appeal__in=appeals.order_by().values("pk"), to_status__in=DUE_STATUSES
        )
        .order_by()
        .values("to_level")
        .annotate(total=Sum(stretch), appeals=Count("appeal", distinct=True))
    )
    found = {r["to_level"]: r for r in rows}
    out = []
    for level in Level:
        row = found.get(level.value)
        total = (row or {}).get("total") or dt.timedelta(0)
        count = (row or {}).get("appeals") or 0
        out.append(
            {
                "level": level.value,
                "label": level.label,
                "appeals": count,
                "total": total,
                "average": total / count if count else None,
            }
        )
    return out


@dataclass(frozen=True)
class AppealStats:
    by_category: list[dict[str, Any]]
    by_platform: list[dict[str, Any]]
    by_month: list[dict[str, Any]]
    rates: dict[str, Any]
    per_level: list[dict[str, Any]]


def appeal_stats(
    user: Any, filters: StatsFilter | None = None, *, now: dt.datetime | None = None
) -> AppealStats:
    """Every figure of the statistics page (five queries whatever the number of appeals)."""
    appeals = appeals_for_stats(user, filters)
    return AppealStats(
        by_category=volume_by_category(appeals),
        by_platform=volume_by_platform(appeals),
        by_month=volume_by_month(appeals),
        rates=rates(appeals),
        per_level=time_per_level(appeals, now=now),
    )
