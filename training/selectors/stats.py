"""The training statistics (SQL GROUP BY per measure and dimension) and the dashboard's figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import ExtractMonth, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from organizations.figures import FigureFilter
from organizations.models import Industry, Region
from organizations.scoping import visible

from ..models import (
    Attendance,
    OutreachEvent,
    PartyLesson,
    Session,
    TrainingClass,
)

#: Length of a district's path ("320400/320402/"): six-digit city and district codes.
DISTRICT_PATH_LENGTH = 14

MEASURES = (
    "classes",
    "sessions",
    "person_times",
    "party_lessons",
    "lesson_audience",
    "outreach_events",
    "outreach_audience",
)


#: Each measure's figure key, shared with the dashboard's card that shows the same number.
FIGURE_KEYS = {
    "classes": "training_classes",
    "sessions": "training_sessions",
    "person_times": "training_person_times",
    "party_lessons": "party_lessons",
    "lesson_audience": "party_lesson_audience",
    "outreach_events": "outreach_events",
    "outreach_audience": "outreach_audience",
}


def measure_labels() -> dict[str, str]:
    return {
        "classes": _("Classes"),
        "sessions": pgettext("training", "Sessions"),
        "person_times": _("Person-times"),
        "party_lessons": _("Party lessons"),
        "lesson_audience": _("Party-lesson audience"),
        "outreach_events": _("Outreach events"),
        "outreach_audience": _("Outreach audience"),
    }


@dataclass(frozen=True)
class _Source:
    queryset: QuerySet
    month: str
    industry: str
    region_path: str
    values: dict[str, Any]


def _sources(user: Any, year: int, where: FigureFilter | None = None) -> list[_Source]:
    """What each measure counts (one definition for the statistics page and the dashboard's
    cards), narrowed to the chosen region and industry: by the region where a class is held,
    a lesson's organization's region, an event's region; by the industry the statistics group
    under (the organizer's, the attendee's, the event's)."""
    sources = _unfiltered_sources(user, year)
    if where is None or where.empty:
        return sources
    return [
        _Source(
            s.queryset.filter(
                where.q(region=s.region_path.removesuffix("__path"), industry=s.industry)
            ),
            s.month,
            s.industry,
            s.region_path,
            s.values,
        )
        for s in sources
    ]


def year_totals(user: Any, *, year: int, where: FigureFilter | None = None) -> dict[str, int]:
    """Every measure's total of ``year`` (one aggregate query per source): the figures the
    statistics page's totals row shows, for the dashboard."""
    totals = dict.fromkeys(MEASURES, 0)
    for source in _sources(user, year, where):
        for name, value in source.queryset.order_by().aggregate(**source.values).items():
            totals[name] += int(value or 0)
    return totals


def _unfiltered_sources(user: Any, year: int) -> list[_Source]:
    return [
        _Source(
            visible(TrainingClass, user).filter(starts_on__year=year),
            "starts_on",
            "organizer__industry",
            "region__path",
            {"classes": Count("pk")},
        ),
        _Source(
            visible(Session, user).filter(starts_at__year=year),
            "starts_at",
            "training_class__organizer__industry",
            "training_class__region__path",
            {"sessions": Count("pk")},
        ),
        _Source(
            visible(Attendance, user).filter(session__starts_at__year=year),
            "session__starts_at",
            "worker__industry",
            "session__training_class__region__path",
            {"person_times": Count("pk")},
        ),
        _Source(
            visible(PartyLesson, user).filter(given_on__year=year),
            "given_on",
            "organization__industry",
            "organization__region__path",
            {"party_lessons": Count("pk"), "lesson_audience": Sum("audience_count")},
        ),
        _Source(
            visible(OutreachEvent, user).filter(held_on__year=year),
            "held_on",
            "industry",
            "region__path",
            {"outreach_events": Count("pk"), "outreach_audience": Sum("audience_count")},
        ),
    ]


@dataclass
class Statistics:
    """The year's figures in the user's scope: totals and rows by month, industry and region.
    Each row is ``{"key", "label", <measure>: int, ...}``."""

    year: int
    totals: dict[str, int]
    by_month: list[dict[str, Any]]
    by_industry: list[dict[str, Any]]
    by_region: list[dict[str, Any]]


def _grouped(source: _Source, key) -> list[tuple[Any, dict[str, int]]]:
    rows = (
        source.queryset.order_by()
        .annotate(_key=key)
        .values("_key")
        .annotate(**source.values)
        .values_list("_key", *source.values)
    )
    return [(row[0], dict(zip(source.values, row[1:], strict=True))) for row in rows]


def _merge(target: dict[Any, dict[str, int]], key, values: dict[str, int]) -> None:
    row = target.setdefault(key, dict.fromkeys(MEASURES, 0))
    for name, value in values.items():
        row[name] += int(value or 0)


def statistics(
    user: Any, *, year: int | None = None, where: FigureFilter | None = None
) -> Statistics:
    """Classes, sessions, person-times, party lessons (and their audience) and outreach events
    (and their audience) of one year in ``user``'s scope, by month, industry and district.

    Classes and sessions count under the organizer's industry, person-times under the
    attendee's; regions are the district where a class is held (a city-level class counts
    under the city), a lesson's organization's district, an event's district.
    """
    year = year or timezone.localdate().year
    by_month: dict[Any, dict[str, int]] = {}
    by_industry: dict[Any, dict[str, int]] = {}
    by_region: dict[Any, dict[str, int]] = {}
    for source in _sources(user, year, where):
        for key, values in _grouped(source, ExtractMonth(source.month)):
            _merge(by_month, key, values)
        for key, values in _grouped(source, F(source.industry)):
            _merge(by_industry, key, values)
        region_key = Substr(source.region_path, 1, DISTRICT_PATH_LENGTH)
        for key, values in _grouped(source, region_key):
            _merge(by_region, key, values)

    totals = dict.fromkeys(MEASURES, 0)
    for row in by_month.values():
        for name in MEASURES:
            totals[name] += row[name]
    months = [
        {"key": m, "label": f"{year}-{m:02d}", **by_month.get(m, dict.fromkeys(MEASURES, 0))}
        for m in range(1, 13)
    ]
    names = dict(Industry.objects.values_list("pk", "name"))
    order = {pk: n for n, pk in enumerate(Industry.objects.values_list("pk", flat=True))}
    industries = [
        {"key": k, "label": names.get(k, _("No industry")), **v}
        for k, v in sorted(by_industry.items(), key=lambda kv: order.get(kv[0], 10**9))
    ]
    regions_by_path = {
        r.path: r for r in Region.objects.filter(path__in=[k for k in by_region if k])
    }
    regions = [
        {
            "key": regions_by_path[k].code if k in regions_by_path else "",
            "label": regions_by_path[k].name if k in regions_by_path else _("No region"),
            **v,
        }
        for k, v in sorted(by_region.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    ]
    return Statistics(year, totals, months, industries, regions)


# --- the dashboard -------------------------------------------------------------------------


def dashboard_figures(user: Any, *, where: FigureFilter | None = None) -> list[dict[str, Any]]:
    """This year's training cards for the dashboard: classes, sessions, person-times, party
    lessons and outreach audiences in ``user``'s scope and the chosen region and industry —
    the statistics page's totals (:func:`year_totals`). Five queries, whatever the data."""
    today = timezone.localdate()
    year = today.year
    where = where or FigureFilter()
    query = f"?year={year}"
    if where.region is not None:
        query += f"&region={where.region.code}"
    if where.industry is not None:
        query += f"&industry={where.industry.code}"
    stats_url = reverse("training:stats") + query
    totals = year_totals(user, year=year, where=where)
    note = _("%(year)d so far") % {"year": year}
    cards = (
        ("training_classes", _("Training classes"), "classes", reverse("training:class_list")),
        ("training_sessions", _("Training sessions"), "sessions", stats_url),
        ("training_person_times", _("Training person-times"), "person_times", stats_url),
        ("party_lessons", _("Party lessons"), "party_lessons", reverse("training:lesson_list")),
        (
            "outreach_audience",
            _("Outreach audiences"),
            "outreach_audience",
            reverse("training:outreach_list"),
        ),
    )
    return [
        {
            "key": key,
            "title": title,
            "value": totals[measure],
            "denominator": None,
            "url": url,
            "note": note,
            "figure": f"{FIGURE_KEYS[measure]}:{year}",
        }
        for key, title, measure, url in cards
    ]


dashboard_figures.follows = ("region", "industry")  # type: ignore[attr-defined]
