"""Reads of the whistles: every function takes the acting user and goes through the scope.

Figures (``whistle_stats``), all counted from records in the user's scope:

- *whistles*: whistles raised; *open*: raised, routed or reported (not yet resolved by every
  department); *solved*: resolved or closed;
- *overdue*: open whistles with a department past its working-time deadline (to report or to
  resolve) at ``now``;
- *loan amount*, *talents introduced*, *approvals*: the sums of the outcomes recorded by the
  departments that resolved their part.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.scoping import restrict, visible

from .choices import DUE_ASSIGNMENT_STATUSES, OPEN_STATUSES, AssignmentStatus, WhistleStatus
from .models import ChainEnterprise, IndustryChain, Policy, Whistle, WhistleAssignment

ZERO = Decimal("0.00")
SOLVED = (WhistleStatus.RESOLVED, WhistleStatus.CLOSED)


def chains_for(user: Any) -> QuerySet[IndustryChain]:
    return visible(IndustryChain, user).select_related("committee")


def chain_enterprises_for(user: Any) -> QuerySet[ChainEnterprise]:
    return visible(ChainEnterprise, user).select_related("chain", "region")


def policies(user: Any) -> QuerySet[Policy]:
    """The policy catalogue (reference data) with how many whistles each served in scope."""
    served = restrict(Whistle.objects.all(), user).values("pk")
    return Policy.objects.select_related("department").annotate(
        whistles_served=Count("whistles", filter=Q(whistles__in=served), distinct=True)
    )


def _overdue(at: dt.datetime):
    return Exists(
        WhistleAssignment.objects.filter(
            whistle=OuterRef("pk"), status__in=DUE_ASSIGNMENT_STATUSES, due_at__lte=at
        )
    )


def whistles_for(user: Any, *, now: dt.datetime | None = None) -> QuerySet[Whistle]:
    """Whistles in scope, with ``overdue`` and their departments' count."""
    at = now or timezone.now()
    return (
        restrict(Whistle.objects.all(), user)
        .select_related("chain", "enterprise", "enterprise__region")
        .annotate(overdue=_overdue(at) & Q(status__in=OPEN_STATUSES))
    )


def assignments_for(user: Any) -> QuerySet[WhistleAssignment]:
    return restrict(WhistleAssignment.objects.all(), user).select_related(
        "whistle", "whistle__chain", "department", "supervisor"
    )


def whistle_for(user: Any, pk: int) -> Whistle | None:
    return whistles_for(user).filter(pk=pk).first()


@dataclass
class WhistleStats:
    totals: dict[str, Any]
    by_chain: list[dict[str, Any]] = field(default_factory=list)
    by_department: list[dict[str, Any]] = field(default_factory=list)
    by_month: list[dict[str, Any]] = field(default_factory=list)
    by_category: list[dict[str, Any]] = field(default_factory=list)


def _money(value) -> Decimal:
    return (value if value is not None else ZERO).quantize(ZERO)


def whistle_stats(
    user: Any, *, now: dt.datetime | None = None, queryset: QuerySet | None = None
) -> WhistleStats:
    """The figures of the whistles in scope (``queryset``: already filtered), six queries."""
    at = now or timezone.now()
    whistles = queryset if queryset is not None else restrict(Whistle.objects.all(), user)
    whistles = whistles.annotate(late=_overdue(at))
    open_q = Q(status__in=OPEN_STATUSES)
    counts = dict(
        whistles=Count("pk"),
        open=Count("pk", filter=open_q),
        overdue=Count("pk", filter=open_q & Q(late=True)),
        solved=Count("pk", filter=Q(status__in=SOLVED)),
    )
    totals = whistles.order_by().aggregate(**counts)
    resolved = WhistleAssignment.objects.filter(
        whistle__in=whistles.values("pk"), status=AssignmentStatus.RESOLVED
    )
    outcome = resolved.aggregate(
        loan=Sum("loan_amount"),
        talents=Coalesce(Sum("talents_introduced"), 0),
        approvals=Count("pk", filter=Q(approval_obtained=True)),
    )
    totals.update(
        loan_amount=_money(outcome["loan"]),
        talents_introduced=outcome["talents"],
        approvals=outcome["approvals"],
    )
    by_chain = [
        {**row, "name": row.pop("chain__name")}
        for row in whistles.order_by()
        .values("chain__name", "chain__sort_order")
        .annotate(**counts)
        .order_by("chain__sort_order", "chain__name")
    ]
    loans = dict(
        resolved.order_by()
        .values("whistle__chain__name")
        .annotate(s=Sum("loan_amount"))
        .values_list("whistle__chain__name", "s")
    )
    for row in by_chain:
        row.pop("chain__sort_order", None)
        row["loan_amount"] = _money(loans.get(row["name"]))
    assignments = WhistleAssignment.objects.filter(whistle__in=whistles.values("pk"))
    by_department = [
        {
            "name": row["department__short_name"] or row["department__name"],
            "assignments": row["n"],
            "open": row["open"],
            "overdue": row["overdue"],
            "resolved": row["resolved"],
            "loan_amount": _money(row["loan"]),
        }
        for row in assignments.order_by()
        .values("department__code", "department__name", "department__short_name")
        .annotate(
            n=Count("pk"),
            open=Count("pk", filter=Q(status__in=DUE_ASSIGNMENT_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=DUE_ASSIGNMENT_STATUSES, due_at__lte=at)),
            resolved=Count("pk", filter=Q(status=AssignmentStatus.RESOLVED)),
            loan=Sum("loan_amount", filter=Q(status=AssignmentStatus.RESOLVED)),
        )
        .order_by("department__code")
    ]
    by_month = [
        {"month": row["month"].strftime("%Y-%m"), "whistles": row["n"], "solved": row["solved"]}
        for row in whistles.order_by()
        .annotate(month=TruncMonth("raised_at"))
        .values("month")
        .annotate(n=Count("pk"), solved=Count("pk", filter=Q(status__in=SOLVED)))
        .order_by("month")
    ]
    from .choices import WhistleCategory

    labels = dict(WhistleCategory.choices)
    by_category = [
        {"name": str(labels.get(row["category"], row["category"])), "whistles": row["n"]}
        for row in whistles.order_by().values("category").annotate(n=Count("pk")).order_by("-n")
    ]
    return WhistleStats(totals, by_chain, by_department, by_month, by_category)


def dashboard_figures(user: Any) -> list[dict[str, Any]]:
    """Cards: open whistles, overdue, solved, loans coordinated (yuan)."""
    stats = whistle_stats(user)
    url = reverse("ecosystem_whistles:stats")
    t = stats.totals
    note = _("whistles in your scope")
    return [
        {
            "key": "whistles_open",
            "title": _("Open whistles"),
            "value": t["open"],
            "denominator": None,
            "url": reverse("ecosystem_whistles:list"),
            "note": note,
        },
        {
            "key": "whistles_overdue",
            "title": _("Overdue whistles"),
            "value": t["overdue"],
            "denominator": None,
            "url": reverse("ecosystem_whistles:list") + "?overdue=true",
            "note": note,
        },
        {
            "key": "whistles_solved",
            "title": _("Problems solved"),
            "value": t["solved"],
            "denominator": t["whistles"],
            "rate_label": _("of the whistles raised"),
            "url": url,
            "note": note,
        },
        {
            "key": "whistles_loans",
            "title": _("Loans coordinated (10,000 yuan)"),
            "value": int(t["loan_amount"] / 10000),
            "denominator": None,
            "url": url,
            "note": note,
        },
    ]
