"""Reads of party dues: the monthly collection rate per organization rolled up the tree (one
set-based SQL statement: facts per organization, then a GROUP BY per level of the materialized
path), a branch's ledger for a month, and the members flagged for arrears or for six
consecutive unpaid months (the branch decides; the portal only lists)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMonth, Length

from members.models import PartyMember
from organizations.models import PartyOrganization
from organizations.scoping import visible

from ..models import DuesDeclaration, DuesMonth, DuesPayment
from ..services.common import add_months, month_start
from ..services.dues import PAYING_STATUSES

ZERO = Decimal("0.00")


class Collection(NamedTuple):
    """One organization's dues for one month, its subtree included. Rates are a numerator
    and a denominator (members who paid / members due; amount / standard)."""

    organization_id: int
    month: dt.date
    due: int
    paid: int
    standard: Decimal
    amount: Decimal

    @property
    def percent(self) -> float | None:
        return 100 * self.paid / self.due if self.due else None


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _scope_sql(user) -> tuple[str, list[Any]]:
    """``AND <alias>.id IN (...)`` for the organizations ``user`` sees (nothing: city-wide)."""
    queryset = visible(PartyOrganization, user)
    if queryset.query.is_empty():
        return "IN (-1)", []
    if not queryset.query.where.children:
        return "", []
    sql, params = queryset.values("id").query.sql_with_params()
    return f"IN ({sql})", list(params)


def collection_rollup(
    user,
    *,
    months: list[dt.date],
    root: PartyOrganization | None = None,
    max_depth: int | None = None,
) -> list[Collection]:
    """Dues collected per organization and month for ``months``, each organization's figure
    covering its whole subtree, for the organizations ``user`` sees (under ``root`` and down
    to ``max_depth`` when given). Members due in a month are the current full and
    probationary members of the organization holding their relation (a mobile member without
    one: where hosted) who had joined by the month's end: one who joins in July owes from July,
    as in :func:`arrears`; the standard is their declaration for the month's year."""
    months = sorted({month_start(m) for m in months})
    if not months:
        return []
    org = PartyOrganization._meta.db_table
    member = PartyMember._meta.db_table
    declaration = DuesDeclaration._meta.db_table
    paid = DuesMonth._meta.db_table
    scope, scope_params = _scope_sql(user)
    root_sql, root_params = ("", [])
    if root is not None:
        root_sql, root_params = "AND o.path LIKE %s", [root.path + "%"]
    levels_qs = PartyOrganization.objects.all()
    if root is not None:
        levels_qs = levels_qs.filter(path__startswith=root.path)
    if max_depth is not None:
        levels_qs = levels_qs.filter(depth__lte=max_depth)
    # The path lengths of the organizations reported: one GROUP BY per length (a level).
    lengths = sorted(
        set(levels_qs.annotate(n=Length("path")).values_list("n", flat=True).distinct())
    )
    if len({m.year for m in months}) != 1:
        raise ValueError("collection_rollup reads the months of one year")
    year = months[0].year
    if not lengths:
        return []
    scoped = ("AND o.id " + scope) if scope else ""
    month_rows = " UNION ALL ".join(["SELECT %s AS month"] * len(months))
    # A member's first month due among ``months``: the first whose end is on or after the day
    # they joined (none: joined after the last month, not due in any).
    first_due = "CASE WHEN m.joined_on IS NULL THEN %s " + " ".join(
        ["WHEN m.joined_on < %s THEN %s"] * len(months)
    )
    first_due += " END"
    params: list[Any] = [*months, months[0]]
    for month in months:
        params += [add_months(month, 1), month]
    params += [year, *PAYING_STATUSES, months[0], months[-1]]
    params += [*scope_params, *root_params, *scope_params, *root_params]

    # The two node tables are read by every level: MATERIALIZED (PostgreSQL 12+, SQLite 3.35+)
    # computes each once (PostgreSQL would anyway; SQLite would not).
    # Each level sums the organizations' figures by the prefix of their path of that length; a
    # prefix equal to an organization's path is that organization (paths end with "/"), so one
    # equality join names the rows. Set-based whatever the depth of the tree. Members due are
    # rolled up by their first month due: most are due from the first month (``due_base``,
    # joined on the path alone); those who joined later are summed over the months from theirs
    # (``due_late``, few rows).
    def levels(source: str, sums: str) -> str:
        return " UNION ALL ".join(
            f"""SELECT SUBSTR(n.path, 1, %s) AS prefix, n.month AS month, {sums}
                FROM {source} n WHERE LENGTH(n.path) >= %s GROUP BY 1, 2"""
            for _length in lengths
        )

    for length in lengths:  # due_rolled
        params += [length, length]
    params += [months[0], months[0]]  # due_base, due_late
    for length in lengths:  # paid_rolled
        params += [length, length]
    final_filters = [f"AND a.id {scope}" if scope else ""]
    if root is not None:
        final_filters.append("AND a.path LIKE %s")
    if max_depth is not None:
        final_filters.append("AND a.depth <= %s")
    sql = f"""
        WITH mo AS ({month_rows}),
        due AS (
            SELECT COALESCE(m.organization_id, m.host_organization_id) AS org_id,
                   {first_due} AS month,
                   COUNT(*) AS due, SUM(COALESCE(d.monthly_standard, 0)) AS standard
            FROM {member} m
            LEFT JOIN {declaration} d ON d.member_id = m.id AND d.year = %s
            WHERE m.status IN (%s, %s)
              AND COALESCE(m.organization_id, m.host_organization_id) IS NOT NULL
            GROUP BY 1, 2
        ),
        paid AS (
            SELECT p.organization_id AS org_id, p.month AS month, COUNT(*) AS paid,
                   SUM(p.amount) AS amount
            FROM {paid} p WHERE p.month >= %s AND p.month <= %s
            GROUP BY p.organization_id, p.month
        ),
        due_node AS MATERIALIZED (
            SELECT o.path AS path, due.month AS month, due.due AS due, due.standard AS standard
            FROM due JOIN {org} o ON o.id = due.org_id
            WHERE due.month IS NOT NULL {scoped} {root_sql}
        ),
        paid_node AS MATERIALIZED (
            SELECT o.path AS path, paid.month AS month, paid.paid AS paid, paid.amount AS amount
            FROM paid JOIN {org} o ON o.id = paid.org_id WHERE 1 = 1 {scoped} {root_sql}
        ),
        due_rolled AS MATERIALIZED (
            {levels("due_node", "SUM(n.due) AS due, SUM(n.standard) AS standard")}
        ),
        due_base AS (SELECT * FROM due_rolled WHERE month = %s),
        due_late AS (
            SELECT d.prefix AS prefix, mo.month AS month, SUM(d.due) AS due,
                   SUM(d.standard) AS standard
            FROM due_rolled d JOIN mo ON d.month > %s AND d.month <= mo.month GROUP BY 1, 2
        ),
        paid_rolled AS ({levels("paid_node", "SUM(n.paid) AS paid, SUM(n.amount) AS amount")})
        SELECT a.id, mo.month, COALESCE(b.due, 0) + COALESCE(l.due, 0), COALESCE(r.paid, 0),
               COALESCE(b.standard, 0) + COALESCE(l.standard, 0), COALESCE(r.amount, 0)
        FROM {org} a CROSS JOIN mo
        LEFT JOIN due_base b ON b.prefix = a.path
        LEFT JOIN due_late l ON l.prefix = a.path AND l.month = mo.month
        LEFT JOIN paid_rolled r ON r.prefix = a.path AND r.month = mo.month
        WHERE (b.prefix IS NOT NULL OR l.prefix IS NOT NULL OR r.prefix IS NOT NULL)
              {" ".join(final_filters)}
    """
    params += scope_params
    if root is not None:
        params.append(root.path + "%")
    if max_depth is not None:
        params.append(max_depth)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A report query of one statement: compiling it (JIT, above jit_above_cost) costs
            # more than it saves (~130 ms of 1.5 s at the benchmark's scale).
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # PostgreSQL gives dates and exact decimals; SQLite text and floats: convert once per value.
    months_by_key = {str(m): m for m in months}
    cent = Decimal("0.01")

    def month_of(value):
        return (
            value
            if isinstance(value, dt.date)
            else months_by_key.get(str(value)[:10]) or _as_date(value)
        )

    def money(value):
        if isinstance(value, Decimal) and value.as_tuple().exponent == -2:
            return value
        return Decimal(str(value or 0)).quantize(cent)

    return [
        Collection(r[0], month_of(r[1]), int(r[2]), int(r[3]), money(r[4]), money(r[5]))
        for r in rows
    ]


# --- a branch's ledger and the flags -----------------------------------------------------------


def members_paying(user) -> QuerySet[PartyMember]:
    """Members in ``user``'s scope who pay dues here: full and probationary members of a local
    organization (or, for a mobile member without one, where hosted)."""
    return visible(PartyMember, user).filter(
        Q(organization__isnull=False) | Q(host_organization__isnull=False),
        status__in=PAYING_STATUSES,
    )


def ledger(user, *, organization: PartyOrganization, year: int) -> QuerySet[PartyMember]:
    """A branch's dues ledger for ``year``: each member with the year's standard, the months
    paid and the amount paid this year (constant queries: annotations)."""
    standard = DuesDeclaration.objects.filter(member=OuterRef("pk"), year=year).values(
        "monthly_standard"
    )[:1]
    months_paid = (
        DuesMonth.objects.filter(member=OuterRef("pk"), month__year=year)
        .values("member")
        .annotate(n=Count("id"))
        .values("n")
    )
    amount_paid = (
        DuesMonth.objects.filter(member=OuterRef("pk"), month__year=year)
        .values("member")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    below = DuesMonth.objects.filter(member=OuterRef("pk"), month__year=year, below_standard=True)
    return (
        members_paying(user)
        .filter(
            Q(organization=organization)
            | Q(organization__isnull=True, host_organization=organization)
        )
        .annotate(
            standard=Subquery(standard, output_field=DecimalField(max_digits=10, decimal_places=2)),
            months_paid=Coalesce(Subquery(months_paid, output_field=IntegerField()), 0),
            amount_paid=Coalesce(
                Subquery(amount_paid, output_field=DecimalField(max_digits=12, decimal_places=2)),
                Value(ZERO),
            ),
            below_standard=Exists(below),
        )
        .order_by("name", "pk")
    )


def months_paid_by(user, *, members: list[int], year: int) -> dict[int, set[int]]:
    """``{member id: {month numbers paid in year}}`` for a page of a ledger (one query)."""
    out: dict[int, set[int]] = {}
    rows = (
        DuesMonth.objects.filter(member_id__in=members, month__year=year)
        .filter(pk__in=visible(DuesMonth, user).values("pk"))
        .values_list("member_id", "month")
    )
    for member_id, month in rows:
        out.setdefault(member_id, set()).add(_as_date(month).month)
    return out


def last_complete_month(today: dt.date) -> dt.date:
    return add_months(month_start(today), -1)


def unpaid_six_months(user, *, today: dt.date) -> QuerySet[PartyMember]:
    """Members who paid for none of the last six complete months (and were members before
    them): due for the branch's decision under the constitution's rule."""
    end = month_start(today)
    start = add_months(end, -6)
    paid = DuesMonth.objects.filter(member=OuterRef("pk"), month__gte=start, month__lt=end)
    return (
        members_paying(user)
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lt=start))
        .exclude(Exists(paid))
        .select_related("organization", "host_organization")
        .order_by("organization__path", "name")
    )


def arrears(user, *, today: dt.date) -> QuerySet[PartyMember]:
    """Members with months of this year unpaid up to the last complete month, annotated with
    ``months_due``, ``months_paid`` and ``months_owed``."""
    last = last_complete_month(today)
    year = today.year if today.month > 1 else today.year - 1
    last_n = last.month
    months_due = Value(last_n) - Coalesce(
        # Members who joined this year owe from their joining month.
        Subquery(
            PartyMember.objects.filter(pk=OuterRef("pk"), joined_on__year=year)
            .annotate(m=ExtractMonth("joined_on"))
            .values("m")[:1],
            output_field=IntegerField(),
        )
        - 1,
        Value(0),
    )
    months_paid = (
        DuesMonth.objects.filter(
            member=OuterRef("pk"), month__gte=dt.date(year, 1, 1), month__lte=last
        )
        .values("member")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        members_paying(user)
        .annotate(
            months_due=months_due,
            months_paid=Coalesce(Subquery(months_paid, output_field=IntegerField()), 0),
        )
        .annotate(months_owed=F("months_due") - F("months_paid"))
        .filter(months_owed__gt=0)
        .select_related("organization", "host_organization")
        .order_by("-months_owed", "organization__path", "name")
    )


def payments_for(user) -> QuerySet[DuesPayment]:
    return (
        visible(DuesPayment, user)
        .select_related("member", "organization")
        .prefetch_related("months")
    )


def declarations_for(user) -> QuerySet[DuesDeclaration]:
    return visible(DuesDeclaration, user).select_related("member")


def missing_declarations(user, *, year: int) -> QuerySet[PartyMember]:
    """Members who have not declared their income for ``year`` (re-declared yearly)."""
    declared = DuesDeclaration.objects.filter(member=OuterRef("pk"), year=year)
    return members_paying(user).exclude(Exists(declared))
