"""The demo's live-streamed job fairs (see ``demo.ecosystem``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
from members.models import Worker
from organizations.choices import (
    OrganizationKind,
)
from organizations.models import PartyOrganization

from .common import _at, _insert, _name

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
                    applicant_name=worker[1] if worker else _name(rng),
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
