"""Demo grid work (called by ``seed_demo`` after assistance): a year of 网格 tasks.

- A few thousand workers with a work location become grid volunteers (skills drawn from the
  catalogue, their work cell and its ring as the cells they cover), each with a points account.
- Tasks of every kind over the past year and the next days, near volunteers' work places, in
  every state: open, claimed, proof waiting (some flagged too far or late), verified (points
  earned), returned, expired, cancelled; each step an event.
- Rewards at red stations and redemptions of them; a few staff adjustments.
- A 守望相助 campaign opened ten days ago with a target of 5,000 volunteers.

Written with bulk inserts (the ledger's balances computed in order, so every entry's
``balance_after`` and the accounts agree and none is negative). Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grid import geo
from grid.choices import (
    ClaimStatus,
    EntryKind,
    EventKind,
    Skill,
    TaskKind,
    TaskStatus,
    VolunteerChannel,
    VolunteerStatus,
)
from grid.models import (
    Campaign,
    Claim,
    PointsAccount,
    PointsEntry,
    Redemption,
    RewardItem,
    Task,
    TaskEvent,
    Volunteer,
    VolunteerCell,
)
from grid.services.volunteers import sync_cells
from members.models import Worker
from organizations.models import Region
from stations.models import Station

SCALE_COUNTS = {"small": (600, 900), "city": (2000, 2500), "province": (5000, 5000)}
TITLES = {
    TaskKind.ANTI_FRAUD: ("反诈宣传进小区", "anti_fraud"),
    TaskKind.ELDERLY_CARE: ("为独居老人送餐送药", "elderly_care"),
    TaskKind.CHILDREN: ("探访留守儿童", "children"),
    TaskKind.FAMILY_AID: ("为困难家庭送物资", ""),
    TaskKind.PATROL: ("背街小巷安全巡查", "patrol"),
    TaskKind.EMERGENCY: ("寒潮应急送温暖", ""),
}
REWARDS = (
    ("矿泉水一箱", 20, 40),
    ("手机免费充电", 5, 200),
    ("理发一次", 50, 20),
    ("电动车检修", 80, 15),
)
RETURN_REASONS = ("照片看不清服务对象", "定位与任务地点不符", "未拍到宣传材料")
#: share of past tasks by final state
PAST_STATES = (
    (TaskStatus.DONE, 0.70),
    (TaskStatus.EXPIRED, 0.12),
    (TaskStatus.CANCELLED, 0.08),
    ("submitted", 0.06),
    ("returned", 0.04),
)


@dataclass
class GridResult:
    volunteers: int
    tasks: int
    by_status: dict[str, int]
    entries: int
    redemptions: int
    campaign_tasks: int


def seed_grid(*, actor: Any, scale: str = "city", seed: int = 20260701) -> GridResult:
    if Volunteer.objects.exists():
        return GridResult(0, 0, {}, 0, 0, 0)
    rng = random.Random(seed * 11 + 16)
    n_vol, n_tasks = SCALE_COUNTS.get(scale, SCALE_COUNTS["city"])
    now = timezone.now()
    workers = list(
        Worker.objects.filter(active=True, work_lat__isnull=False, region__isnull=False)
        .order_by("id")
        .values_list("id", "work_lat", "work_lng", "region_id", "enterprise__party_organization")
    )
    if not workers:
        return GridResult(0, 0, {}, 0, 0, 0)
    picked = sorted(rng.sample(workers, min(n_vol, len(workers))))
    skills = list(Skill.values)
    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                worker_id=wid,
                channel=rng.choice(VolunteerChannel.values),
                skills="," + ",".join(sorted(rng.sample(skills, rng.randint(1, 3)))) + ",",
                availability=rng.choice(("工作日晚上", "周末全天", "午高峰后", "随时")),
                home_cell=geo.cell_of(lat, lng),
                status=VolunteerStatus.ACTIVE if rng.random() > 0.05 else VolunteerStatus.PAUSED,
                registered_by=actor,
                joined_at=now - dt.timedelta(days=rng.randint(30, 400)),
            )
            for wid, lat, lng, _r, _o in picked
        ],
        batch_size=2000,
    )
    if volunteers[0].pk is None:
        volunteers = list(Volunteer.objects.order_by("id"))
    VolunteerCell.objects.bulk_create(
        [VolunteerCell(volunteer=v, cell=c) for v in volunteers for c in geo.disk(v.home_cell, 1)],
        batch_size=5000,
    )
    accounts = PointsAccount.objects.bulk_create(
        [PointsAccount(volunteer=v) for v in volunteers], batch_size=2000
    )
    if accounts[0].pk is None:
        accounts = list(PointsAccount.objects.order_by("volunteer_id"))
    account_of = {a.volunteer_id: a for a in accounts}
    place_of = {v.pk: p for v, p in zip(volunteers, picked, strict=True)}
    active = [v for v in volunteers if v.status == VolunteerStatus.ACTIVE]
    district = Region.objects.filter(level="city").order_by("id").first()

    campaign = Campaign.objects.create(
        name="守望相助·寒潮应急行动",
        description="寒潮来袭，动员骑手、快递员为独居老人、困难家庭送温暖。",
        region=district or Region.objects.order_by("path").first(),
        target_volunteers=5000,
        opened_at=now - dt.timedelta(days=10),
        opened_by=actor,
    )

    tasks: list[Task] = []
    plan: list[tuple[Task, str, list[int]]] = []  # task, final state, volunteer ids
    busy: set[int] = set()  # volunteers with a claim in hand (one each)
    kinds = list(TITLES)
    for i in range(n_tasks):
        in_campaign = i % 10 == 0
        anchor = rng.choice(active)
        lat0, lng0, region_id, org_id = place_of[anchor.pk][1:]
        lat = lat0 + rng.uniform(-0.004, 0.004)
        lng = lng0 + rng.uniform(-0.004, 0.004)
        kind = TaskKind.EMERGENCY if in_campaign else rng.choice(kinds)
        title, skill = TITLES[kind]
        future = rng.random() < 0.18 and not in_campaign
        if in_campaign:
            start = now - dt.timedelta(days=rng.uniform(0, 10))
        elif future:
            start = now + dt.timedelta(hours=rng.uniform(-2, 96))
        else:
            start = now - dt.timedelta(days=rng.uniform(1, 365))
        start = start.replace(minute=0, second=0, microsecond=0)
        slots = rng.choice((1, 1, 1, 2, 3))
        task = Task(
            campaign=campaign if in_campaign else None,
            kind=kind,
            title=title,
            description="",
            region_id=region_id,
            organization_id=org_id,
            published_by=actor,
            place=f"{title}·服务点{i + 1}",
            lat=lat,
            lng=lng,
            cell=geo.task_cell(lat, lng),
            starts_at=start,
            ends_at=start + dt.timedelta(hours=rng.choice((2, 4, 8))),
            slots=slots,
            points=rng.choice((5, 10, 10, 20, 30)),
            skill=skill if rng.random() < 0.5 else "",
            proof_code=kind == TaskKind.ELDERLY_CARE,
            beneficiary_code=f"{rng.randint(0, 9999):04d}" if kind == TaskKind.ELDERLY_CARE else "",
            created_at=start - dt.timedelta(days=1),
        )
        # the state and who holds the places
        near = [v.pk for v in rng.sample(active, min(8, len(active)))]
        if future or (in_campaign and task.ends_at > now):
            state = rng.choice(("open", "open", "claimed"))
        elif in_campaign:
            state = rng.choice((TaskStatus.DONE, TaskStatus.DONE, "submitted"))
        else:
            r, acc = rng.random(), 0.0
            state = PAST_STATES[-1][0]
            for name, share in PAST_STATES:
                acc += share
                if r < acc:
                    state = name
                    break
        if state in ("claimed", "submitted", "returned"):
            holders = [v for v in near if v not in busy][:slots]
            busy.update(holders)
        elif state in (TaskStatus.DONE,):
            holders = near[:slots]
        elif state == "open":
            holders = [v for v in near if v not in busy][: rng.randint(0, slots - 1)]
            busy.update(holders)
        else:
            holders = []
        if state in ("claimed", "submitted", "returned") and not holders:
            state = "open"
        task.filled = len(holders) if state not in (TaskStatus.EXPIRED, TaskStatus.CANCELLED) else 0
        task.status = {
            "open": TaskStatus.OPEN,
            "claimed": TaskStatus.CLAIMED if task.filled == slots else TaskStatus.OPEN,
            "submitted": TaskStatus.CLAIMED,
            "returned": TaskStatus.CLAIMED,
        }.get(state, state)
        if task.status == TaskStatus.OPEN and task.ends_at <= now:
            task.status = TaskStatus.EXPIRED
            state = TaskStatus.EXPIRED
            busy.difference_update(holders)
            holders = []
            task.filled = 0
        tasks.append(task)
        plan.append((task, state, holders))

    created = Task.objects.bulk_create(tasks, batch_size=2000)
    if created[0].pk is None:
        created = list(Task.objects.order_by("id"))
        plan = [(t, s, h) for t, (_old, s, h) in zip(created, plan, strict=True)]

    claims: list[Claim] = []
    for task, state, holders in plan:
        for vid in holders:
            claimed_at = task.starts_at - dt.timedelta(hours=rng.uniform(1, 20))
            c = Claim(task=task, volunteer_id=vid, claimed_at=min(claimed_at, now))
            if state in ("open", "claimed"):
                c.status = ClaimStatus.CLAIMED
            else:
                c.submitted_at = min(task.starts_at + dt.timedelta(hours=1), now)
                c.proof_at = c.submitted_at
                far = rng.random() < 0.1
                c.proof_lat = task.lat + (0.01 if far else rng.uniform(-0.001, 0.001))
                c.proof_lng = task.lng + rng.uniform(-0.001, 0.001)
                c.distance_m = round(geo.distance_m(c.proof_lat, c.proof_lng, task.lat, task.lng))
                c.flag_too_far = c.distance_m > 500
                c.flag_outside_window = rng.random() < 0.05
                if task.proof_code:
                    c.code_matches = rng.random() > 0.03
                if state == TaskStatus.DONE:
                    c.status = ClaimStatus.VERIFIED
                    c.decided_at = min(c.submitted_at + dt.timedelta(hours=6), now)
                    c.decided_by = actor
                    c.points_awarded = task.points
                elif state == "returned":
                    c.status = ClaimStatus.RETURNED
                    c.return_reason = rng.choice(RETURN_REASONS)
                    c.decided_at = c.submitted_at + dt.timedelta(hours=3)
                else:
                    c.status = ClaimStatus.SUBMITTED
            claims.append(c)
        if state in (TaskStatus.EXPIRED, TaskStatus.CANCELLED) and rng.random() < 0.5:
            vid = rng.choice(active).pk
            claims.append(
                Claim(
                    task=task,
                    volunteer_id=vid,
                    status=ClaimStatus.EXPIRED
                    if state == TaskStatus.EXPIRED
                    else ClaimStatus.CANCELLED,
                    invited_at=task.created_at,
                    decided_at=task.ends_at,
                )
            )
    # open invitations on open tasks
    for task, state, holders in plan:
        if state == "open" and task.ends_at > now and rng.random() < 0.3:
            for vid in [v.pk for v in rng.sample(active, 3)]:
                if vid not in holders:
                    claims.append(
                        Claim(
                            task=task,
                            volunteer_id=vid,
                            status=ClaimStatus.INVITED,
                            invited_at=now - dt.timedelta(hours=2),
                        )
                    )
                    holders = [*holders, vid]
    claims = Claim.objects.bulk_create(claims, batch_size=2000, ignore_conflicts=False)
    if claims and claims[0].pk is None:
        claims = list(Claim.objects.select_related("task").order_by("id"))

    # events: one per step
    events: list[TaskEvent] = []
    for task, state, _h in plan:
        events.append(
            TaskEvent(task=task, kind=EventKind.PUBLISHED, actor=actor, at=task.created_at)
        )
        if state == TaskStatus.CANCELLED:
            events.append(
                TaskEvent(
                    task=task,
                    kind=EventKind.CANCELLED,
                    actor=actor,
                    note="天气原因",
                    at=task.starts_at,
                )
            )
        elif state == TaskStatus.EXPIRED:
            events.append(TaskEvent(task=task, kind=EventKind.EXPIRED, at=task.ends_at))
    step = {
        ClaimStatus.CLAIMED: (EventKind.CLAIMED,),
        ClaimStatus.SUBMITTED: (EventKind.CLAIMED, EventKind.SUBMITTED),
        ClaimStatus.RETURNED: (EventKind.CLAIMED, EventKind.SUBMITTED, EventKind.RETURNED),
        ClaimStatus.VERIFIED: (EventKind.CLAIMED, EventKind.SUBMITTED, EventKind.VERIFIED),
        ClaimStatus.INVITED: (EventKind.INVITED,),
        ClaimStatus.EXPIRED: (EventKind.INVITED, EventKind.EXPIRED),
        ClaimStatus.CANCELLED: (EventKind.INVITED, EventKind.CANCELLED),
    }
    for c in claims:
        when = {
            EventKind.CLAIMED: c.claimed_at,
            EventKind.SUBMITTED: c.submitted_at,
            EventKind.VERIFIED: c.decided_at,
            EventKind.RETURNED: c.decided_at,
            EventKind.INVITED: c.invited_at,
            EventKind.EXPIRED: c.decided_at,
            EventKind.CANCELLED: c.decided_at,
        }
        for kind in step[c.status]:
            events.append(
                TaskEvent(
                    task_id=c.task_id,
                    claim=c,
                    kind=kind,
                    at=when[kind] or now,
                    note=c.return_reason if kind == EventKind.RETURNED else "",
                    actor=actor if kind in (EventKind.VERIFIED, EventKind.RETURNED) else None,
                )
            )
    TaskEvent.objects.bulk_create(events, batch_size=5000)

    # loads: claims in hand
    load = defaultdict(int)
    for c in claims:
        if c.status in (ClaimStatus.CLAIMED, ClaimStatus.SUBMITTED, ClaimStatus.RETURNED):
            load[c.volunteer_id] += 1
    for v in volunteers:
        v.load = load.get(v.pk, 0)
    Volunteer.objects.bulk_update([v for v in volunteers if v.load], ["load"], batch_size=2000)
    sync_cells([v.pk for v in volunteers])  # load and skills onto the cells (invitations)

    # the ledger: earned, then redemptions and adjustments, in time order
    stations = list(Station.objects.filter(status="active").order_by("id")[:30])
    items = RewardItem.objects.bulk_create(
        [
            RewardItem(station=s, name=name, cost=cost, stock=stock)
            for s in stations
            for name, cost, stock in REWARDS
        ]
    )
    if items and items[0].pk is None:
        items = list(RewardItem.objects.order_by("id"))
    moves: list[tuple[dt.datetime, int, str, int, Any]] = []
    for c in claims:
        if c.status == ClaimStatus.VERIFIED and c.points_awarded:
            moves.append((c.decided_at, c.volunteer_id, EntryKind.EARNED, c.points_awarded, c))
    moves.sort(key=lambda m: (m[0], m[1]))
    balance: dict[int, int] = defaultdict(int)
    earned: dict[int, int] = defaultdict(int)
    entries: list[PointsEntry] = []
    redemptions: list[tuple[Redemption, PointsEntry]] = []
    for at, vid, kind, points, claim in moves:
        balance[vid] += points
        earned[vid] += points
        entries.append(
            PointsEntry(
                account=account_of[vid],
                kind=kind,
                points=points,
                balance_after=balance[vid],
                claim=claim,
                at=at,
                actor=actor,
            )
        )
        if items and rng.random() < 0.12:
            item = rng.choice(items)
            if balance[vid] >= item.cost and item.stock > 0:
                item.stock -= 1
                balance[vid] -= item.cost
                when = at + dt.timedelta(days=rng.uniform(0.5, 5))
                r = Redemption(
                    account=account_of[vid],
                    item=item,
                    quantity=1,
                    points=item.cost,
                    actor=actor,
                    at=min(when, now),
                )
                e = PointsEntry(
                    account=account_of[vid],
                    kind=EntryKind.REDEEMED,
                    points=-item.cost,
                    balance_after=balance[vid],
                    reason=f"{item.name} × 1",
                    at=r.at,
                    actor=actor,
                )
                redemptions.append((r, e))
                entries.append(e)
    for vid in sorted(balance)[:: max(1, len(balance) // 20)]:
        balance[vid] += 10
        entries.append(
            PointsEntry(
                account=account_of[vid],
                kind=EntryKind.ADJUSTED,
                points=10,
                balance_after=balance[vid],
                reason="补录线下服务积分",
                at=now,
                actor=actor,
            )
        )
    Redemption.objects.bulk_create([r for r, _e in redemptions], batch_size=2000)
    for r, e in redemptions:
        e.redemption = r
    PointsEntry.objects.bulk_create(entries, batch_size=5000)
    RewardItem.objects.bulk_update(items, ["stock"], batch_size=500)
    for a in accounts:
        a.balance = balance.get(a.volunteer_id, 0)
        a.earned_total = earned.get(a.volunteer_id, 0)
    PointsAccount.objects.bulk_update(accounts, ["balance", "earned_total"], batch_size=2000)

    by_status: dict[str, int] = defaultdict(int)
    for t in created:
        by_status[t.status] += 1
    submitted = sum(1 for c in claims if c.status == ClaimStatus.SUBMITTED)
    by_status["proof waiting"] = submitted
    return GridResult(
        volunteers=len(volunteers),
        tasks=len(created),
        by_status=dict(by_status),
        entries=len(entries),
        redemptions=len(redemptions),
        campaign_tasks=sum(1 for t in created if t.campaign_id),
    )
