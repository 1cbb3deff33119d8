"""Demo appeals for the demo city: a few hundred appeals over the last five months, filed
through the real intake doors and moved through the real workflow services (backdated with
their ``now``), so every event, due time, escalation, inbox message and hot spot is what the
services would have produced.

Outcomes follow the age of an appeal: old ones are mostly archived after a satisfied visit,
some were reopened one level higher after an unsatisfied one, some were disputed and
re-dispatched, some extended; recent ones stand at every step, and a few have been left past
their due time so that the board shows overdue appeals and the escalation scan has work (the
older ones already escalated). A burst of account-ban appeals against one platform raises a
hot-spot alert, and one worker's repeated appeals are offered as duplicates (one of them
merged). Deterministic for a seed, relative to the time of the run.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from appeals import services, sla
from appeals.catalogue import load_all
from appeals.choices import Channel, Status, Urgency
from appeals.models import Appeal, Category, HotSpotAlert, PolicyMeasure
from members.models import Worker
from organizations.choices import EnterpriseKind, OrganizationKind, OrganizationStatus
from organizations.models import Enterprise, Industry, PartyOrganization

DAYS = 150
SCALE_COUNTS = {"small": 120, "city": 260, "province": 300}

#: category code → (weight, [description templates]); {p} platform, {s} place.
DESCRIPTIONS: dict[str, tuple[float, list[str]]] = {
    "wages": (
        0.22,
        [
            "{p}本月配送费结算少了约{n}元，站长说是系统扣款，申诉三次无人回复。",
            "在{s}跑单被{p}以“差评”为由扣款{n}元，顾客已撤销差评仍未退还。",
            "{p}站点拖欠上月工资{n}元，站长失联，十几名骑手都没拿到钱。",
            "超时罚款标准不透明，{p}一天扣了{n}元，恳请核查扣款规则。",
        ],
    ),
    "account_ban": (
        0.14,
        [
            "{p}账号突然被封，提示“异常接单”，申诉后无人处理，已三天无法工作。",
            "因一次配送事故{p}永久封号，希望给予复核和解释的机会。",
            "直播间被{p}限流封禁七天，未说明违规内容，影响全家收入。",
        ],
    ),
    "order_cancel": (
        0.1,
        [
            "{p}系统派单距离过远，超时被判全责，申诉通道只有机器人回复。",
            "顾客恶意取消订单，{p}判骑手责任并扣分，希望平台公正判责。",
            "{p}频繁派“顺路单”导致连环超时，请求优化派单规则。",
        ],
    ),
    "social_insurance": (
        0.1,
        [
            "送餐途中摔伤住院，{p}职业伤害保障理赔迟迟不到账。",
            "想以灵活就业身份缴纳社保，不清楚在{s}怎么办理，希望有人指导。",
            "工伤认定需要劳动关系证明，{p}站点不肯出具，求助。",
        ],
    ),
    "traffic_safety": (
        0.1,
        [
            "{s}路口没有非机动车道，骑手经常与货车抢道，建议增设标线和信号灯。",
            "电动车在{s}被交警扣押，需要证明材料，不知如何取回。",
            "送餐时与私家车刮擦，对方不认账，希望调解。",
        ],
    ),
    "accommodation": (
        0.09,
        [
            "{s}附近没有可以休息和热饭的地方，希望增设驿站。",
            "小区不让外卖电动车进入，也没有临时停车点，送餐非常困难。",
            "换电柜经常故障，{s}一带充电排队一小时以上。",
        ],
    ),
    "family_children": (
        0.07,
        [
            "孩子随迁来常州读书，积分不够进不了{s}附近的学校，求政策咨询。",
            "暑假孩子无人照看，希望驿站或社区能提供托管服务。",
        ],
    ),
    "health": (
        0.06,
        [
            "连续高温跑单出现中暑症状，{s}驿站药箱缺藿香正气水。",
            "长期腰椎不好，想了解新就业群体免费体检的报名方式。",
            "工作压力大失眠严重，希望有心理疏导的渠道。",
        ],
    ),
    "rental_scam": (
        0.07,
        [
            "在{s}租电动车押金{n}元，退租时车行拒不退还押金。",
            "通过中介租的房子被二房东收走押金后失联，多名骑手受骗。",
            "收到冒充{p}客服的电话，被骗走{n}元“保证金”。",
        ],
    ),
    "other": (
        0.05,
        [
            "建议{p}开通骑手意见反馈的人工通道。",
            "希望多组织一些面向骑手的技能培训和学历提升活动。",
        ],
    ),
}
CHANNELS = (
    (Channel.STATION, 0.3),
    (Channel.MEMBER_RELAY, 0.15),
    (Channel.HOTLINE, 0.25),
    (Channel.APP, 0.15),
    (Channel.WEB, 0.1),
    (Channel.IN_PERSON, 0.05),
)
URGENCIES = ((Urgency.NORMAL, 0.82), (Urgency.URGENT, 0.14), (Urgency.EMERGENCY, 0.04))
REPLIES = (
    "已联系站点核实，扣款已全额退还，并督促平台完善申诉流程。",
    "经协调平台复核，账号已解封，并说明了判责依据。",
    "已协调交通部门在该路段增设非机动车道标线。",
    "已帮助办理相关手续，材料已提交，后续由专人跟进。",
    "已转交行业主管部门处理，平台承诺一周内整改。",
    "驿站已补充药品和防暑物资，并公布了联系电话。",
)
DISPUTES = ("该诉求涉及其他平台，不属本支部联系范围。", "诉求发生地不在本支部服务片区。")
EXTENSIONS = ("需平台总部核实数据，申请延期。", "涉及多个部门协调，申请延期答复。")


@dataclass
class AppealsResult:
    appeals: int = 0
    by_status: Counter = field(default_factory=Counter)
    overdue: int = 0
    #: The moment ``overdue`` was counted at (the seeding's "now"; later, more may be due).
    counted_at: dt.datetime | None = None
    escalated: int = 0
    hotspots: int = 0
    merged: int = 0


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


@dataclass
class _Context:
    rng: random.Random
    actor: Any
    now: dt.datetime
    categories: dict[str, Category]
    measures: list[PolicyMeasure]
    industries: list[Industry]
    secretaries: dict[int, Any]  # industry id → secretary user
    workers: dict[int, list[Worker]]
    outlets: dict[int, list[Enterprise]]
    branches: dict[int, list[PartyOrganization]]
    committees: dict[int, PartyOrganization]


def _context(rng: random.Random, actor) -> _Context:
    industries = list(Industry.objects.order_by("sort_order", "code"))
    active = PartyOrganization.objects.filter(status=OrganizationStatus.ACTIVE)
    committees = {
        o.industry_id: o
        for o in active.filter(kind=OrganizationKind.INDUSTRY_COMMITTEE).order_by("-depth", "pk")
    }
    users = get_user_model().objects
    secretaries = {}
    for industry in industries:
        user = users.filter(username=f"sec_{industry.code}").first()
        if user is not None and industry.pk in committees:
            secretaries[industry.pk] = user
    workers: dict[int, list[Worker]] = {}
    for industry in industries:
        workers[industry.pk] = list(
            Worker.objects.filter(active=True, industry=industry, region__isnull=False)
            .select_related("enterprise", "enterprise__platform", "region")
            .order_by("pk")[:600]
        )
    outlets: dict[int, list[Enterprise]] = {}
    for enterprise in (
        Enterprise.objects.filter(platform__isnull=False)
        .exclude(kind=EnterpriseKind.PLATFORM_HQ)
        .select_related("region", "platform", "party_organization")
        .order_by("pk")
    ):
        outlets.setdefault(enterprise.industry_id, []).append(enterprise)
    branches: dict[int, list[PartyOrganization]] = {}
    for org in active.exclude(
        kind__in=[OrganizationKind.WORKING_COMMITTEE, OrganizationKind.INDUSTRY_COMMITTEE]
    ).order_by("pk"):
        if org.industry_id:
            branches.setdefault(org.industry_id, []).append(org)
    return _Context(
        rng=rng,
        actor=actor,
        now=timezone.now(),
        categories={c.code: c for c in Category.objects.all()},
        measures=list(PolicyMeasure.objects.all()),
        industries=[i for i in industries if i.pk in committees],
        secretaries=secretaries,
        workers=workers,
        outlets=outlets,
        branches=branches,
        committees=committees,
    )


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"


def _file(
    ctx: _Context,
    at: dt.datetime,
    *,
    category: str | None = None,
    industry=None,
    outlet=None,
    worker=None,
    phone: str | None = None,
) -> Appeal:
    rng = ctx.rng
    code = category or _weighted(rng, [(k, v[0]) for k, v in DESCRIPTIONS.items()])
    industry = industry or rng.choice(ctx.industries)
    if worker is None and phone is None and ctx.workers.get(industry.pk) and rng.random() < 0.55:
        worker = rng.choice(ctx.workers[industry.pk])
    if outlet is None:
        if worker is not None and worker.enterprise_id and worker.enterprise.platform_id:
            outlet = worker.enterprise
        elif ctx.outlets.get(industry.pk) and rng.random() < 0.85:
            outlet = rng.choice(ctx.outlets[industry.pk])
    region = (outlet.region if outlet else None) or (worker.region if worker else None)
    platform = outlet.platform.name if outlet and outlet.platform_id else "平台"
    place = region.name if region else "市区"
    text = rng.choice(DESCRIPTIONS[code][1]).format(
        p=platform, s=place, n=rng.choice((80, 120, 200, 350, 600, 1200))
    )
    channel = _weighted(rng, CHANNELS)
    data = {
        "category": ctx.categories[code],
        "urgency": _weighted(rng, URGENCIES),
        "description": text,
        "industry": industry,
        "region": region,
        "enterprise": outlet,
        "location": f"{place}{rng.choice(('路口', '商圈', '站点附近', '小区门口', ''))}",
        "policy_measure": rng.choice(ctx.measures) if rng.random() < 0.3 else None,
    }
    if worker is not None:
        data["submitter"] = worker
    else:
        data["contact_name"] = rng.choice("张王李赵刘陈杨黄周吴") + "师傅"
        data["contact_phone"] = phone or _phone(rng)
        data["anonymous"] = rng.random() < 0.15
    reference = services.new_reference(at, rng)
    return services.appeal_create(
        actor=ctx.actor, data=data, channel=channel, now=at, reference=reference
    )


def _later(ctx: _Context, at: dt.datetime, low_h: float, high_h: float) -> dt.datetime | None:
    moment = at + dt.timedelta(hours=ctx.rng.uniform(low_h, high_h))
    return moment if moment < ctx.now else None


def _handler(ctx: _Context, appeal: Appeal) -> PartyOrganization:
    """The branch covering the enterprise concerned, else one of the industry's branches,
    else the industry committee."""
    outlet_org = appeal.enterprise.party_organization if appeal.enterprise_id else None
    if (
        outlet_org is not None
        and outlet_org.kind
        not in (
            OrganizationKind.WORKING_COMMITTEE,
            OrganizationKind.INDUSTRY_COMMITTEE,
        )
        and outlet_org.status == OrganizationStatus.ACTIVE
    ):
        return outlet_org
    branches = ctx.branches.get(appeal.industry_id) or []
    if branches and ctx.rng.random() < 0.8:
        return ctx.rng.choice(branches)
    return ctx.committees[appeal.industry_id]


def _who(ctx: _Context, appeal: Appeal):
    """The industry secretary while the appeal sits in their committee's subtree, else the
    organization department."""
    secretary = ctx.secretaries.get(appeal.industry_id)
    committee = ctx.committees.get(appeal.industry_id)
    org = appeal.assigned_organization
    if secretary and committee and org is not None and org.path.startswith(committee.path):
        return secretary
    return ctx.actor


def _advance(ctx: _Context, appeal: Appeal, *, stop: str | None = None, late: bool = False):
    """Move ``appeal`` through the workflow from its receipt as far as time (and ``stop``)
    allows. ``late``: handle it slowly enough that steps go overdue and escalate."""
    rng, staff = ctx.rng, ctx.actor
    at = appeal.received_at

    def step(low, high):
        nonlocal at
        nxt = _later(ctx, at, low, high)
        if nxt is None:
            return False
        at = nxt
        return True

    if stop == "received" or not step(0.3, 5 if not late else 30):
        return appeal
    if late:
        services.escalate_overdue(now=at)
        appeal.refresh_from_db()
        if appeal.status != Status.RECEIVED:
            at = max(at, appeal.updated_at)
    if appeal.status == Status.RECEIVED:
        appeal = services.appeal_dispatch(
            actor=staff, appeal=appeal, organization=_handler(ctx, appeal), now=at
        )
    if rng.random() < 0.08 and appeal.level == "party_branch":
        if not step(1, 6):
            return appeal
        appeal = services.appeal_dispute(
            actor=_who(ctx, appeal), appeal=appeal, reason=rng.choice(DISPUTES), now=at
        )
        if not step(0.5, 4):
            return appeal
        # Re-dispatched to the organization above the one that disputed it.
        above = services.organization_above(appeal.assigned_organization, appeal.level)
        appeal = services.appeal_dispatch(
            actor=staff,
            appeal=appeal,
            organization=above or ctx.committees[appeal.industry_id],
            now=at,
        )
    if stop == "dispatched" or not step(0.5, 6 if not late else 40):
        return appeal
    if late:
        services.escalate_overdue(now=at)
        appeal.refresh_from_db()
    appeal = services.appeal_sign(actor=_who(ctx, appeal), appeal=appeal, now=at)
    if stop == "signed" or not step(2, 24):
        return appeal
    appeal = services.appeal_start(actor=_who(ctx, appeal), appeal=appeal, now=at)
    if rng.random() < 0.12:
        if not step(12, 48):
            return appeal
        appeal = services.appeal_extend(
            actor=_who(ctx, appeal), appeal=appeal, reason=rng.choice(EXTENSIONS), now=at
        )
    if stop == "in_progress" or not step(12, 96):
        return appeal
    appeal = services.appeal_reply(
        actor=_who(ctx, appeal), appeal=appeal, reply=rng.choice(REPLIES), now=at
    )
    if stop == "replied" or not step(2, 30):
        return appeal
    appeal = services.appeal_close(actor=staff, appeal=appeal, now=at)
    if stop == "closed" or not step(24, 96):
        return appeal
    score = rng.choices((5, 4, 3, 2, 1), weights=(55, 27, 9, 6, 3), k=1)[0]
    appeal = services.appeal_visit(actor=staff, appeal=appeal, score=score, now=at)
    if appeal.status == Status.DISPATCHED:  # reopened one level higher: handle it again
        if not step(1, 12):
            return appeal
        appeal = services.appeal_sign(actor=staff, appeal=appeal, now=at)
        if not step(24, 96):
            return appeal
        appeal = services.appeal_reply(
            actor=staff, appeal=appeal, reply=rng.choice(REPLIES), now=at
        )
        if not step(2, 24):
            return appeal
        appeal = services.appeal_close(actor=staff, appeal=appeal, now=at)
        if not step(24, 72):
            return appeal
        score = rng.choice((4, 5, 5))
        appeal = services.appeal_visit(actor=staff, appeal=appeal, score=score, now=at)
    return appeal


def seed_appeals(*, actor, scale: str = "city", seed: int = 2026) -> AppealsResult:
    """Create the demo appeals (nothing if appeals exist already)."""
    result = AppealsResult()
    if Appeal.objects.exists():
        result.appeals = Appeal.objects.count()
        return result
    load_all()
    rng = random.Random(seed * 31 + 7)
    with transaction.atomic(), sla.preloaded():
        ctx = _context(rng, actor)
        if not ctx.industries:
            return result
        total = SCALE_COUNTS.get(scale, SCALE_COUNTS["city"])
        # More recent than old (the volume grew as the channel became known).
        moments = sorted(
            ctx.now - dt.timedelta(seconds=3600 + (DAYS * 86400 - 7200) * rng.random() ** 1.5)
            for _ in range(total)
        )
        for at in moments:
            age_days = (ctx.now - at).total_seconds() / 86400
            stop = None
            late = rng.random() < (0.08 if age_days > 7 else 0.25)
            if age_days < 10:
                stop = rng.choice(
                    ("received", "dispatched", "signed", "in_progress", "replied", "closed", None)
                )
            appeal = _file(ctx, at)
            if late and age_days < 12 and rng.random() < 0.5:
                stop = "received"  # left overdue: the beat scan will escalate it
            _advance(ctx, appeal, stop=stop, late=late)
        _hot_spot(ctx)
        result.merged = _duplicates(ctx)
        # Bring older overdue appeals up to date, leaving those of the last two days overdue
        # for the beat scan (they are the board's red rows).
        result.escalated = services.escalate_overdue(now=ctx.now - dt.timedelta(days=2))
    result.appeals = Appeal.objects.count()
    result.by_status = Counter(
        dict(Appeal.objects.values_list("status").annotate(n=Count("pk")).order_by())
    )
    result.overdue = services_overdue(ctx.now)
    result.counted_at = ctx.now
    result.hotspots = HotSpotAlert.objects.filter(resolved=False).count()
    return result


def services_overdue(now: dt.datetime) -> int:
    from appeals.choices import DUE_STATUSES

    return Appeal.objects.filter(status__in=DUE_STATUSES, due_at__lte=now).count()


def _hot_spot(ctx: _Context) -> None:
    """A burst of account bans against one platform in the last five days."""
    industry = ctx.industries[0]
    outlets = ctx.outlets.get(industry.pk) or []
    if not outlets:
        return
    platform_id = outlets[0].platform_id
    same = [o for o in outlets if o.platform_id == platform_id]
    for n in range(7):
        at = ctx.now - dt.timedelta(days=5) + dt.timedelta(hours=n * 15 + ctx.rng.uniform(0, 6))
        appeal = _file(
            ctx, at, category="account_ban", industry=industry, outlet=ctx.rng.choice(same)
        )
        _advance(ctx, appeal, stop=ctx.rng.choice(("received", "dispatched", "signed")))


def _duplicates(ctx: _Context) -> int:
    """One worker appeals three times about the same deduction: the second is merged into the
    first, the third stays offered as a likely duplicate on its page."""
    industry = ctx.industries[0]
    workers = ctx.workers.get(industry.pk) or []
    who = {"worker": workers[0]} if workers else {"phone": "13861200000"}
    first_at = ctx.now - dt.timedelta(days=9)
    outlet = (ctx.outlets.get(industry.pk) or [None])[0]
    appeals = [
        _file(
            ctx,
            first_at + dt.timedelta(days=d),
            category="wages",
            industry=industry,
            outlet=outlet,
            **who,
        )
        for d in (0, 2, 4)
    ]
    _advance(ctx, appeals[0], stop="in_progress")
    services.appeal_merge(
        actor=ctx.actor, appeal=appeals[1], into=appeals[0], now=first_at + dt.timedelta(days=3)
    )
    return 1
