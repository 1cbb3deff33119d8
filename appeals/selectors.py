"""Reads for appeals: every function takes the acting user and returns what their scope
allows (``organizations.scoping``), ready for lists in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.choices import OrganizationStatus
from organizations.figures import FigureFilter
from organizations.models import PartyOrganization
from organizations.scoping import grants_for, visible

from .choices import (
    DUE_STATUSES,
    OPEN_STATUSES,
    SOLVED_STATUSES,
    HotSpotSubject,
    Level,
    Status,
)
from .models import Appeal, AppealEvent, HotSpotAlert, InboxMessage
from .services.levels import kinds_at_or_above

LIST_RELATED = (
    "category",
    "region",
    "industry",
    "enterprise",
    "platform",
    "assigned_organization",
    "policy_measure",
)


def dispatch_targets(user: Any, appeal: Appeal | None = None) -> QuerySet[PartyOrganization]:
    """Active organizations in ``user``'s scope an appeal may be dispatched to: at the level the
    appeal has reached or above (the rule ``services.appeal_dispatch`` enforces)."""
    qs = visible(PartyOrganization, user).filter(status=OrganizationStatus.ACTIVE).order_by("path")
    if appeal is None:
        return qs
    return qs.filter(kind__in=kinds_at_or_above(appeal.level))


def may_run_escalation_scan(user: Any) -> bool:
    """The escalation scan reads every appeal of the city: city-wide staff only."""
    return user.has_perm("appeals.change_appeal") and grants_for(user).city_wide


def appeals_for(user: Any) -> QuerySet[Appeal]:
    """Appeals in ``user``'s scope with what lists show (one query)."""
    return visible(Appeal, user).select_related(*LIST_RELATED)


def appeal_detail_for(user: Any) -> QuerySet[Appeal]:
    """Appeals in scope with their timeline prefetched (two queries)."""
    events = AppealEvent.objects.select_related("organization", "actor").order_by("at", "id")
    return (
        appeals_for(user)
        .select_related("submitter", "duplicate_of")
        .prefetch_related(Prefetch("events", queryset=events))
    )


def events_for(user: Any, appeal: Appeal | None = None) -> QuerySet[AppealEvent]:
    """Events of the appeals in scope (of one appeal if given), oldest first."""
    qs = visible(AppealEvent, user).select_related("appeal", "organization", "actor")
    if appeal is not None:
        qs = qs.filter(appeal=appeal)
    return qs.order_by("at", "id")


def overdue_for(user: Any, now: dt.datetime | None = None) -> QuerySet[Appeal]:
    now = now or timezone.now()
    return appeals_for(user).filter(status__in=DUE_STATUSES, due_at__lte=now)


def board_counts(user: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """The board's summary: open appeals by status × level and the overdue count of each
    status, in one query."""
    now = now or timezone.now()
    rows = (
        visible(Appeal, user)
        .filter(status__in=OPEN_STATUSES)
        .values("status", "level")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_at__lte=now)))
    )
    cells: dict[tuple[str, str], int] = {}
    overdue: dict[str, int] = {}
    for row in rows:
        cells[(row["status"], row["level"])] = row["n"]
        if row["status"] in DUE_STATUSES:
            overdue[row["status"]] = overdue.get(row["status"], 0) + row["overdue"]
    statuses = [s for s in Status if s.value in OPEN_STATUSES]
    return {
        "levels": list(Level),
        "rows": [
            {
                "status": status,
                "cells": [
                    {"level": level, "n": cells.get((status.value, level.value), 0)}
                    for level in Level
                ],
                "total": sum(cells.get((status.value, level.value), 0) for level in Level),
                "overdue": overdue.get(status.value, 0),
            }
            for status in statuses
        ],
        "total": sum(cells.values()),
        "overdue": sum(overdue.values()),
    }


# --- duplicates ------------------------------------------------------------------------------


def duplicate_days() -> int:
    return int(getattr(settings, "APPEALS_DUPLICATE_DAYS", 30))


def duplicate_candidates(user: Any, appeal: Appeal, *, limit: int = 10) -> QuerySet[Appeal]:
    """Likely duplicates of ``appeal`` within ``APPEALS_DUPLICATE_DAYS`` before or after it:
    the same person (the submitter, or the same contact phone by its blind index), or the
    same platform + category + region. Merged appeals and ``appeal`` itself are left out;
    only appeals in ``user``'s scope are offered."""
    window = dt.timedelta(days=duplicate_days())
    people = []
    if appeal.submitter_id:
        people.append(Q(submitter_id=appeal.submitter_id))
    if appeal.contact_phone_index:
        people.append(Q(contact_phone_index=appeal.contact_phone_index))
        people.append(Q(submitter__phone_index=appeal.contact_phone_index))
    if appeal.submitter_id and appeal.submitter.phone_index:
        people.append(Q(contact_phone_index=appeal.submitter.phone_index))
    if appeal.platform_id and appeal.region_id:
        people.append(
            Q(
                platform_id=appeal.platform_id,
                category_id=appeal.category_id,
                region_id=appeal.region_id,
            )
        )
    if not people:
        return Appeal.objects.none()
    return (
        appeals_for(user)
        .filter(reduce(or_, people))
        .filter(
            received_at__gte=appeal.received_at - window,
            received_at__lte=appeal.received_at + window,
            duplicate_of__isnull=True,
        )
        .exclude(pk=appeal.pk)
        .order_by("-received_at")[:limit]
    )


# --- hot spots, inbox, dashboard -------------------------------------------------------------


def hotspot_alerts(user: Any, *, include_resolved: bool = False) -> QuerySet[HotSpotAlert]:
    """Hot-spot alerts in ``user``'s scope, the open ones first and largest first."""
    qs = visible(HotSpotAlert, user).select_related("platform", "region", "category", "industry")
    if not include_resolved:
        qs = qs.filter(resolved=False)
    return qs.order_by("resolved", "-count", "-raised_at")


def hotspot_appeals_q(alert: HotSpotAlert) -> Q:
    """The appeals ``alert`` counts (as ``services.hotspots.hotspots_raise`` counts them): its
    category, received in its window (up to its last appeal), against its platform or at its
    place, duplicates left out. Combine with a scoped queryset."""
    match = (
        Q(platform_id=alert.platform_id)
        if alert.subject == HotSpotSubject.PLATFORM
        else Q(region_id=alert.region_id)
    )
    window = Q(received_at__gt=alert.window_start)
    if alert.last_appeal_at:
        window &= Q(received_at__lte=alert.last_appeal_at)
    return Q(category_id=alert.category_id, duplicate_of__isnull=True) & window & match


def inbox_for(user: Any) -> QuerySet[InboxMessage]:
    """Messages for ``user``: addressed to them, or to an organization they hold a grant
    on (or below it); city-wide staff also get what is addressed to the root organizations
    (the organization department)."""
    grants = grants_for(user)
    if grants.user_id is None:
        return InboxMessage.objects.none()
    parts = [Q(recipient_user_id=grants.user_id)]
    parts += [Q(recipient_organization__path__startswith=o.path) for o in grants.organizations]
    if grants.city_wide:
        parts.append(Q(recipient_organization__parent__isnull=True))
    return (
        InboxMessage.objects.filter(reduce(or_, parts))
        .select_related("appeal", "recipient_organization")
        .order_by("-created_at", "-id")
    )


def unread_count(user: Any) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


def _month_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def dashboard_figures(
    user: Any, now: dt.datetime | None = None, *, where: FigureFilter | None = None
) -> list[dict[str, Any]]:
    """The appeals KPIs of the dashboard in three queries (the appeals in scope, in the chosen
    region and industry, merged duplicates left out as on the statistics page; the open
    hot-spot alerts): open, overdue, solved this month, the visit satisfaction rate 回访满意率
    (the statistics page's figure: ``appeals.stats.selectors.SATISFIED`` ÷ ``VISITED``), and
    the hot spots awaiting the committee.
    Each figure: ``key``, ``title``, ``value``, ``denominator`` (or ``None``), ``url``, ``note``."""
    from .stats import selectors as stats

    now = now or timezone.now()
    where = where or FigureFilter()
    month = _month_start(now)
    appeals = stats.appeals_for_stats(
        user, stats.StatsFilter(region=where.region, industry=where.industry)
    )
    figures = appeals.order_by().aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=DUE_STATUSES, due_at__lte=now)),
        solved=Count("pk", filter=Q(status__in=SOLVED_STATUSES, closed_at__gte=month)),
        satisfied=Count("pk", filter=stats.SATISFIED),
        visited=Count("pk", filter=stats.VISITED),
    )
    board = reverse("appeals:board")
    stats_url = reverse("appeals_stats:stats")
    query = ""
    if where.region is not None:
        query += f"&region={where.region.code}"
    if where.industry is not None:
        query += f"&industry={where.industry.code}"
    alerts = hotspot_alerts(user).filter(where.q(region="region", industry="industry"))
    return [
        {
            "key": "appeals_open",
            "title": _("Open appeals"),
            "value": figures["open"],
            "denominator": None,
            "url": f"{board}?{query[1:]}" if query else board,
            "note": _("Received, dispatched, in progress or replied."),
        },
        {
            "key": "appeals_overdue",
            "title": _("Overdue appeals"),
            "value": figures["overdue"],
            "denominator": None,
            "url": f"{board}?overdue=true{query}",
            "note": _("The current step is past its due time; they escalate by themselves."),
        },
        {
            "key": "appeals_solved_month",
            "title": _("Solved this month"),
            "value": figures["solved"],
            "denominator": None,
            "url": f"{board}?status=closed{query}",
            "note": _("Closed since the first of the month."),
        },
        {
            "key": "appeals_visit_satisfaction",
            "title": _("Visit satisfaction rate"),
            "value": figures["satisfied"],
            "denominator": figures["visited"],
            "url": f"{stats_url}?{query[1:]}" if query else stats_url,
            "note": _(
                "How it is computed: appeals whose latest return visit scored 4 or 5, of the "
                "appeals visited (each appeal once; merged duplicates not counted)."
            ),
            "rate_label": _("of visited appeals satisfied"),
        },
        {
            "key": "appeals_hotspots",
            "title": _("Hot-spot alerts"),
            "value": alerts.count(),
            "denominator": None,
            "url": f"{board}#hotspot-title",
            "note": _("Many appeals against one platform or place in a short window."),
        },
    ]


dashboard_figures.follows = ("region", "industry")  # type: ignore[attr-defined]


# --- the working-time calendar, for other apps ---------------------------------------------


def working_day_end(day: dt.date) -> dt.datetime:
    """The end of the working day ``day``, or of the next working day when ``day`` is a
    weekend or a holiday (the official calendar with make-up workdays, ``appeals.sla``).
    Other apps (the task force's task deadlines) reach the SLA's calendar through here."""
    from . import sla

    calendar = sla.Calendar.load(day)
    if calendar.is_workday(day):
        return timezone.make_aware(dt.datetime.combine(day, sla.workday_end()))
    start = timezone.make_aware(dt.datetime.combine(day, sla.workday_start()))
    return sla.add_working_days(start, 1, calendar=calendar)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end of the working day ``days`` working days after ``start``'s date (``appeals.sla``;
    for other apps' deadlines)."""
    from . import sla

    return sla.add_working_days(start, days)
