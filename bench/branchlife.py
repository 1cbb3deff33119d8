"""Organization life at province scale: 100,000 members, 8,000 branches, 12 months.

In one run, each through the selector the portal pages call (city-wide staff, the configured
database), next to a bare SQL GROUP BY over the same rows:

- the monthly dues standards and collection rates rolled up the whole organization tree
  (``branchlife.selectors.collection_rollup``) against ``GROUP BY organization, month`` of the
  months paid plus ``GROUP BY organization`` of the members due and their standards;
- the compliance matrix for every branch (``branchlife.selectors.compliance_matrix``) against
  ``GROUP BY organization, kind, month`` of the held meetings.

Targets: each ≤ 5 s and ≤ 3 × its bare GROUP BY. The rows are inserted set-based (INSERT …
SELECT), protected fields left empty (nothing here reads them).
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from bench.common import Row, committee_tree
from branchlife import conf, selectors
from branchlife.models import DuesDeclaration, DuesMonth, DuesPayment, Meeting
from members.models import PartyMember
from organizations.choices import GrantKind, OrganizationBasis, OrganizationKind, RegionLevel
from organizations.models import PartyOrganization, Region, ScopeGrant

from .scope import INDUSTRIES

TZ = ZoneInfo("Asia/Shanghai")


def _months_sql(values: list[tuple]) -> tuple[str, list]:
    cols = len(values[0])
    one = "SELECT " + ", ".join(f"%s AS c{i}" for i in range(cols))
    return " UNION ALL ".join([one] * len(values)), [v for row in values for v in row]


def build(n_members: int, n_branches: int, year: int) -> None:
    province = Region.objects.create(code="320000", name="江苏省", level=RegionLevel.CITY)
    _industries, committees = committee_tree(province, INDUSTRIES)
    primaries = PartyOrganization.objects.bulk_create(
        [
            PartyOrganization(
                code=f"pc-{n}",
                name=f"党委{n}",
                kind=OrganizationKind.PRIMARY_COMMITTEE,
                basis=OrganizationBasis.UNIT,
                industry_id=committees[n % len(committees)].industry_id,
                parent=committees[n % len(committees)],
                path=f"{committees[n % len(committees)].path}p{n:07d}/",
                depth=2,
            )
            for n in range(max(2, n_branches // 80))
        ],
        batch_size=5000,
    )
    branches = PartyOrganization.objects.bulk_create(
        [
            PartyOrganization(
                code=f"br-{n}",
                name=f"党支部{n}",
                kind=OrganizationKind.BRANCH if n % 4 else OrganizationKind.JOINT_BRANCH,
                basis=OrganizationBasis.UNIT if n % 4 else OrganizationBasis.JOINT,
                industry_id=primaries[n % len(primaries)].industry_id,
                parent=primaries[n % len(primaries)],
                path=f"{primaries[n % len(primaries)].path}b{n:07d}/",
                depth=3,
            )
            for n in range(n_branches)
        ],
        batch_size=5000,
    )
    now = timezone.now()
    members = []
    for i in range(n_members):
        branch = branches[i % n_branches]
        mobile = i % 50 == 0  # hosted, relation elsewhere
        members.append(
            PartyMember(
                member_id=f"P{i:07d}",
                name=f"党员{i}",
                status="probationary" if i % 20 == 0 else "full",
                organization=None if mobile else branch,
                host_organization=branch if mobile else None,
                home_organization_name="外省某支部" if mobile else "",
                is_mobile=mobile,
                identity_changed_at=now,
            )
        )
    PartyMember.objects.bulk_create(members, batch_size=5000)
    member_t = PartyMember._meta.db_table
    org_t = PartyOrganization._meta.db_table
    ops = connection.ops
    months = [dt.date(year, m, 1) for m in range(1, 13)]
    with connection.cursor() as cursor:
        # Declarations: incomes spread over the four brackets by id.
        cursor.execute(
            f"""INSERT INTO {DuesDeclaration._meta.db_table}
                (member_id, year, category, monthly_income, monthly_standard, declared_on)
                SELECT id, %s, 'employed', i, CASE WHEN i <= 3000 THEN i * 0.005
                    WHEN i <= 5000 THEN i * 0.01 WHEN i <= 10000 THEN i * 0.015
                    ELSE i * 0.02 END,
                       %s
                FROM (SELECT id, 2000 + (id * 37) %% 14000 AS i FROM {member_t}) m""",
            [year, ops.adapt_datefield_value(dt.date(year, 1, 15))],
        )
        # Payments: one per member and month paid; about 1 in 10 month missed, 1 member in
        # 40 stops paying in July (six months unpaid by December).
        months_sql, months_params = _months_sql(
            [(ops.adapt_datefield_value(m), m.month) for m in months]
        )
        cursor.execute(
            f"""INSERT INTO {DuesPayment._meta.db_table}
                (member_id, organization_id, amount, channel, receipt_number, paid_on,
                 below_standard, created_at)
                SELECT m.id, COALESCE(m.organization_id, m.host_organization_id),
                       d.monthly_standard, 'wechat', '', mo.c0, 0 = 1, %s
                FROM {member_t} m
                JOIN {DuesDeclaration._meta.db_table} d ON d.member_id = m.id AND d.year = %s
                CROSS JOIN ({months_sql}) mo
                WHERE (m.id * 7 + mo.c1 * 13) %% 10 <> 0
                  AND NOT (m.id %% 40 = 0 AND mo.c1 >= 7)""",
            [ops.adapt_datetimefield_value(now), year, *months_params],
        )
        cursor.execute(
            f"""INSERT INTO {DuesMonth._meta.db_table}
                (payment_id, member_id, organization_id, month, amount, standard, below_standard)
                SELECT id, member_id, organization_id, paid_on, amount, amount, 0 = 1
                FROM {DuesPayment._meta.db_table}"""
        )
        # Meetings: every kind due by its frequency; 7 branches in 10 hold them all, 2 skip
        # one in four, 1 skips one in two.
        frequencies = conf.meeting_frequencies()
        kinds = sorted(frequencies)
        slots = [
            (
                kind,
                k,
                ops.adapt_datetimefield_value(dt.datetime(year, m.month, 12, 19, tzinfo=TZ)),
                m.month,
            )
            for k, kind in enumerate(kinds)
            for m in months
            if frequencies[kind] and m.month % frequencies[kind] == 0
        ]
        slots_sql, slots_params = _months_sql(slots)
        cursor.execute(
            f"""INSERT INTO {Meeting._meta.db_table}
                (organization_id, kind, title, status, starts_at, place_kind, address,
                 online_url, plan, notice, minutes, resolutions, check_in_code, created_at)
                SELECT o.id, s.c0, s.c0, 'held', s.c2, 'other', '', '', '', '', '记录', '',
                       'B' || CAST(o.id * 1000 + s.c1 * 20 + s.c3 AS TEXT), %s
                FROM {org_t} o CROSS JOIN ({slots_sql}) s
                WHERE o.kind IN ('branch', 'joint_branch')
                  AND NOT (o.id %% 10 IN (7, 8) AND (o.id + s.c1 + s.c3) %% 4 = 0)
                  AND NOT (o.id %% 10 = 9 AND (o.id + s.c1 + s.c3) %% 2 = 0)""",
            [ops.adapt_datetimefield_value(now), *slots_params],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


BARE_DUES = [
    f"""SELECT organization_id, month, COUNT(*), SUM(amount) FROM {DuesMonth._meta.db_table}
        WHERE month >= %s AND month <= %s GROUP BY organization_id, month""",
    f"""SELECT COALESCE(m.organization_id, m.host_organization_id), COUNT(*),
               SUM(d.monthly_standard)
        FROM {PartyMember._meta.db_table} m
        LEFT JOIN {DuesDeclaration._meta.db_table} d ON d.member_id = m.id AND d.year = %s
        WHERE m.status IN ('full', 'probationary') GROUP BY 1""",
]


def _bare_dues(year: int) -> None:
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            BARE_DUES[0],
            [
                ops.adapt_datefield_value(dt.date(year, 1, 1)),
                ops.adapt_datefield_value(dt.date(year, 12, 1)),
            ],
        )
        cursor.fetchall()
        cursor.execute(BARE_DUES[1], [year])
        cursor.fetchall()


def _bare_meetings(year: int) -> None:
    ops = connection.ops
    start = ops.adapt_datetimefield_value(dt.datetime(year, 1, 1, tzinfo=TZ))
    end = ops.adapt_datetimefield_value(dt.datetime(year + 1, 1, 1, tzinfo=TZ))
    month = (
        "EXTRACT(MONTH FROM starts_at AT TIME ZONE 'Asia/Shanghai')"
        if connection.vendor == "postgresql"
        # SQLite: the function Django registers for the same local-time extraction.
        else "django_datetime_extract('month', starts_at, 'Asia/Shanghai', 'UTC')"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT organization_id, kind, {month}, COUNT(*) FROM {Meeting._meta.db_table}
                WHERE status = 'held' AND starts_at >= %s AND starts_at < %s
                GROUP BY 1, 2, 3""",
            [start, end],
        )
        cursor.fetchall()


def _best(fn, repeat: int = 3) -> float:
    fn()  # warm the caches for both sides alike
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return min(out)


def run(small: bool) -> list[Row]:
    n_members, n_branches = (2_000, 160) if small else (100_000, 8_000)
    call_command("flush", interactive=False, verbosity=0)
    year = timezone.localdate().year - 1
    started = time.perf_counter()
    with transaction.atomic():
        build(n_members, n_branches, year)
    scale = f"{n_members:,} members, {n_branches:,} branches, 12 months"
    rows = [Row("branchlife", f"build ({scale})", time.perf_counter() - started, "s")]
    staff = get_user_model().objects.create_user("bench_branch_staff", password="x")
    ScopeGrant.objects.create(user=staff, kind=GrantKind.CITY)
    months = [dt.date(year, m, 1) for m in range(1, 13)]
    counts = {
        "months paid": DuesMonth.objects.count(),
        "meetings": Meeting.objects.count(),
    }

    def rollup():
        return selectors.collection_rollup(staff, months=months)

    figures = rollup()
    assert len(figures) >= 12 * n_branches
    bare = _best(lambda: _bare_dues(year))
    seconds = _best(rollup)
    rows += [
        Row(
            "branchlife",
            f"dues: bare SQL GROUP BY ({counts['months paid']:,} months paid)",
            bare,
            "s",
        ),
        Row(
            "branchlife",
            f"dues: collection rolled up the tree, {len(figures):,} rows",
            seconds,
            "s",
            "≤ 5 s and ≤ 3 × bare",
            seconds <= 5 and seconds <= 3 * bare,
        ),
        Row("branchlife", "dues: rollup ÷ bare SQL", seconds / bare if bare else 0, "×"),
    ]

    def matrix():
        return selectors.compliance_matrix(staff, year=year)

    table = matrix()
    assert len(table) == n_branches
    bare = _best(lambda: _bare_meetings(year))
    seconds = _best(matrix)
    behind = sum(1 for r in table if r.behind)
    rows += [
        Row(
            "branchlife",
            f"meetings: bare SQL GROUP BY ({counts['meetings']:,} meetings)",
            bare,
            "s",
        ),
        Row(
            "branchlife",
            f"meetings: compliance matrix, {len(table):,} branches ({behind:,} behind)",
            seconds,
            "s",
            "≤ 5 s and ≤ 3 × bare",
            seconds <= 5 and seconds <= 3 * bare,
        ),
        Row("branchlife", "meetings: matrix ÷ bare SQL", seconds / bare if bare else 0, "×"),
    ]
    return rows
