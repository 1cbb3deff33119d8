"""Reads for assistance funds: every function takes the acting user (or a queryset already
scoped from one) and aggregates in SQL, with a constant number of queries.

Only disbursements with status ``disbursed`` count towards totals; cancelled ones are listed
but released.

**Industry of a beneficiary** (for totals by industry): a worker's own ``industry``; for a
party member, their recorded ``industry``, else the industry of the organization holding their
membership relation, else that of their host organization (a mobile member). Beneficiaries
with none of these are counted under "industry unknown".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.names import normalize_name, surname
from organizations.figures import FigureFilter
from organizations.models import Industry
from organizations.scoping import visible

from .choices import DisbursementPurpose, DisbursementStatus
from .models import (
    MONEY_DIGITS,
    MONEY_PLACES,
    AssistanceFund,
    Disbursement,
    FundInKindItem,
)

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
GIVEN = Q(status=DisbursementStatus.DISBURSED)

#: Where a beneficiary's industry is read, first found wins (see the module docstring).
BENEFICIARY_INDUSTRY_PATHS = (
    "worker__industry",
    "member__industry",
    "member__organization__industry",
    "member__host_organization__industry",
)
#: The beneficiary's industry id, in SQL.
BENEFICIARY_INDUSTRY = Coalesce(*BENEFICIARY_INDUSTRY_PATHS, output_field=IntegerField())


def beneficiary_industry(disbursement: Disbursement) -> Industry | None:
    """The beneficiary's industry of one disbursement, by :data:`BENEFICIARY_INDUSTRY_PATHS`
    (the rule the totals by industry use), read from the loaded objects."""
    for path in BENEFICIARY_INDUSTRY_PATHS:
        obj = disbursement
        for name in path.split("__"):
            obj = getattr(obj, name) if obj is not None else None
        if obj is not None:
            return obj
    return None


def _beneficiaries(prefix: str = "", condition: Q | None = None):
    """Distinct workers plus distinct members (a person on both rosters counts twice: the two
    rosters are not merged here)."""
    p = f"{prefix}__" if prefix else ""
    return Count(f"{p}worker", filter=condition, distinct=True) + Count(
        f"{p}member", filter=condition, distinct=True
    )


CENT = Decimal("0.01")


def money(value: Decimal | None) -> Decimal:
    """A sum of yuan to 2 places (SQLite returns sums of decimals unquantized)."""
    return (value if value is not None else ZERO).quantize(CENT)


def masked_name(person: Any) -> str:
    """A beneficiary's name with all but the surname hidden (张伟 → 张*, 欧阳娜娜 → 欧阳**):
    who received aid is sensitive, and lists and exports need no more to be checked against
    the roster. ID numbers and phones are never shown on these faces at all."""
    name = normalize_name(getattr(person, "name", "") or "")
    if not name:
        return ""
    head = surname(name) or name[:1]
    return head + "*" * max(len(name) - len(head), 1)


# --- funds -------------------------------------------------------------------------------------


def funds_for(user: Any) -> QuerySet[AssistanceFund]:
    """Funds in ``user``'s scope."""
    return visible(AssistanceFund, user).select_related("owner_organization")


def with_totals(funds: QuerySet[AssistanceFund]) -> QuerySet[AssistanceFund]:
    """``funds`` annotated with ``disbursed`` (yuan), ``disbursement_count`` and
    ``beneficiary_count`` — one grouped query. ``remaining`` is ``budget - disbursed``
    (see :func:`remaining`)."""
    given = Q(disbursements__status=DisbursementStatus.DISBURSED)
    return funds.annotate(
        disbursed=Coalesce(
            Sum("disbursements__amount", filter=given), Value(ZERO), output_field=MONEY
        ),
        disbursement_count=Count("disbursements", filter=given),
        beneficiary_count=_beneficiaries("disbursements", given),
    )


def remaining(fund: AssistanceFund) -> Decimal:
    """What is left of an annotated fund's budget."""
    return money(fund.budget - fund.disbursed)


def items_with_totals(fund: AssistanceFund) -> QuerySet[FundInKindItem]:
    """The fund's in-kind items with ``given`` (quantity) and ``disbursement_count``."""
    given = Q(disbursements__status=DisbursementStatus.DISBURSED)
    return (
        FundInKindItem.objects.filter(fund=fund)
        .annotate(
            given=Coalesce(Sum("disbursements__quantity", filter=given), 0),
            disbursement_count=Count("disbursements", filter=given),
        )
        .order_by("name", "id")
    )


# --- disbursements ---------------------------------------------------------------------------


def disbursements_for(user: Any) -> QuerySet[Disbursement]:
    """Disbursements in ``user``'s scope, ready for lists (constant query count)."""
    return visible(Disbursement, user).select_related(
        "fund",
        "appeal",
        "worker",
        "worker__industry",
        "member",
        "member__industry",
        "member__organization__industry",
        "member__host_organization__industry",
        "item",
        "approver",
        "cancelled_by",
    )


# --- totals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TotalRow:
    key: str
    label: str
    amount: Decimal  # money, yuan
    count: int  # disbursements (money and in-kind)
    in_kind_count: int
    beneficiaries: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "amount": str(self.amount),
            "count": self.count,
            "in_kind_count": self.in_kind_count,
            "beneficiaries": self.beneficiaries,
        }


def _aggregates() -> dict[str, Any]:
    return {
        "amount_sum": Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY),
        "n": Count("id"),
        "in_kind": Count("id", filter=Q(item__isnull=False)),
        "people": _beneficiaries(),
    }


def _row(key: str, label: str, values: dict[str, Any] | None) -> TotalRow:
    values = values or {}
    return TotalRow(
        key=key,
        label=label,
        amount=money(values.get("amount_sum")),
        count=values.get("n") or 0,
        in_kind_count=values.get("in_kind") or 0,
        beneficiaries=values.get("people") or 0,
    )


def totals_overall(disbursements: QuerySet[Disbursement]) -> TotalRow:
    """All given disbursements of ``disbursements`` in one row (one query)."""
    values = disbursements.filter(GIVEN).order_by().aggregate(**_aggregates())
    return _row("all", _("All"), values)


def totals_by_purpose(disbursements: QuerySet[Disbursement]) -> list[TotalRow]:
    """One row per purpose, in the purposes' order, zero rows included (one query)."""
    grouped = {
        r["purpose"]: r
        for r in disbursements.filter(GIVEN).order_by().values("purpose").annotate(**_aggregates())
    }
    return [_row(p.value, str(p.label), grouped.get(p.value)) for p in DisbursementPurpose]


UNKNOWN_INDUSTRY = "unknown"


def totals_by_industry(disbursements: QuerySet[Disbursement]) -> list[TotalRow]:
    """One row per beneficiary industry that received something, largest amount first; then
    "industry unknown" if any (two queries)."""
    grouped = list(
        disbursements.filter(GIVEN)
        .order_by()
        .annotate(beneficiary_industry=BENEFICIARY_INDUSTRY)
        .values("beneficiary_industry")
        .annotate(**_aggregates())
    )
    ids = [r["beneficiary_industry"] for r in grouped if r["beneficiary_industry"] is not None]
    industries = Industry.objects.in_bulk(ids) if ids else {}
    rows = [
        _row(
            industries[r["beneficiary_industry"]].code,
            industries[r["beneficiary_industry"]].name,
            r,
        )
        for r in grouped
        if r["beneficiary_industry"] in industries
    ]
    rows.sort(key=lambda r: (-r.amount, -r.count, r.key))
    unknown = [r for r in grouped if r["beneficiary_industry"] not in industries]
    if unknown:
        rows.append(_row(UNKNOWN_INDUSTRY, _("Industry unknown"), unknown[0]))
    return rows


@dataclass(frozen=True)
class ItemRow:
    fund: str
    item: str
    unit: str
    quantity_budget: int
    given: int
    count: int
    beneficiaries: int


def totals_by_item(disbursements: QuerySet[Disbursement]) -> list[ItemRow]:
    """In-kind quantities given per item (one query)."""
    grouped = (
        disbursements.filter(GIVEN, item__isnull=False)
        .order_by()
        .values("item", "item__name", "item__unit", "item__quantity_budget", "fund__name")
        .annotate(given=Sum("quantity"), n=Count("id"), people=_beneficiaries())
        .order_by("fund__name", "item__name")
    )
    return [
        ItemRow(
            fund=r["fund__name"],
            item=r["item__name"],
            unit=r["item__unit"],
            quantity_budget=r["item__quantity_budget"],
            given=int(r["given"] or 0),
            count=r["n"],
            beneficiaries=r["people"],
        )
        for r in grouped
    ]


# --- dashboard -------------------------------------------------------------------------------


#: Where a beneficiary lives and works for the region choice, first found wins: a worker's
#: work region, else the member's region.
BENEFICIARY_REGION_PATHS = ("worker__region", "member__region")


def dashboard_figures(user: Any, *, where: FigureFilter | None = None) -> list[dict[str, Any]]:
    """KPI cards for this year's funds in ``user``'s scope: money disbursed of the budget, and
    the people helped. With a region or industry chosen, the money and the people are the
    beneficiaries' there (:data:`BENEFICIARY_REGION_PATHS`, :data:`BENEFICIARY_INDUSTRY_PATHS`);
    a fund's budget is not split by region or industry, so the card then shows no share of it.
    Two queries (plus the user's scope grants, cached per request)."""
    where = where or FigureFilter()
    year = timezone.localdate().year
    funds = visible(AssistanceFund, user).filter(year=year)
    budget = funds.aggregate(total=Coalesce(Sum("budget"), Value(ZERO), output_field=MONEY))[
        "total"
    ]
    chosen = where.q(region=BENEFICIARY_REGION_PATHS, industry=BENEFICIARY_INDUSTRY_PATHS)
    given = (
        visible(Disbursement, user)
        .filter(chosen, GIVEN, fund__year=year)
        .aggregate(
            amount_sum=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY),
            people=_beneficiaries(),
        )
    )
    funds_url = reverse("appeals_assistance:fund_list") + f"?year={year}"
    totals_url = reverse("appeals_assistance:totals") + f"?year={year}"
    note = _("Money given from this year's funds, of their budgets.")
    if not where.empty:
        note = _(
            "Money given from this year's funds to beneficiaries in this choice; budgets are "
            "set per fund, not per region or industry, so no share of them is shown."
        )
    return [
        {
            "key": "assistance_disbursed",
            "title": _("Assistance disbursed in %(year)s") % {"year": year},
            "value": money(given["amount_sum"]),
            "denominator": money(budget) if where.empty else None,
            "unit": "yuan",
            "figure": f"assistance_disbursed:{year}",
            "url": funds_url,
            "note": note,
            "rate_label": _("of the budget given"),
        },
        {
            "key": "assistance_beneficiaries",
            "title": _("People helped in %(year)s") % {"year": year},
            "value": given["people"],
            "denominator": None,
            "figure": f"assistance_beneficiaries:{year}",
            "url": totals_url,
            "note": _("Workers and party members who received money or in-kind aid."),
        },
    ]


dashboard_figures.follows = ("region", "industry")  # type: ignore[attr-defined]
