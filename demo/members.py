"""Demo people: platform rosters with party members hidden among the workers, the member roster,
a two-finds run, cases at every stage and a few members reporting in.

Everything goes through the same services the three intake doors use
(:func:`~members.services.intake.roster_upsert`, :func:`member_roster_upsert`), then the matching
job, the case flow and the claim service, so the demo shows what the portal itself produces.
The people come from :mod:`demo.synthetic` with the demo city's districts and a messier
corruption profile than the benchmark's, so that the review queue has work in it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from core.jobs import job_create
from demo.synthetic import Generator
from members.choices import (
    CaseStatus,
    ClaimChannel,
    PoliticalStatus,
    ProposalStatus,
    WorkerSourceKind,
)
from members.forms import REPORT_NOTICE_VERSION
from members.models import Case, MatchProposal, PartyMember, Worker
from members.names import name_pinyin
from members.services import cases as case_services
from members.services.claims import claim_submit
from members.services.intake import member_roster_upsert, roster_upsert
from members.services.review import proposal_reject
from members.services.two_finds import two_finds_run
from organizations.choices import (
    EnterpriseKind,
    EnterpriseStatus,
    OrganizationKind,
    OrganizationStatus,
    RegionLevel,
)
from organizations.models import Enterprise, Industry, PartyOrganization, Region

#: Workers and members per scale; about 1% of workers are hidden members (demo.synthetic).
SCALES = {"small": (3_000, 300), "city": (20_000, 1_200), "province": (60_000, 3_000)}
SURVEY_SOURCE = "survey-2026"
#: Rosters are messier than the benchmark's so that some pairs need a reviewer.
DEMO_CORRUPTION = {
    "id_missing": 0.2,
    "id_mistyped": 0.08,
    "name_homophone": 0.15,
    "phone_new": 0.3,
    "district_moved": 0.2,
}
INDUSTRY_ORDER = ("food_delivery", "express", "freight", "ride_hailing", "live_streaming")
HOME_ORGANIZATIONS = (
    "安徽省阜阳市颍州区西湖镇党委",
    "河南省周口市郸城县汲冢镇党委",
    "江苏省盐城市阜宁县益林镇党委",
    "山东省临沂市兰陵县向城镇党委",
    "四川省南充市营山县城南街道党工委",
    "湖北省黄冈市蕲春县漕河镇党委",
)
#: Where the followed-up cases stand (share of the auto-accepted ones), in flow order.
CASE_STAGES = (
    (CaseStatus.VERIFYING, 0.15),
    (CaseStatus.CONTACTED, 0.15),
    (CaseStatus.REPORTED, 0.1),
    (CaseStatus.ASSIGNED, 0.2),
    (CaseStatus.TRANSFERRED, 0.1),
    (CaseStatus.LOST_CONTACT, 0.03),
)
PATHS = {
    CaseStatus.VERIFYING: (CaseStatus.VERIFYING,),
    CaseStatus.CONTACTED: (CaseStatus.VERIFYING, CaseStatus.CONTACTED),
    CaseStatus.REPORTED: (CaseStatus.VERIFYING, CaseStatus.CONTACTED, CaseStatus.REPORTED),
    CaseStatus.ASSIGNED: (
        CaseStatus.VERIFYING,
        CaseStatus.CONTACTED,
        CaseStatus.REPORTED,
        CaseStatus.ASSIGNED,
    ),
    CaseStatus.TRANSFERRED: (
        CaseStatus.VERIFYING,
        CaseStatus.CONTACTED,
        CaseStatus.REPORTED,
        CaseStatus.ASSIGNED,
        CaseStatus.TRANSFERRED,
    ),
    CaseStatus.LOST_CONTACT: (CaseStatus.VERIFYING, CaseStatus.LOST_CONTACT),
}


@dataclass
class PeopleResult:
    workers: int
    members: int
    rejected_rows: int
    matching: dict[str, Any]
    cases: dict[str, int]
    claims: int


def _source_name(platform: Enterprise | None) -> str:
    """A roster's source name: the platform's name in pinyin (美团 → meituan)."""
    if platform is None:
        return SURVEY_SOURCE
    return name_pinyin(platform.name).replace(" ", "")[:40] or f"platform-{platform.pk}"


def seed_people(*, actor: Any, scale: str = "city", seed: int = 2026) -> PeopleResult:
    """Load the demo rosters and run the two finds; call inside ``seed_demo``'s transaction."""
    n_workers, n_members = SCALES[scale]
    rng = random.Random(seed)
    districts = list(
        Region.objects.filter(level=RegionLevel.DISTRICT, code__startswith="3204").order_by("code")
    )
    streets_of = defaultdict(list)
    for street in Region.objects.filter(level=RegionLevel.STREET).only("code", "path"):
        for district in districts:
            if street.path.startswith(district.path):
                streets_of[district.code].append(street.code)
    industries = {i.code: i for i in Industry.objects.filter(code__in=INDUSTRY_ORDER)}
    industry_codes = [c for c in INDUSTRY_ORDER if c in industries]
    units = defaultdict(list)  # (industry code, district code) → operating units
    for unit in (
        Enterprise.objects.filter(status=EnterpriseStatus.OPERATING)
        .exclude(kind=EnterpriseKind.PLATFORM_HQ)
        .select_related("industry", "region", "platform")
    ):
        for district in districts:
            if unit.region.path.startswith(district.path):
                units[(unit.industry.code, district.code)].append(unit)

    generator = Generator(
        seed, district_codes=[int(d.code) for d in districts], corruption=DEMO_CORRUPTION
    )
    province = generator.province(n_workers, n_members)
    rejected = _load_members(actor, province.members, rng)
    rejected += _load_workers(
        actor, province, rng, industry_codes=industry_codes, units=units, streets_of=streets_of
    )
    job = job_create(actor=actor, kind="two_finds", parameters={"demo": True})
    matching = two_finds_run(job=job)
    cases = _advance_cases(actor, rng)
    claims = _claims(rng)
    from .mobile import seed_mobile, seed_rule_cases

    seed_mobile(actor=actor)
    seed_rule_cases(actor=actor)
    return PeopleResult(
        workers=Worker.objects.count(),
        members=PartyMember.objects.count(),
        rejected_rows=rejected,
        matching=matching,
        cases=cases,
        claims=claims,
    )


#: Members whose relation a general branch (党总支, 50–100 members) holds in the demo.
GENERAL_BRANCH_MEMBERS = 52
#: Branches deliberately left with 2 full members (the tree flags "belongs in a joint branch").
SMALL_BRANCHES = 2


def deliberately_small(organizations: list[tuple[str, str]]) -> set[str]:
    """The branches the demo leaves with 2 full members: the first unit branches by code."""
    return set(sorted(c for c, k in organizations if k == OrganizationKind.BRANCH)[:SMALL_BRANCHES])


def allocate_members(
    full: list[int], probationary: list[int], organizations: list[tuple[str, str]]
) -> dict[int, str]:
    """Which organization holds each local member's relation (member index → code), so that
    the tree keeps the party's rules: each general branch 50–100 members, each branch and
    joint branch at least 3 full members and at most 50, except the first
    :data:`SMALL_BRANCHES` unit branches, deliberately left with 2. ``organizations`` are
    (code, kind) of the active ones, in code order. Deterministic; no randomness."""
    full, probationary = list(full), list(probationary)
    generals = [c for c, k in organizations if k == OrganizationKind.GENERAL_BRANCH]
    branches = [
        c for c, k in organizations if k in (OrganizationKind.BRANCH, OrganizationKind.JOINT_BRANCH)
    ]
    small = deliberately_small(organizations)
    held: dict[int, str] = {}
    size: dict[str, int] = defaultdict(int)

    def give(code: str, pool: list[int], n: int) -> None:
        for _ in range(min(n, len(pool))):
            held[pool.pop(0)] = code
            size[code] += 1

    for code in generals:
        give(code, probationary, 3)
        give(code, full, GENERAL_BRANCH_MEMBERS - size[code])
    for code in branches:
        give(code, full, 2 if code in small else 3)
    rest = full + probationary
    open_branches = [c for c in branches if c not in small]
    turn = 0
    while rest and open_branches:
        code = open_branches[turn % len(open_branches)]
        if size[code] < 50:
            give(code, rest, 1)
        turn += 1
        if turn > 60 * len(open_branches):
            break
    for i in rest:  # nowhere left under the rules: the largest general branch takes them
        if generals:
            held[i] = generals[0]
    return held


def _load_members(actor: Any, members, rng: random.Random) -> int:
    organizations = list(
        PartyOrganization.objects.filter(
            status=OrganizationStatus.ACTIVE,
            kind__in=(
                OrganizationKind.BRANCH,
                OrganizationKind.JOINT_BRANCH,
                OrganizationKind.GENERAL_BRANCH,
            ),
        )
        .order_by("code")
        .values_list("code", "kind")
    )
    ids, phones = members.id_numbers(), members.phones()
    people = []
    for _i in range(len(members)):
        mobile = rng.random() < 0.25
        probationary = rng.random() < 0.08
        joined = dt.date(2026, 6, 30) - dt.timedelta(
            days=rng.randint(30, 300 if probationary else 9000)
        )
        home = rng.choice(HOME_ORGANIZATIONS) if mobile else ""
        people.append((mobile, probationary, joined, home))
    held = allocate_members(
        [i for i, p in enumerate(people) if not p[0] and not p[1]],
        [i for i, p in enumerate(people) if not p[0] and p[1]],
        organizations,
    )
    rows = []
    for i, (mobile, probationary, joined, home) in enumerate(people):
        rows.append(
            {
                "member_id": f"CZ{i + 1:06d}",
                "name": members.name[i],
                "id_number": ids[i],
                "phone": phones[i],
                "status": "probationary" if probationary else "full",
                "organization_code": "" if mobile else held.get(i, ""),
                "home_organization": home
                if mobile
                else ("" if i in held else home or "外省党组织"),
                "joined_on": joined.isoformat(),
                "mobile": "true" if mobile else "false",
            }
        )
    return member_roster_upsert(actor=actor, rows=rows).rejected


def _load_workers(actor, province, rng, *, industry_codes, units, streets_of) -> int:
    workers = province.workers
    hidden = set(province.truth[:, 0].tolist())
    ids, phones = workers.id_numbers(), workers.phones()
    rosters: dict[str, list[dict[str, str]]] = defaultdict(list)
    for i in range(len(workers)):
        district = str(int(workers.district[i]))
        industry = industry_codes[(int(workers.industry[i]) - 1) % len(industry_codes)]
        choices = units.get((industry, district)) or [
            u for (code, _), group in units.items() if code == industry for u in group
        ]
        unit = rng.choice(choices) if choices else None
        street = unit.region.code if unit else rng.choice(streets_of.get(district) or [district])
        if i in hidden:  # most members say so on the roster; some don't
            status = PoliticalStatus.FULL if rng.random() < 0.6 else PoliticalStatus.MASSES
        else:
            draw = rng.random()
            status = (
                PoliticalStatus.LEAGUE
                if draw < 0.08
                else PoliticalStatus.ACTIVIST
                if draw < 0.09
                else PoliticalStatus.FULL  # claims membership no roster confirms: "to verify"
                if draw < 0.0925
                else PoliticalStatus.MASSES
            )
        platform = unit.platform if unit else None
        source = _source_name(platform)
        rosters[source].append(
            {
                "external_id": f"{source[:4].upper()}{i + 1:07d}",
                "name": workers.name[i],
                "id_number": ids[i],
                "phone": phones[i],
                "industry": industry,
                "enterprise_uscc": unit.uscc if unit else "",
                "region_code": street,
                "political_status": status,
                "work_lat": "",
                "work_lng": "",
            }
        )
    rejected = 0
    for source, rows in sorted(rosters.items()):
        kind = (
            WorkerSourceKind.SURVEY if source == SURVEY_SOURCE else WorkerSourceKind.PLATFORM_ROSTER
        )
        rejected += roster_upsert(actor=actor, source=source, rows=rows, source_kind=kind).rejected
    return rejected


def _advance_cases(actor: Any, rng: random.Random) -> dict[str, int]:
    """Move the matched cases along the flow, as branch secretaries would have done."""
    open_cases = list(
        Case.objects.filter(status=CaseStatus.DISCOVERED)
        .select_related("worker__enterprise__party_organization", "region", "industry", "member")
        .order_by("id")
    )
    placeable = list(
        PartyOrganization.objects.filter(
            kind__in=case_services.PLACEMENT_KINDS, status=OrganizationStatus.ACTIVE
        ).select_related("industry", "region")
    )
    rng.shuffle(open_cases)
    start = 0
    for target, share in CASE_STAGES:
        take = open_cases[start : start + round(share * len(open_cases))]
        start += len(take)
        for case in take:
            branch = _branch_for(case, placeable, rng)
            for status in PATHS[target]:
                case = case_services.case_transition(
                    actor=actor,
                    case=case,
                    to_status=status,
                    organization=branch if status == CaseStatus.ASSIGNED else None,
                    note=_note(status),
                )
    # One reviewed pair shows that "not a match" is remembered; the rest wait in the queue.
    lowest = MatchProposal.objects.filter(status=ProposalStatus.PROPOSED).order_by("score")
    for proposal in lowest[:1]:
        proposal_reject(actor=actor, proposal=proposal, note="电话核实，非同一人")
    counts = defaultdict(int)
    for status in Case.objects.values_list("status", flat=True):
        counts[status] += 1
    return dict(counts)


def _branch_for(case: Case, placeable: list[PartyOrganization], rng: random.Random):
    covering = (
        case.worker.enterprise.party_organization
        if case.worker and case.worker.enterprise
        else None
    )
    if (
        covering is not None
        and covering.kind in case_services.PLACEMENT_KINDS
        and covering.status == OrganizationStatus.ACTIVE  # a closed unit's branch is dissolved
    ):
        return covering
    same_industry = [o for o in placeable if o.industry_id and o.industry_id == case.industry_id]
    return rng.choice(same_industry or placeable)


def _note(status: str) -> str:
    return {
        CaseStatus.VERIFYING: "比对结果已下发行业党委核实",
        CaseStatus.CONTACTED: "电话联系本人，确认党员身份",
        CaseStatus.REPORTED: "本人已到站点报到",
        CaseStatus.ASSIGNED: "纳入就近党支部管理",
        CaseStatus.TRANSFERRED: "组织关系已转入",
        CaseStatus.LOST_CONTACT: "多次联系未果",
    }.get(status, "")


def _claims(rng: random.Random) -> int:
    """Members reporting in through the public form and a station QR code."""
    members = list(
        PartyMember.objects.filter(is_mobile=True)
        .filter(~Q(cases__isnull=False))
        .order_by("member_id")[:12]
    )
    industries = list(Industry.objects.filter(code__in=INDUSTRY_ORDER))
    for i, member in enumerate(members):
        claim_submit(
            notice_version=REPORT_NOTICE_VERSION,
            channel=ClaimChannel.PUBLIC_FORM if i % 3 else ClaimChannel.STATION_QR,
            data={
                "name": member.name,
                "id_number": member.id_number,
                "phone": member.phone,
                "home_organization_name": member.home_organization_name,
                "employer_name": "美团外卖骑手" if i % 2 else "顺丰速运快递员",
                "industry": rng.choice(industries).code,
                "work_place": "天宁区红梅街道",
            },
        )
    return len(members)
