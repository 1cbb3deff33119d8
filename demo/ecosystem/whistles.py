"""The demo's industry chains, policies and whistles (see ``demo.ecosystem``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from appeals import sla
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
from organizations import services as org_services
from organizations.choices import (
    OrganizationBasis,
    OrganizationKind,
)
from organizations.models import Department, PartyOrganization

from ..city import WORKING_COMMITTEE_CODE
from .common import _at, _insert, _split
from .jobfairs import EMPLOYER_WORDS

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
