"""Demo membership pipeline (issue 15): about 150 people across the five stages in the demo
city's branches, each with the dated steps of 《中国共产党发展党员工作细则》 that lead to their
stage, so that the board, the ledger and the overdue list show real figures.

- Some candidates come from the worker roster (workers who declare themselves activists); the
  rest are entered by name and ID number. The other declared activists stay as leads.
- Dates keep the rules (≥ 18 on application, ≥ 1 year as activist, probation one year from
  the vote, votes with quorum and majority, two full-member introducers from the branch).
- A few cases are overdue on purpose: applicants without a talk for over a month, admissions
  pending beyond three months, probations ending within 30 days.
- Probationary and full candidates get their ``PartyMember`` rows, as the approval does.

Deterministic for a seed and the day it runs; rows are bulk-inserted (seed data, not user
writes: no audit rows), like the other demo areas.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from core.dates import add_months
from core.identity import make_resident_id
from members.choices import MemberStatus, PoliticalStatus
from members.models import PartyMember, Worker
from organizations.choices import OrganizationKind, OrganizationStatus
from organizations.models import PartyOrganization
from recruitment import steps
from recruitment.choices import RecommendationMethod, Stage, StepCode
from recruitment.models import Candidate, Step

C = StepCode
#: Candidates per stage, per scale.
SCALES = {
    "small": {"applicant": 8, "activist": 10, "target": 8, "probationary": 8, "full": 6},
    "city": {"applicant": 30, "activist": 40, "target": 30, "probationary": 30, "full": 20},
    "province": {"applicant": 30, "activist": 40, "target": 30, "probationary": 30, "full": 20},
}
#: Days after the application on which each step is typically recorded (step number → days).
OFFSETS = {
    1: 0, 2: 20, 3: 90, 4: 100, 5: 105, 6: 270, 7: 460, 8: 470, 9: 480, 10: 495, 11: 510,
    12: 525, 13: 540, 14: 550, 15: 560, 16: 575, 17: 600, 18: 610, 19: 612, 20: 620,
    21: 800, 22: 915, 23: 930, 24: 950, 25: 965,
}  # fmt: skip
#: The last step a candidate of each stage may have reached.
LAST_STEPS = {
    "applicant": (1, 1, 2, 2, 2),
    "activist": (3, 4, 5, 6, 6, 6),
    "target": (7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
    "probationary": (17, 18, 19, 20, 21, 21, 22),
    "full": (24, 25, 25),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华鑫宇浩然子轩欣怡梓涵思远佳琪晨阳"
DEMO_REGION = "320411"  # 新北区: the demo's entered applicants are born there


@dataclass
class RecruitmentReport:
    candidates: int = 0
    from_roster: int = 0
    steps: int = 0
    members: int = 0
    leads: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)


def present() -> bool:
    return Candidate.objects.exists()


def seed_area(actor, scale: str, seed: int) -> str:
    """The demo area (``demo.seed.AREAS``): seed and summarize in one line."""
    r = seed_recruitment(actor=actor, scale=scale, seed=seed)
    stages = " · ".join(f"{stage} {n}" for stage, n in r.by_stage.items())
    return (
        f"candidates {r.candidates} ({stages}; from the roster {r.from_roster}), steps "
        f"{r.steps}, party members admitted {r.members}, roster leads left {r.leads}"
    )


def _branches() -> list[PartyOrganization]:
    """Active branches with at least three full members (introducers, contacts, a vote)."""
    kinds = (
        OrganizationKind.BRANCH,
        OrganizationKind.JOINT_BRANCH,
        OrganizationKind.GENERAL_BRANCH,
        OrganizationKind.MOBILE_BRANCH,
    )
    return list(
        PartyOrganization.objects.filter(kind__in=kinds, status=OrganizationStatus.ACTIVE)
        .annotate(full=Count("members", filter=Q(members__status=MemberStatus.FULL)))
        .filter(full__gte=3)
        .select_related("industry", "region")
        .order_by("code")
    )


def seed_recruitment(*, actor, scale: str = "city", seed: int = 0) -> RecruitmentReport:
    rng = random.Random(f"recruitment-{seed}")
    today = timezone.localdate()
    branches = _branches()
    if not branches:
        return RecruitmentReport()
    full_members: dict[int, list[tuple[int, str, str]]] = {}
    for pk, org, name, member_id in (
        PartyMember.objects.filter(organization__in=branches, status=MemberStatus.FULL)
        .order_by("member_id")
        .values_list("pk", "organization_id", "name", "member_id")
    ):
        full_members.setdefault(org, []).append((pk, name, member_id))
    by_org = {b.pk: b for b in branches}
    leads = list(
        Worker.objects.filter(political_status=PoliticalStatus.ACTIVIST, active=True)
        .exclude(enterprise__party_organization__isnull=True)
        .select_related("enterprise", "industry", "region")
        .order_by("pk")
    )
    # Half of the declared activists (whose unit has an organization) enter the pipeline.
    roster = [w for w in leads if w.enterprise.party_organization_id in by_org][::2]
    plan = [stage for stage, n in SCALES[scale].items() for _ in range(n)]
    rng.shuffle(plan)

    candidates: list[Candidate] = []
    timelines: list[tuple[int, dt.date]] = []
    used_workers: set[int] = set()
    forced: dict[str, int] = {}
    for i, stage in enumerate(plan):
        last = rng.choice(LAST_STEPS[stage])
        slack = _slack(rng, stage, last, i)
        if forced.get(stage, 0) < FORCED_OVERDUE:  # a few overdue cases at every scale
            forced[stage] = forced.get(stage, 0) + 1
            last, slack = _overdue_case(rng, stage, last, slack)
        applied = today - dt.timedelta(days=OFFSETS[last] + slack)
        worker = roster[i] if i < len(roster) and stage != "full" else None
        if worker is not None and worker.birth_date and _age(worker.birth_date, applied) >= 18:
            org = by_org[worker.enterprise.party_organization_id]
            used_workers.add(worker.pk)
            c = Candidate(
                worker=worker,
                name=worker.name,
                phone=worker.phone,
                organization=org,
                industry=worker.industry or org.industry,
                region=worker.region or org.region,
                applied_on=applied,
            )
            c.birth_date = worker.birth_date
        else:
            org = branches[rng.randrange(len(branches))]
            birth = applied - dt.timedelta(days=rng.randint(19 * 365, 42 * 365))
            c = Candidate(
                name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                id_number=make_resident_id(DEMO_REGION, birth, 700 + i),
                phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                organization=org,
                industry=org.industry,
                region=org.region,
                applied_on=applied,
            )
            c.derive_birth_date()
        c.stage = _stage_after(last)
        c.last_step = last
        candidates.append(c)
        timelines.append((last, applied))
    Candidate.objects.bulk_create(candidates, batch_size=500)

    step_rows: list[Step] = []
    members: list[tuple[Candidate, PartyMember]] = []
    for c, (last, applied) in zip(candidates, timelines, strict=True):
        pool = full_members[c.organization_id]
        on_of = {n: applied + dt.timedelta(days=OFFSETS[n]) for n in range(1, last + 1)}
        # The full vote keeps a year of probation after the admission vote.
        for n in range(23, last + 1):
            on_of[n] = max(
                on_of[n], add_months(on_of[15], steps.PROBATION_MONTHS) + dt.timedelta(n - 22)
            )
        for n in range(1, last + 1):
            spec = steps.BY_NUMBER[n]
            details = _details(rng, spec.code, pool)
            if spec.code == C.ADMISSION_APPROVAL:
                member = _member(c, on_of[15])
                members.append((c, member))
                details = {
                    "member_id": member.member_id,
                    "joined_on": on_of[15].isoformat(),
                    "probation_due": member.probation_due.isoformat(),
                }
            step_rows.append(
                Step(
                    candidate=c, number=n, code=spec.code, on=on_of[n], actor=actor, details=details
                )
            )
            if spec.repeatable and n < last and rng.random() < 0.6:  # a second assessment
                step_rows.append(
                    Step(
                        candidate=c,
                        number=n,
                        code=spec.code,
                        on=on_of[n] + dt.timedelta(90),
                        actor=actor,
                        details={},
                    )
                )
        c.last_step_on = max(on_of.values())
    for c, member in members:
        if c.last_step >= 24:
            member.status = MemberStatus.FULL
    PartyMember.objects.bulk_create([m for _, m in members], batch_size=500)
    for c, member in members:
        c.member = member
    Candidate.objects.bulk_update(candidates, ["member", "last_step_on"], batch_size=500)
    Step.objects.bulk_create(step_rows, batch_size=1000)
    counts = dict.fromkeys(steps.STAGES, 0)
    for c in candidates:
        counts[c.stage] += 1
    return RecruitmentReport(
        candidates=len(candidates),
        from_roster=len(used_workers),
        steps=len(step_rows),
        members=len(members),
        leads=len(leads) - len(used_workers),
        by_stage={str(k): v for k, v in counts.items()},
    )


def _slack(rng: random.Random, stage: str, last: int, i: int) -> int:
    """Days since the candidate's last step; a few are overdue on purpose."""
    if last == 1:
        return rng.choice((5, 12, 25, 40, 75))  # over 30: no talk within a month
    if last in (15, 16) and i % 3 == 0:
        return 100  # the admission pending with the higher committee beyond three months
    if stage == "probationary" and last >= 21 and i % 2 == 0:
        return _probation_ending(rng, last)
    return rng.randint(3, 60)


def _probation_ending(rng: random.Random, last: int) -> int:
    """The slack that puts the end of probation within 30 days (the vote 11–12 months ago),
    never less than a day: the last step (a 转正申请 comes ~355 days after the vote) is
    always dated on or before today."""
    return max(1, 365 - (OFFSETS[last] - OFFSETS[15]) - rng.randint(5, 25))


#: Overdue cases made on purpose per stage concerned (no talk, approval pending, probation).
FORCED_OVERDUE = 2


def _overdue_case(rng: random.Random, stage: str, last: int, slack: int) -> tuple[int, int]:
    if stage == "applicant":
        return 1, rng.randint(35, 80)  # no talk within a month
    if stage == "target":
        return 16, rng.randint(95, 130)  # the vote was over three months ago
    if stage == "probationary":
        last = 21  # the vote 11–12 months ago: probation ends within 30 days
        return last, _probation_ending(rng, last)
    return last, slack


def _stage_after(last: int) -> str:
    stage = Stage.APPLICANT
    for n in range(1, last + 1):
        stage = steps.BY_NUMBER[n].enters or stage
    return stage


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _details(rng: random.Random, code: str, pool: list[tuple[int, str, str]]) -> dict:
    people = [{"id": pk, "name": name, "member_id": mid} for pk, name, mid in pool]
    if code == C.RECOMMENDATION:
        return {"method": rng.choice(RecommendationMethod.values)}
    if code == C.CONTACTS:
        return {"contacts": rng.sample(people, rng.choice((1, 2)))}
    if code == C.INTRODUCERS:
        return {"introducers": rng.sample(people, 2)}
    if code == C.TRAINING:
        return {"hours": "24.0", "days": 3, "proven": False}
    if code in (C.ADMISSION_VOTE, C.FULL_VOTE):
        voting = len(pool)
        present = rng.randint(voting // 2 + 1, voting)
        in_favour = rng.randint(max(voting // 2 + 1, present - 2), present)
        return {"voting_members": voting, "present": present, "in_favour": in_favour}
    return {}


def _member(c: Candidate, resolution: dt.date) -> PartyMember:
    member = PartyMember(
        member_id=f"FZ{c.pk:08d}",
        name=c.name,
        id_number=c.id_number or (c.worker.id_number if c.worker_id else ""),
        phone=c.phone,
        organization=c.organization,
        status=MemberStatus.PROBATIONARY,
        joined_on=resolution,
        probation_due=add_months(resolution, steps.PROBATION_MONTHS),
        region=c.region,
        industry=c.industry,
    )
    member.derive_identity()
    return member
