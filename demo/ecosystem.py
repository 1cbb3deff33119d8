"""Demo of the ecosystem chain (called by ``seed_demo`` after assistance), at the seed's scale:

- **job fairs**: 150 live-streamed fairs (直播带岗) hosted by the working committee and the
  industry committees, streamed from red live rooms where the training demo has them; 800
  employers; positions whose hires make exactly 35,000 positions matched (applications in the
  state HIRED), with the non-hired applications beside them;
- **whistles**: the industry-chain comprehensive committee (产业链综合党委) under the working
  committee with its five chain committees and chains, enterprises on each chain, 456 policies
  for enterprises, 2,400 problems solved (resolved or closed) whose outcomes add up to
  46,025,000,000 yuan of loans coordinated (460.25亿) and 1,300 talents introduced, and a few
  hundred whistles raised, routed (some past their report time) and reported; the overdue ones
  are escalated by the very scan the beat runs;
- **mass organizations**: 140 women's-federation organizations, unions and youth-league
  organizations on the demo's enterprises, industries and districts, 38 care classes, mediation
  projects with cases (some started from wage appeals), start-up credit referrals and home
  improvements.

Every figure the pages show is counted from these rows. Written with ``bulk_create``;
deterministic for a seed (dates relative to today, Asia/Shanghai).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections, models, router
from django.db.models import Q
from django.utils import timezone

from appeals import sla
from appeals.models import Appeal
from ecosystem.jobfairs.choices import (
    ApplicationChannel,
    ApplicationStatus,
    LivePlatform,
)
from ecosystem.jobfairs.models import (
    Employer,
    FairParticipation,
    JobApplication,
    JobFair,
    Position,
)
from ecosystem.massorgs.models import MassOrganization, MediationCase, ServiceProject
from ecosystem.whistles import services as whistle_services
from ecosystem.whistles import sla as whistle_sla
from ecosystem.whistles.choices import AssignmentStatus, WhistleCategory, WhistleStatus
from ecosystem.whistles.models import (
    ChainEnterprise,
    IndustryChain,
    Policy,
    Whistle,
    WhistleAssignment,
    WhistleEvent,
)
from members.models import Worker
from organizations import services as org_services
from organizations.choices import (
    EnterpriseStatus,
    OrganizationBasis,
    OrganizationKind,
    RegionLevel,
)
from organizations.models import Department, Enterprise, PartyOrganization, Region

from .city import DEFAULT_SEED, WORKING_COMMITTEE_CODE

CHAINS = (
    ("nev", "新能源汽车及汽车核心零部件", "新能源汽车"),
    ("pv-storage", "光伏与储能", "光伏储能"),
    ("smart-equipment", "智能制造装备", "智能装备"),
    ("carbon-materials", "新型碳材料", "碳材料"),
    ("bio-medicine", "生物医药及医疗器械", "生物医药"),
)
GENERAL_CODE = "chain-general"
DEPARTMENTS = (
    ("finance", "常州市地方金融监督管理局", "市金融监管局"),
    ("natural_resources", "常州市自然资源和规划局", "市自然资源规划局"),
    ("development_reform", "常州市发展和改革委员会", "市发改委"),
    ("industry_it", "常州市工业和信息化局", "市工信局"),
    ("commerce", "常州市商务局", "市商务局"),
    ("science_tech", "常州市科学技术局", "市科技局"),
)
ROUTES = {
    WhistleCategory.FINANCING: ("finance",),
    WhistleCategory.APPROVAL: ("development_reform", "market_regulation"),
    WhistleCategory.TALENT: ("hrss", "science_tech"),
    WhistleCategory.LAND: ("natural_resources",),
    WhistleCategory.ENERGY: ("development_reform",),
    WhistleCategory.LOGISTICS: ("transport",),
    WhistleCategory.MARKET: ("commerce",),
    WhistleCategory.OTHER: ("industry_it",),
}
PROBLEMS = {
    WhistleCategory.FINANCING: ("扩产设备贷款缺口", "流动资金周转困难", "技改项目融资"),
    WhistleCategory.APPROVAL: ("新建厂房环评审批", "项目能评备案", "产品注册证审批"),
    WhistleCategory.TALENT: ("高级工程师引进", "技能工人招聘难", "研发团队落户"),
    WhistleCategory.LAND: ("扩建用地指标", "工业用地规划调整", "标准厂房租赁"),
    WhistleCategory.ENERGY: ("用电增容", "天然气供应保障", "分布式光伏并网"),
    WhistleCategory.LOGISTICS: ("重卡通行证办理", "物流园区对接", "出口集装箱调度"),
    WhistleCategory.MARKET: ("本地配套采购对接", "展会出海渠道", "首台套推广应用"),
    WhistleCategory.OTHER: ("员工子女入学", "厂区周边道路改造", "员工公寓配套"),
}
LOANS_YUAN = Decimal("46025000000.00")  # 460.25亿
TALENTS = 1300
POLICIES = 456
#: The overdue assignments the seed escalates itself (history on the pages); the beat's
#: scan takes the rest within five minutes once a worker runs.
ESCALATE_AT_SEED = 80
#: scale → (fairs, employers, matched, solved, (raised, routed, reported), women's
#: federation organizations, care classes)
SIZES = {
    "city": (150, 800, 35_000, 2_400, (200, 300, 250), 140, 38),
    "province": (150, 800, 35_000, 2_400, (200, 300, 250), 140, 38),
    "small": (15, 80, 1_500, 120, (10, 24, 16), 14, 6),
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志宏海燕婷雪梅晨浩宇欣怡"
EMPLOYER_WORDS = (
    "天合",
    "星宇",
    "华阳",
    "恒立",
    "中简",
    "晶品",
    "新誉",
    "瑞声",
    "亚邦",
    "东风",
    "龙城",
    "金坛",
    "溧阳",
    "武进",
    "经开",
    "凯迪",
    "博瑞",
    "腾龙",
    "华威",
    "常发",
    "今创",
    "润和",
)
EMPLOYER_KINDS = (
    ("manufacturing", "精密制造有限公司"),
    ("manufacturing", "汽车零部件有限公司"),
    ("logistics", "供应链管理有限公司"),
    ("retail", "商贸有限公司"),
    ("hospitality", "餐饮管理有限公司"),
    ("it", "信息科技有限公司"),
    ("construction", "建设工程有限公司"),
    ("services", "家政服务有限公司"),
    ("healthcare", "康养服务有限公司"),
)
TITLES = {
    "manufacturing": ("普工", "操作工", "质检员", "设备维修工", "焊工"),
    "logistics": ("分拣员", "叉车司机", "仓管员", "配送员"),
    "retail": ("导购", "收银员", "店长助理"),
    "hospitality": ("服务员", "厨师", "前台"),
    "it": ("客服专员", "运维工程师", "数据标注员"),
    "construction": ("施工员", "电工", "安全员"),
    "services": ("家政服务员", "保洁员", "育婴师"),
    "healthcare": ("护理员", "康复助理", "药房助理"),
    "other": ("综合岗",),
}


@dataclass
class EcosystemResult:
    fairs: int
    employers: int
    positions: int
    openings: int
    applications: int
    matched: int
    chains: int
    chain_enterprises: int
    policies: int
    whistles: dict[str, int]
    solved: int
    overdue_escalated: int
    loans: Decimal
    talents: int
    mass_orgs: dict[str, int]
    care_classes: int
    mediation_cases: int


def _insert(model, objs: list, batch: int = 2000) -> None:
    """Insert ``objs`` (unsaved instances, no primary key needed back) with one
    ``executemany`` per batch: ``bulk_create`` prepares every field of every row through the
    ORM, which costs seconds on the tens of thousands of applications; here only dates and
    times are adapted for the database. Portable (SQLite and PostgreSQL)."""
    connection = connections[router.db_for_write(model)]
    ops = connection.ops
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapters = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            adapters.append(ops.adapt_datetimefield_value)
        elif isinstance(f, models.DateField):
            adapters.append(ops.adapt_datefield_value)
        elif isinstance(f, models.DecimalField):
            adapters.append(
                lambda v, f=f: ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places)
            )
        else:
            adapters.append(None)
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    names = [f.attname for f in fields]
    stamped = {
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    stamp = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            rows = []
            for obj in objs[start : start + batch]:
                values = []
                for name, adapt in zip(names, adapters, strict=True):
                    value = getattr(obj, name)
                    if value is None and name in stamped:
                        value = stamp
                    values.append(adapt(value) if adapt and value is not None else value)
                rows.append(values)
            cursor.executemany(sql, rows)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _split(rng: random.Random, total: int, n: int) -> list[int]:
    """``n`` positive-ish integers adding up to ``total`` exactly (weights drawn from rng)."""
    if n <= 0:
        return []
    weights = [rng.uniform(0.2, 3.0) for _ in range(n)]
    scale = total / sum(weights)
    parts = [int(w * scale) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


# --- organizations and departments ----------------------------------------------------------


def _chain_committees(actor: Any) -> tuple[PartyOrganization, list[PartyOrganization]]:
    wc = PartyOrganization.objects.get(code=WORKING_COMMITTEE_CODE)
    general = PartyOrganization.objects.filter(code=GENERAL_CODE).first()
    if general is None:
        general = org_services.organization_create(
            actor=actor,
            data={
                "code": GENERAL_CODE,
                "name": "常州市产业链综合党委",
                "short_name": "产业链综合党委",
                "kind": OrganizationKind.CHAIN_GENERAL_COMMITTEE,
                "basis": OrganizationBasis.INDUSTRY,
                "region": wc.region,
                "parent": wc,
                "secretary_name": "周建华",
            },
        )
    committees = []
    for code, name, short in CHAINS:
        org = PartyOrganization.objects.filter(code=f"chain-{code}").first()
        if org is None:
            org = org_services.organization_create(
                actor=actor,
                data={
                    "code": f"chain-{code}",
                    "name": f"{name}产业链党委",
                    "short_name": f"{short}产业链党委",
                    "kind": OrganizationKind.CHAIN_COMMITTEE,
                    "basis": OrganizationBasis.INDUSTRY,
                    "region": wc.region,
                    "parent": general,
                },
            )
        committees.append(org)
    return general, committees


def _departments(actor: Any) -> dict[str, Department]:
    have = {d.code: d for d in Department.objects.all()}
    for code, name, short in DEPARTMENTS:
        if code not in have:
            have[code] = org_services.department_create(
                actor=actor, data={"code": code, "name": name, "short_name": short}
            )
    return have


# --- whistles -----------------------------------------------------------------------------------


def _seed_whistles(actor, rng, sizes, now, districts) -> dict[str, Any]:
    _fairs, _employers, _matched, solved_n, open_sizes, _wf, _care = sizes
    _general, committees = _chain_committees(actor)
    departments = _departments(actor)
    chains = []
    for i, ((code, name, _short), committee) in enumerate(zip(CHAINS, committees, strict=True)):
        chain, _ = IndustryChain.objects.get_or_create(
            code=code, defaults={"name": name, "committee": committee, "sort_order": i}
        )
        chains.append(chain)
    enterprises = []
    for chain in chains:
        for j in range(40 if solved_n > 500 else 8):
            word = EMPLOYER_WORDS[(j * 7 + chain.sort_order) % len(EMPLOYER_WORDS)]
            enterprises.append(
                ChainEnterprise(
                    chain=chain,
                    name=f"{word}{chain.name[:4]}配套企业{j + 1:02d}号",
                    region=rng.choice(districts),
                    is_leader=j < 3,
                )
            )
    ChainEnterprise.objects.bulk_create(enterprises)
    enterprises = list(ChainEnterprise.objects.filter(chain__in=chains).order_by("pk"))
    by_chain: dict[int, list[ChainEnterprise]] = {}
    for e in enterprises:
        by_chain.setdefault(e.chain_id, []).append(e)
    policy_rows = []
    categories = list(WhistleCategory.values)
    for i in range(POLICIES if solved_n > 500 else 40):
        category = categories[i % len(categories)]
        issuer = departments.get(ROUTES[category][0])
        policy_rows.append(
            Policy(
                title=f"惠企政策第{i + 1:03d}号：{PROBLEMS[category][i % 3]}支持措施",
                category=category,
                department=issuer,
                issued_on=now.date() - dt.timedelta(days=rng.randint(30, 900)),
            )
        )
    Policy.objects.bulk_create(policy_rows)
    policies_by_cat: dict[str, list[int]] = {}
    for pk, category in Policy.objects.values_list("pk", "category"):
        policies_by_cat.setdefault(category, []).append(pk)

    # The whistles, their departments and their steps.
    raised_n, routed_n, reported_n = open_sizes
    plan = (
        [WhistleStatus.CLOSED] * (solved_n * 5 // 8)
        + [WhistleStatus.RESOLVED] * (solved_n - solved_n * 5 // 8)
        + [WhistleStatus.REPORTED] * reported_n
        + [WhistleStatus.ROUTED] * routed_n
        + [WhistleStatus.RAISED] * raised_n
    )
    weights = (5, 3, 2, 2, 2, 2, 3, 1)
    rows: list[tuple[Whistle, list[dict[str, Any]]]] = []
    with sla.preloaded():
        for status in plan:
            category = rng.choices(categories, weights=weights)[0]
            chain = rng.choice(chains)
            enterprise = rng.choice(by_chain[chain.pk])
            solved = status in (WhistleStatus.RESOLVED, WhistleStatus.CLOSED)
            back = rng.randint(20, 365) if solved else rng.randint(0, 20)
            raised_at = _at(now.date() - dt.timedelta(days=back), rng.randint(8, 16))
            raised_at = min(raised_at, now - dt.timedelta(hours=1))
            whistle = Whistle(
                chain=chain,
                enterprise=enterprise,
                raised_by=rng.choice(("enterprise", "enterprise", "party_organization")),
                category=category,
                title=rng.choice(PROBLEMS[category]),
                description=f"{enterprise.name}反映：{rng.choice(PROBLEMS[category])}，请相关部门协调。",
                raised_at=raised_at,
                status=status,
                submitted_by=actor,
            )
            steps = []
            if status != WhistleStatus.RAISED:
                codes = ROUTES[category]
                codes = codes if rng.random() < 0.3 else codes[:1]
                assigned_at = raised_at + dt.timedelta(hours=rng.randint(1, 20))
                assigned_at = min(assigned_at, now - dt.timedelta(minutes=30))
                for code in codes:
                    a = {"department": departments[code], "assigned_at": assigned_at}
                    a["due_at"] = whistle_sla.report_due(assigned_at)
                    a["status"] = AssignmentStatus.ASSIGNED
                    if status != WhistleStatus.ROUTED:
                        reported = assigned_at + dt.timedelta(hours=rng.randint(1, 10))
                        reported = min(reported, now - dt.timedelta(minutes=10))
                        a.update(
                            status=AssignmentStatus.REPORTED,
                            reported_at=reported,
                            due_at=whistle_sla.resolve_due(category, reported),
                            report_note="已报到，安排专人对接。",
                        )
                        if solved:
                            resolved = reported + dt.timedelta(days=rng.randint(2, 18))
                            resolved = min(resolved, now - dt.timedelta(minutes=5))
                            a.update(
                                status=AssignmentStatus.RESOLVED,
                                resolved_at=resolved,
                                due_at=None,
                                outcome="已协调解决，企业确认。",
                            )
                    steps.append(a)
            rows.append((whistle, steps))
    rows.sort(key=lambda r: r[0].raised_at)
    counters: dict[int, int] = {}
    for whistle, steps in rows:
        year = timezone.localtime(whistle.raised_at).year
        counters[year] = counters.get(year, 0) + 1
        whistle.reference = f"CS{year}{counters[year]:05d}"
        if whistle.status == WhistleStatus.CLOSED:
            last = max(s["resolved_at"] for s in steps)
            whistle.closed_at = min(last + dt.timedelta(days=rng.randint(1, 5)), now)
    Whistle.objects.bulk_create([w for w, _ in rows], batch_size=2000)
    assignments: list[WhistleAssignment] = []
    for whistle, steps in rows:
        for s in steps:
            assignments.append(WhistleAssignment(whistle=whistle, **s))
    # Outcome figures of the solved ones, adding up exactly.
    resolved = [a for a in assignments if a.status == AssignmentStatus.RESOLVED]
    financing = [a for a in resolved if a.whistle.category == WhistleCategory.FINANCING]
    talent = [a for a in resolved if a.whistle.category == WhistleCategory.TALENT]
    loans_total = LOANS_YUAN if solved_n > 500 else Decimal("460250000.00")
    talents_total = TALENTS if solved_n > 500 else 65
    for a, wan in zip(
        financing, _split(rng, int(loans_total / 10000), len(financing)), strict=True
    ):
        a.loan_amount = Decimal(wan) * 10000
    for a, n in zip(talent, _split(rng, talents_total, len(talent)), strict=True):
        a.talents_introduced = n
    for a in resolved:
        if a.whistle.category == WhistleCategory.APPROVAL:
            a.approval_obtained = True
    WhistleAssignment.objects.bulk_create(assignments, batch_size=2000)
    events = []
    for whistle, _steps in rows:
        events.append(WhistleEvent(whistle=whistle, kind="raise", at=whistle.raised_at))
    for a in assignments:
        w = a.whistle
        events.append(
            WhistleEvent(
                whistle=w,
                assignment=a,
                kind="route",
                at=a.assigned_at,
                note=f"转交{a.department}",
            )
        )
        if a.reported_at:
            events.append(WhistleEvent(whistle=w, assignment=a, kind="report", at=a.reported_at))
        if a.resolved_at:
            events.append(
                WhistleEvent(
                    whistle=w, assignment=a, kind="resolve", at=a.resolved_at, note=a.outcome
                )
            )
    for whistle, _steps in rows:
        if whistle.closed_at:
            events.append(WhistleEvent(whistle=whistle, kind="close", at=whistle.closed_at))
    _insert(WhistleEvent, events)
    Through = Whistle.policies.through
    links = []
    for whistle, _steps in rows:
        if whistle.status in (WhistleStatus.RESOLVED, WhistleStatus.CLOSED):
            pool = policies_by_cat.get(whistle.category, [])
            for pk in rng.sample(pool, min(len(pool), rng.randint(1, 2))):
                links.append(Through(whistle_id=whistle.pk, policy_id=pk))
    Through.objects.bulk_create(links, batch_size=5000)
    # The overdue ones escalate through the very scan the beat runs every five minutes.
    escalated = whistle_services.escalate_overdue_whistles(now=now, limit=ESCALATE_AT_SEED)
    return {
        "chains": len(chains),
        "chain_enterprises": len(enterprises),
        "policies": len(policy_rows),
        "whistles": {s: plan.count(s) for s in WhistleStatus.values},
        "solved": solved_n,
        "escalated": escalated,
        "loans": loans_total,
        "talents": talents_total,
    }


# --- job fairs ----------------------------------------------------------------------------------


def _seed_fairs(rng, sizes, now, districts, wc) -> dict[str, int]:
    fairs_n, employers_n, matched_n = sizes[0], sizes[1], sizes[2]
    today = now.date()
    hosts = [wc, *PartyOrganization.objects.filter(kind=OrganizationKind.INDUSTRY_COMMITTEE)]
    rooms = list(
        _red_live_rooms().values_list("pk", "platform__name")[:50]  # type: ignore[union-attr]
    )
    fairs = []
    for i in range(fairs_n):
        host = hosts[i % len(hosts)]
        held = today - dt.timedelta(days=int(730 * (fairs_n - i) / fairs_n) - rng.randint(0, 3))
        room = rooms[i % len(rooms)] if rooms and i % 3 == 0 else None
        viewers = rng.randint(8_000, 120_000)
        fairs.append(
            JobFair(
                title=f"“红色直播间”直播带岗第{i + 1}场",
                held_on=min(held, today),
                host_organization=host,
                region=rng.choice(districts),
                live_room_id=room[0] if room else None,
                platform=rng.choice(LivePlatform.values[:3]),
                account=f"czrcdg{i + 1:03d}",
                viewers=viewers,
                peak_viewers=viewers // rng.randint(5, 12),
            )
        )
    JobFair.objects.bulk_create(fairs)
    employers = []
    seen = set()
    while len(employers) < employers_n:
        industry, suffix = rng.choice(EMPLOYER_KINDS)
        name = f"常州{rng.choice(EMPLOYER_WORDS)}{rng.choice(EMPLOYER_WORDS)}{suffix}"
        region = rng.choice(districts)
        if (name, region.pk) in seen:
            continue
        seen.add((name, region.pk))
        employers.append(Employer(name=name, industry=industry, region=region))
    Employer.objects.bulk_create(employers)
    order = employers[:]
    rng.shuffle(order)
    pairs = set()
    for i, employer in enumerate(order):  # every employer takes part at least once
        pairs.add((fairs[i % len(fairs)].pk, employer.pk))
    for fair in fairs:
        for employer in rng.sample(employers, 3):
            pairs.add((fair.pk, employer.pk))
    FairParticipation.objects.bulk_create(
        [FairParticipation(fair_id=f, employer_id=e) for f, e in sorted(pairs)]
    )
    by_id = {e.pk: e for e in employers}
    fair_by_id = {f.pk: f for f in fairs}
    positions = []
    for fair_id, employer_id in sorted(pairs):
        employer = by_id[employer_id]
        for _ in range(rng.randint(1, 4)):
            low = rng.randrange(4000, 9000, 500)
            positions.append(
                Position(
                    fair_id=fair_id,
                    employer=employer,
                    title=rng.choice(TITLES[employer.industry]),
                    headcount=rng.randint(6, 30),
                    pay_min=Decimal(low),
                    pay_max=Decimal(low + rng.randrange(1000, 4000, 500)),
                    industry=employer.industry,
                    region=employer.region,
                    requirements="身体健康，能适应倒班。",
                    lat=round(31.78 + rng.uniform(-0.25, 0.25), 5),
                    lng=round(119.95 + rng.uniform(-0.3, 0.3), 5),
                    status="closed"
                    if fair_by_id[fair_id].held_on < today - dt.timedelta(90)
                    else "open",
                )
            )
    Position.objects.bulk_create(positions, batch_size=5000)
    openings = sum(p.headcount for p in positions)
    # Hires: exactly matched_n, never more than a position's openings.
    hires = [int(matched_n * p.headcount / openings) for p in positions]
    short = matched_n - sum(hires)
    i = 0
    while short > 0:
        if hires[i % len(hires)] < positions[i % len(positions)].headcount:
            hires[i % len(hires)] += 1
            short -= 1
        i += 1
    worker_ids = list(Worker.objects.order_by("pk").values_list("pk", "name")[:20_000])
    applications = []
    channels = (ApplicationChannel.PARTNER_APP, ApplicationChannel.STAFF)
    for position, hired in zip(positions, hires, strict=True):
        fair = fair_by_id[position.fair_id]
        others = rng.randint(0, max(position.headcount // 6, 1))
        statuses = [ApplicationStatus.HIRED] * hired + [
            rng.choice(
                (
                    ApplicationStatus.REJECTED,
                    ApplicationStatus.REJECTED,
                    ApplicationStatus.WITHDRAWN,
                    ApplicationStatus.APPLIED,
                    ApplicationStatus.INTERVIEWED,
                )
            )
            for _ in range(others)
        ]
        people = rng.sample(worker_ids, min(len(statuses) // 4, len(worker_ids)))
        for k, status in enumerate(statuses):
            applied = _at(fair.held_on, rng.randint(19, 21), rng.randint(0, 59))
            worker = people[k] if k < len(people) else None
            interviewed = hired_on = None
            if status in (
                ApplicationStatus.HIRED,
                ApplicationStatus.REJECTED,
                ApplicationStatus.INTERVIEWED,
            ):
                interviewed = min(fair.held_on + dt.timedelta(days=rng.randint(1, 7)), today)
            if status == ApplicationStatus.HIRED:
                hired_on = min(interviewed + dt.timedelta(days=rng.randint(1, 20)), today)
            applications.append(
                JobApplication(
                    position=position,
                    worker_id=worker[0] if worker else None,
                    applicant_name=worker[1] if worker else person_name(rng),
                    channel=channels[0] if worker else rng.choice(channels),
                    status=status,
                    applied_at=min(applied, now),
                    interviewed_on=interviewed,
                    hired_on=hired_on,
                )
            )
    _insert(JobApplication, applications)
    return {
        "fairs": len(fairs),
        "employers": len(employers),
        "positions": len(positions),
        "openings": openings,
        "applications": len(applications),
        "matched": sum(1 for a in applications if a.status == ApplicationStatus.HIRED),
    }


def _red_live_rooms():
    from training.choices import DesignationKind
    from training.models import PioneerDesignation

    return PioneerDesignation.objects.filter(kind=DesignationKind.RED_LIVE_ROOM).order_by("pk")


# --- mass organizations -------------------------------------------------------------------------


def _seed_massorgs(rng, sizes, now, districts, wc) -> dict[str, Any]:
    wf_n, care_n = sizes[5], sizes[6]
    enterprises = list(
        Enterprise.objects.filter(status=EnterpriseStatus.OPERATING)
        .select_related("party_organization", "industry", "region")
        .order_by("pk")
    )
    committees = {
        o.industry_id: o
        for o in PartyOrganization.objects.filter(kind=OrganizationKind.INDUSTRY_COMMITTEE)
    }
    counts = {"womens_federation": wf_n, "union": wf_n * 2, "youth_league": wf_n * 5 // 7}
    labels = {"womens_federation": "妇联", "union": "工会", "youth_league": "团支部"}
    orgs = []
    names = set()
    for kind, n in counts.items():
        picks = rng.sample(enterprises, min(n, len(enterprises)))
        for i in range(n):
            where = rng.random()
            if where < 0.7 and i < len(picks):
                e = picks[i]
                leader = e.party_organization or committees.get(e.industry_id) or wc
                data = {
                    "attachment": "enterprise",
                    "enterprise": e,
                    "region": e.region,
                    "leading_organization": leader,
                    "name": f"{e.name}{labels[kind]}",
                }
            elif where < 0.85 and committees:
                industry_id, committee = rng.choice(sorted(committees.items()))
                data = {
                    "attachment": "industry",
                    "industry_id": industry_id,
                    "region": committee.region or wc.region,
                    "leading_organization": committee,
                    "name": f"{committee.short_name or committee.name}新就业群体{labels[kind]}",
                }
            else:
                district = rng.choice(districts)
                data = {
                    "attachment": "region",
                    "region": district,
                    "leading_organization": wc,
                    "name": f"{district.name}新就业群体{labels[kind]}",
                }
            base, k = data["name"], 2
            while (kind, data["name"]) in names:
                data["name"] = f"{base}（{k}）"
                k += 1
            names.add((kind, data["name"]))
            orgs.append(
                MassOrganization(
                    kind=kind,
                    member_count=rng.randint(8, 160),
                    founded_on=now.date() - dt.timedelta(days=rng.randint(60, 2000)),
                    **data,
                )
            )
    MassOrganization.objects.bulk_create(orgs)
    wf = [o for o in orgs if o.kind == "womens_federation"]
    unions = [o for o in orgs if o.kind == "union"]
    year_start = dt.date(now.year, 1, 1)
    projects = []
    for i in range(care_n):
        org = wf[i % len(wf)] if i % 3 else unions[i % len(unions)]
        children = rng.randint(20, 60)
        start = dt.date(now.year if now.month > 7 else now.year - 1, 7, 1) + dt.timedelta(i % 10)
        projects.append(
            ServiceProject(
                organization=org,
                kind="care_class",
                name=f"{org.region.name}暑期爱心托管班{i + 1}",
                starts_on=start,
                ends_on=start + dt.timedelta(days=55),
                beneficiaries=children,
                children_enrolled=children,
                sessions=rng.randint(24, 48),
            )
        )
    mediation = []
    for i in range(max(care_n // 3, 2)):
        org = unions[i % len(unions)]
        mediation.append(
            ServiceProject(
                organization=org,
                kind="mediation",
                name=f"{org.name}劳资纠纷调解室",
                starts_on=year_start - dt.timedelta(days=365),
            )
        )
    for i in range(max(care_n * 3 // 4, 3)):
        org = wf[(i * 5) % len(wf)]
        people = rng.randint(2, 15)
        projects.append(
            ServiceProject(
                organization=org,
                kind="startup_credit",
                name=f"巾帼创业贷推荐{i + 1}批",
                starts_on=year_start + dt.timedelta(days=rng.randint(0, 300)),
                beneficiaries=people,
                amount=Decimal(people * rng.randrange(50_000, 300_000, 10_000)),
            )
        )
    for i in range(max(care_n // 2, 2)):
        org = wf[(i * 7) % len(wf)]
        projects.append(
            ServiceProject(
                organization=org,
                kind="home_improvement",
                name=f"美丽家园微改造{i + 1}",
                starts_on=year_start + dt.timedelta(days=rng.randint(0, 300)),
                beneficiaries=rng.randint(10, 80),
            )
        )
    ServiceProject.objects.bulk_create([*projects, *mediation])
    wage_appeals = list(
        Appeal.objects.filter(Q(category__code="wages"))
        .order_by("pk")
        .values_list("pk", flat=True)[:60]
    )
    cases = []
    for i in range(care_n * 7):
        project = mediation[i % len(mediation)]
        opened = now.date() - dt.timedelta(days=rng.randint(1, 330))
        status = rng.choices(("settled", "failed", "open"), weights=(7, 1, 2))[0]
        closed = (
            None if status == "open" else min(opened + dt.timedelta(rng.randint(3, 40)), now.date())
        )
        cases.append(
            MediationCase(
                project=project,
                appeal_id=wage_appeals[i] if i < len(wage_appeals) and i % 2 == 0 else None,
                opened_on=opened,
                closed_on=closed,
                workers_involved=rng.randint(1, 12),
                amount_recovered=Decimal(rng.randrange(2_000, 60_000, 100))
                if status == "settled"
                else Decimal("0.00"),
                status=status,
                summary="骑手与站点工资结算纠纷",
            )
        )
    MediationCase.objects.bulk_create(cases)
    return {
        "orgs": {k: sum(1 for o in orgs if o.kind == k) for k in counts},
        "care": care_n,
        "cases": len(cases),
    }


def seed_ecosystem(
    *, actor: Any, scale: str = "city", seed: int = DEFAULT_SEED, now: dt.datetime | None = None
) -> EcosystemResult:
    """Write the ecosystem demo (the caller skips it when job fairs exist)."""
    now = now or timezone.now()
    rng = random.Random(f"ecosystem-{seed}")
    sizes = SIZES.get(scale, SIZES["city"])
    wc = PartyOrganization.objects.get(code=WORKING_COMMITTEE_CODE)
    districts = list(Region.objects.filter(level=RegionLevel.DISTRICT).order_by("code")[:12])
    if not districts:
        districts = [wc.region]
    w = _seed_whistles(actor, rng, sizes, now, districts)
    f = _seed_fairs(rng, sizes, now, districts, wc)
    m = _seed_massorgs(rng, sizes, now, districts, wc)
    return EcosystemResult(
        fairs=f["fairs"],
        employers=f["employers"],
        positions=f["positions"],
        openings=f["openings"],
        applications=f["applications"],
        matched=f["matched"],
        chains=w["chains"],
        chain_enterprises=w["chain_enterprises"],
        policies=w["policies"],
        whistles=w["whistles"],
        solved=w["solved"],
        overdue_escalated=w["escalated"],
        loans=w["loans"],
        talents=w["talents"],
        mass_orgs=m["orgs"],
        care_classes=m["care"],
        mediation_cases=m["cases"],
    )
