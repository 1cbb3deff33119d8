"""Demo organization life for the demo city: a year of every branch's meetings (三会一课 and
the others) with most branches on schedule and some behind, attendance with leave requests,
a few members absent for six months; every member's dues declaration, a year of payments with
some arrears, a few unpaid for six months and some below the standard; hand-overs to the
higher committee; last year's democratic evaluations; elections, with some terms overdue.

Deterministic for a seed and the day it runs (the twelve complete months before this one).
Rows are bulk-inserted: this is seed data, not user writes, so no audit rows are written.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from branchlife import conf
from branchlife.choices import (
    CheckInChannel,
    DuesCategory,
    MeetingKind,
    MeetingStatus,
    ParticipationStatus,
    PaymentChannel,
    PlaceKind,
    Rating,
)
from branchlife.models import (
    DuesDeclaration,
    DuesHandover,
    DuesMonth,
    DuesPayment,
    Election,
    Evaluation,
    Meeting,
    Participation,
)
from branchlife.services import dues_standard
from branchlife.services.common import add_months, month_start
from core.dates import add_years
from core.defaults import CODE_ALPHABET, CODE_LENGTH
from members.models import PartyMember
from organizations.models import PartyOrganization
from stations.models import Station
from training.models import PartyLesson

TZ = ZoneInfo("Asia/Shanghai")
PAYING = ("full", "probationary")
TITLES = {
    MeetingKind.GENERAL_MEETING: "支部党员大会：学习贯彻上级精神",
    MeetingKind.COMMITTEE: "支部委员会：研究月度工作",
    MeetingKind.GROUP: "党小组会：交流跑单中的党员作用",
    MeetingKind.LESSON: "党课：新就业群体中的党员先锋",
    MeetingKind.THEME_DAY: "主题党日：走进红色驿站",
    MeetingKind.LIFE_MEETING: "组织生活会：对照检查",
    MeetingKind.EVALUATION: "民主评议党员",
}
RATINGS = (Rating.EXCELLENT, Rating.QUALIFIED, Rating.BASICALLY_QUALIFIED, Rating.UNQUALIFIED)
CHANNELS = list(CheckInChannel.values)
PAY_CHANNELS = list(PaymentChannel.values)
LEAVE_REASONS = ("夜班送单", "在外地跑长途", "直播排期冲突", "家中有事", "生病", "高峰期订单多")


@dataclass
class BranchlifeSeedResult:
    meetings: int
    behind: int
    participations: int
    absent_flagged: int
    declarations: int
    payments: int
    months_paid: int
    unpaid_flagged: int
    below_standard: int
    evaluations: int
    elections: int
    terms_overdue: int


def _code(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def _when(rng: random.Random, month: dt.date) -> dt.datetime:
    day = rng.randrange(1, 28)
    return dt.datetime(month.year, month.month, day, rng.choice((19, 20, 14)), tzinfo=TZ)


def _income(rng: random.Random) -> Decimal:
    band = rng.random()
    if band < 0.25:
        value = rng.uniform(2000, 3000)
    elif band < 0.65:
        value = rng.uniform(3000, 5000)
    elif band < 0.92:
        value = rng.uniform(5000, 10000)
    else:
        value = rng.uniform(10000, 18000)
    return Decimal(round(value / 10) * 10).quantize(Decimal("0.01"))


def _insert(objs: list, key: str | None = None, model=None) -> None:
    """Insert model instances (or, with ``model``, dicts of attnames: the fields left out take
    their static default) with one ``executemany`` per batch — ``bulk_create`` spends most of
    its time preparing values row by row; with ``key`` (a unique field) the instances get
    their primary keys back."""
    if not objs:
        return
    if model is not None:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        defaults = {
            f.attname: now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default()
            for f in fields
        }
        _insert_rows(model, [{**defaults, **row} for row in objs])
        return
    model = type(objs[0])
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]

    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    names = [f.attname for f in fields]
    _insert_rows(model, [{n: getattr(o, n) for n in names} for o in objs])
    if key is not None:
        ids = dict(model.objects.values_list(key, "pk"))
        for obj in objs:
            obj.pk = ids[getattr(obj, key)]
            obj._state.adding = False


def _insert_rows(model, rows: list[dict]) -> None:
    ops = connection.ops
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]

    def adapt(value):
        if isinstance(value, dt.datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return ops.adapt_datefield_value(value)
        if isinstance(value, str):
            return str(value)  # TextChoices members as plain text
        return value

    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
    names = [f.attname for f in fields]
    with connection.cursor() as cursor:
        for first in range(0, len(rows), 5000):
            batch = rows[first : first + 5000]
            cursor.executemany(sql, [[adapt(r[n]) for n in names] for r in batch])


def seed_branchlife(*, actor: Any, scale: str = "city", seed: int = 2026) -> BranchlifeSeedResult:
    """Create the demo organization life (nothing is added if meetings exist)."""
    rng = random.Random(seed * 11 + 15)
    today = timezone.localdate()
    this_month = month_start(today)
    months = [add_months(this_month, k) for k in range(-12, 0)]
    with transaction.atomic():
        if not Meeting.objects.exists():
            branches = list(
                PartyOrganization.objects.filter(
                    kind__in=conf.branch_kinds(), status="active"
                ).order_by("pk")
            )
            members_of: dict[int, list[int]] = defaultdict(list)
            home_of: dict[int, int] = {}
            for pk, org, host in (
                PartyMember.objects.filter(status__in=PAYING)
                .values_list("pk", "organization_id", "host_organization_id")
                .order_by("pk")
            ):
                home = org or host
                if home:
                    home_of[pk] = home
                for o in {org, host} - {None}:
                    members_of[o].append(pk)
            _meetings(rng, branches, members_of, months, today)
            _dues(rng, home_of, months, today)
            _handovers(branches, months)
            _elections(rng, branches, today)
    from branchlife import selectors

    everyone = actor  # city-wide staff: the counts cover the city
    year = months[-1].year
    return BranchlifeSeedResult(
        meetings=Meeting.objects.count(),
        behind=sum(
            1 for r in selectors.compliance_matrix(everyone, year=year, today=today) if r.behind
        ),
        participations=Participation.objects.count(),
        absent_flagged=selectors.absent_six_months(everyone, today=today).count(),
        declarations=DuesDeclaration.objects.count(),
        payments=DuesPayment.objects.count(),
        months_paid=DuesMonth.objects.count(),
        unpaid_flagged=selectors.unpaid_six_months(everyone, today=today).count(),
        below_standard=DuesPayment.objects.filter(below_standard=True).count(),
        evaluations=Evaluation.objects.count(),
        elections=Election.objects.count(),
        terms_overdue=selectors.terms_overdue(everyone, today=today).count(),
    )


def _meetings(rng, branches, members_of, months, today) -> None:
    frequencies = conf.meeting_frequencies()
    stations = list(Station.objects.order_by("pk").values_list("pk", flat=True)[:300])
    lessons: dict[tuple[int, int, int], int] = {}
    for pk, org, given in PartyLesson.objects.values_list(
        "pk", "organization_id", "given_on"
    ).order_by("pk"):
        lessons.setdefault((org, given.year, (given.month - 1) // 3), pk)
    # Members who take no part for the last six months: about 2 in 100.
    all_members = sorted({m for ms in members_of.values() for m in ms})
    absentees = {m for m in all_members if rng.random() < 0.02}
    codes: set[str] = set()
    rows: list[Meeting] = []
    for branch in branches:
        diligence = rng.choices((0.97, 0.75, 0.4), weights=(70, 20, 10))[0]
        for month in months:
            for kind, frequency in frequencies.items():
                if not frequency or month.month % frequency:
                    continue
                if rng.random() > diligence:
                    continue
                place = rng.random()
                station = rng.choice(stations) if stations and place < 0.4 else None
                rows.append(
                    Meeting(
                        organization=branch,
                        kind=kind,
                        title=TITLES[kind],
                        status=MeetingStatus.HELD,
                        starts_at=_when(rng, month),
                        place_kind=PlaceKind.STATION
                        if station
                        else (PlaceKind.ONLINE if place > 0.9 else PlaceKind.OTHER),
                        station_id=station,
                        address="" if station else f"{branch.short_name or branch.name}活动室",
                        online_url="https://meeting.example.cn/branch" if place > 0.9 else "",
                        plan="会议议程：1. 学习；2. 讨论；3. 部署",
                        minutes="会议由支部书记主持，应到党员全部通知，会议形成决议。",
                        resolutions="按期完成本月工作安排。",
                        party_lesson_id=lessons.get((branch.pk, month.year, (month.month - 1) // 3))
                        if kind == MeetingKind.LESSON
                        else None,
                        check_in_code=_code(rng, codes),
                    )
                )
        # Next month's plan: a theme day members can sign up for.
        nxt = add_months(month_start(today), 1)
        rows.append(
            Meeting(
                organization=branch,
                kind=MeetingKind.THEME_DAY,
                title=TITLES[MeetingKind.THEME_DAY],
                status=MeetingStatus.PLANNED,
                starts_at=_when(rng, nxt),
                place_kind=PlaceKind.OTHER,
                address=f"{branch.short_name or branch.name}活动室",
                notice="请准时参加，不能参加的请假并说明理由。",
                check_in_code=_code(rng, codes),
            )
        )
    _insert(rows, key="check_in_code")
    window_start = add_months(month_start(today), -6)
    parts: list[dict] = []
    for meeting in rows:
        if meeting.status != MeetingStatus.HELD or meeting.kind == MeetingKind.COMMITTEE:
            continue
        recent = meeting.starts_at.date() >= window_start
        for member_id in members_of.get(meeting.organization_id, ()):
            if member_id in absentees and recent:
                continue
            roll = rng.random()
            if roll < 0.82:
                parts.append(
                    {
                        "meeting_id": meeting.pk,
                        "member_id": member_id,
                        "status": ParticipationStatus.PRESENT,
                        "checked_in_at": meeting.starts_at,
                        "channel": rng.choice(CHANNELS),
                    }
                )
            elif roll < 0.9:
                parts.append(
                    {
                        "meeting_id": meeting.pk,
                        "member_id": member_id,
                        "status": ParticipationStatus.LEAVE,
                        "leave_reason": rng.choice(LEAVE_REASONS),
                    }
                )
    _insert(parts, model=Participation)
    # Last year's democratic evaluation, with the December meeting when it was held.
    last_year = months[-1].year - (1 if months[-1].month < 12 else 0)
    evaluation_meeting = {
        m.organization_id: m.pk
        for m in rows
        if m.kind == MeetingKind.EVALUATION and m.starts_at.year == last_year
    }
    evaluations = []
    rated: set[int] = set()
    for org, member_ids in sorted(members_of.items()):
        for member_id in member_ids:
            if member_id in rated:  # a member under two organizations is rated once
                continue
            rated.add(member_id)
            rating = rng.choices(
                (
                    Rating.EXCELLENT,
                    Rating.QUALIFIED,
                    Rating.BASICALLY_QUALIFIED,
                    Rating.UNQUALIFIED,
                ),
                weights=(28, 66, 5, 1),
            )[0]
            evaluations.append(
                Evaluation(
                    member_id=member_id,
                    organization_id=org,
                    year=last_year,
                    rating=rating,
                    meeting_id=evaluation_meeting.get(org),
                )
            )
    _insert(evaluations)


def _dues(rng, home_of, months, today) -> None:
    years = sorted({m.year for m in months} | {today.year})
    declarations = []
    standards: dict[tuple[int, int], Decimal] = {}
    for member_id in sorted(home_of):
        category = rng.choices(
            (DuesCategory.EMPLOYED, DuesCategory.RETIREE, DuesCategory.UNEMPLOYED),
            weights=(93, 4, 3),
        )[0]
        income = _income(rng)
        for year in years:
            standard = dues_standard(category=category, monthly_income=income)
            standards[(member_id, year)] = standard
            declarations.append(
                DuesDeclaration(
                    member_id=member_id,
                    year=year,
                    category=category,
                    monthly_income=income,
                    monthly_standard=standard,
                    declared_on=dt.date(year, 1, rng.randrange(5, 28)),
                )
            )
    _insert(declarations)
    payments: list[DuesPayment] = []
    covered: list[list[tuple[dt.date, Decimal]]] = []
    for member_id in sorted(home_of):
        profile = rng.random()
        if profile < 0.03:
            paid_months = months[:5]  # nothing for the last seven: flagged
        elif profile < 0.15:
            paid_months = months[: rng.randrange(7, 11)]  # arrears in the last months
        else:
            paid_months = months
        below = profile > 0.95
        batch = 3 if rng.random() < 0.3 else 1  # some pay by the quarter
        for start in range(0, len(paid_months), batch):
            chunk = paid_months[start : start + batch]
            shares = []
            for month in chunk:
                standard = standards[(member_id, month.year)]
                share = (standard * Decimal("0.5")).quantize(Decimal("0.01")) if below else standard
                shares.append((month, share))
            payments.append(
                DuesPayment(
                    member_id=member_id,
                    organization_id=home_of[member_id],
                    amount=sum((s for _m, s in shares), Decimal("0.00")),
                    channel=rng.choice(PAY_CHANNELS),
                    receipt_number=f"DF{chunk[0]:%Y%m}{member_id:06d}",
                    paid_on=min(add_months(chunk[-1], 1) - dt.timedelta(days=1), today),
                    below_standard=below,
                )
            )
            covered.append(shares)
    _insert(payments, key="receipt_number")
    rows = [
        {
            "payment_id": payment.pk,
            "member_id": payment.member_id,
            "organization_id": payment.organization_id,
            "month": month,
            "amount": share,
            "standard": standards[(payment.member_id, month.year)],
            "below_standard": share < standards[(payment.member_id, month.year)],
        }
        for payment, shares in zip(payments, covered, strict=True)
        for month, share in shares
    ]
    _insert(rows, model=DuesMonth)


def _handovers(branches, months) -> None:
    from django.db.models import Sum

    totals = {
        (org, month): amount
        for org, month, amount in DuesMonth.objects.values("organization_id", "month")
        .annotate(s=Sum("amount"))
        .values_list("organization_id", "month", "s")
    }
    rows = []
    for branch in branches:
        if branch.parent_id is None:
            continue
        for month in months[:-1]:  # last month's dues are handed up next month
            amount = totals.get((branch.pk, month))
            if amount:
                rows.append(
                    DuesHandover(
                        organization_id=branch.pk,
                        to_organization_id=branch.parent_id,
                        month=month,
                        amount=amount,
                        handed_on=add_months(month, 1) + dt.timedelta(days=9),
                    )
                )
    _insert(rows)


def _elections(rng, branches, today) -> None:
    from demo.training.common import person_name

    elections, changed = [], []
    for branch in branches:
        roll = rng.random()
        if roll < 0.85:
            held = today - dt.timedelta(days=rng.randrange(30, 3 * 365 - 30))
            committee = [person_name(rng) for _ in range(rng.choice((3, 5)))]
            term_end = add_years(held, 3) - dt.timedelta(days=1)
            elections.append(
                Election(
                    organization=branch,
                    held_on=held,
                    committee="\n".join(committee),
                    secretary_name=committee[0],
                    term_ends_on=term_end,
                )
            )
            branch.secretary_name, branch.term_ends_on = committee[0], term_end
        else:  # a term that ended months ago with no election recorded
            branch.term_ends_on = today - dt.timedelta(days=rng.randrange(20, 400))
        changed.append(branch)
    Election.objects.bulk_create(elections, batch_size=2000)
    PartyOrganization.objects.bulk_update(changed, ["secretary_name", "term_ends_on"], 2000)
