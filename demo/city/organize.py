"""The party organizations of a generated city: standalone, joint, regional and industry
organizations for its enterprises, instructors and their grades (a mixin of the generator)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from typing import Any

from organizations.choices import (
    EnterpriseKind,
    EnterpriseStatus,
    OrganizationBasis,
    OrganizationKind,
    OrganizationStatus,
)

from .reference import (
    CITY_CODE,
    CLOSED_SHARE,
    COVERAGE_TARGETS,
    EVALUATION_YEAR,
    EXTRA_SENDING_DEPARTMENTS,
    GRADE_WEIGHTS,
    INDUSTRIES,
    INDUSTRY_BY_CODE,
    WORKING_COMMITTEE_CODE,
    cn_number,
)
from .specs import (
    AssignmentSpec,
    EnterpriseSpec,
    EvaluationSpec,
    InstructorSpec,
    OrganizationSpec,
)

#: Organizations of units made general branches (the largest platforms); the rest are branches.
GENERAL_BRANCHES = 2


class OrganizeMixin:
    def organize(self, city: dict[str, Any], streets: list[dict], ents: list[EnterpriseSpec]):
        """Decide each unit's coverage category and create the organizations that give it."""
        rng = self.rng
        cfg = self.config
        ccode = city["city"]["code"]
        cname = city["city"]["name"]
        prefix = "" if ccode == CITY_CODE else f"c{ccode[:4]}-"
        street_by_code = {s["code"]: s for s in streets}
        community_street = {c["code"]: s["code"] for s in streets for c in s["communities"]}
        region_names = {r.code: r.name for r in self.plan.regions}
        orgs = self.plan.organizations

        def street_of(e: EnterpriseSpec) -> str | None:
            if e.region in street_by_code:
                return e.region
            return community_street.get(e.region)

        def founded(start=dt.date(2019, 1, 1), end=dt.date(2026, 5, 31)) -> dt.date:
            return self.date_between(start, end)

        def add_org(**kw) -> OrganizationSpec:
            years = (
                5
                if kw["kind"]
                in (
                    OrganizationKind.WORKING_COMMITTEE,
                    OrganizationKind.INDUSTRY_COMMITTEE,
                    OrganizationKind.PRIMARY_COMMITTEE,
                )
                else 3
            )
            day = kw.pop("founded_on", None) or founded()
            spec = OrganizationSpec(
                secretary_name=self.person_name(),
                founded_on=day,
                term_ends_on=self.term_end(day, years),
                **kw,
            )
            orgs.append(spec)
            return spec

        wc_code = WORKING_COMMITTEE_CODE if not prefix else f"{prefix}lxgw"
        add_org(
            code=wc_code,
            name=f"{cname}两新工委",
            kind=OrganizationKind.WORKING_COMMITTEE,
            basis=OrganizationBasis.REGIONAL,
            parent=None,
            industry=None,
            region=ccode,
            founded_on=founded(dt.date(2018, 3, 1), dt.date(2018, 12, 31)),
            depth=0,
        )
        committees: dict[str, OrganizationSpec] = {}
        functional: dict[str, OrganizationSpec] = {}
        regional: dict[tuple[str, str], OrganizationSpec] = {}
        for ind in INDUSTRIES:
            ic = add_org(
                code=f"{prefix}ic-{ind.code.replace('_', '-')}",
                name=f"{cname}{ind.name}行业党委",
                kind=OrganizationKind.INDUSTRY_COMMITTEE,
                basis=OrganizationBasis.INDUSTRY,
                parent=wc_code,
                industry=ind.code,
                region=ccode,
                founded_on=founded(dt.date(2019, 6, 1), dt.date(2021, 6, 30)),
                depth=1,
            )
            committees[ind.code] = ic
            code = f"{prefix}{ind.abbr}"
            add_org(
                code=f"{code}-mb",
                name=f"{cname}{ind.name}行业流动党员党支部",
                kind=OrganizationKind.MOBILE_BRANCH,
                basis=OrganizationBasis.INDUSTRY,
                parent=ic.code,
                industry=ind.code,
                region=ccode,
                depth=2,
            )
            functional[ind.code] = add_org(
                code=f"{code}-fn-01",
                name=f"{cname}{ind.name}行业党建联盟功能型党组织",
                kind=OrganizationKind.FUNCTIONAL,
                basis=OrganizationBasis.INDUSTRY,
                parent=ic.code,
                industry=ind.code,
                region=ccode,
                depth=2,
            )
            candidates = sorted(
                {
                    street_of(e)
                    for e in ents
                    if e.industry == ind.code
                    and e.kind != EnterpriseKind.PLATFORM_HQ
                    and street_of(e)
                }
            )
            for n, street in enumerate(
                rng.sample(candidates, min(cfg.regional_streets, len(candidates))), 1
            ):
                s = street_by_code[street]
                regional[(ind.code, street)] = add_org(
                    code=f"{code}-rb-{n:02d}",
                    name=f"{s['district']['name']}{s['name']}{ind.name}行业区域性党支部",
                    kind=OrganizationKind.BRANCH,
                    basis=OrganizationBasis.REGIONAL,
                    parent=ic.code,
                    industry=ind.code,
                    region=street,
                    depth=2,
                )
            if rng.random() < 0.5 and city["districts"]:
                d = rng.choice(city["districts"])
                add_org(
                    code=f"{code}-fn-02",
                    name=f"{d['name']}{ind.name}“红色驿站”功能型党支部",
                    kind=OrganizationKind.FUNCTIONAL,
                    basis=OrganizationBasis.REGIONAL,
                    parent=ic.code,
                    industry=ind.code,
                    region=d["code"],
                    depth=2,
                )

        # Categories by quota: the big units have their own organizations; small outlets share
        # joint branches; a few streets have regional branches; the rest is work or nothing.
        total = len(ents)
        cat: dict[int, str] = {}
        for i, e in enumerate(ents):
            if e.kind == EnterpriseKind.PLATFORM_HQ:
                cat[i] = "standalone"
            elif e.kind == EnterpriseKind.REGIONAL_OPERATOR:
                cat[i] = "standalone" if rng.random() < 0.75 else "work_only"
        fixed = Counter(cat.values())
        quota = {
            c: max(0, round(share * total) - fixed[c]) for c, share in COVERAGE_TARGETS.items()
        }
        remaining = [i for i in range(total) if i not in cat]
        rng.shuffle(remaining)
        noise = {i: rng.uniform(0.4, 1.6) for i in remaining}

        def take(category: str, n: int, pred=lambda i: True, key=None) -> None:
            nonlocal remaining
            chosen = [i for i in remaining if pred(i)]
            if key is not None:
                chosen.sort(key=key)
            chosen = chosen[:n]
            taken = set(chosen)
            for i in chosen:
                cat[i] = category
            remaining = [i for i in remaining if i not in taken]

        def in_regional(i: int) -> bool:
            return (ents[i].industry, street_of(ents[i])) in regional

        n_regional = min(quota["regional"], sum(1 for i in remaining if in_regional(i)))
        take("regional", n_regional, in_regional)
        quota["industry"] += quota["regional"] - n_regional
        take("joint", quota["joint"], key=lambda i: ents[i].worker_count * noise[i])
        take("standalone", quota["standalone"], key=lambda i: -ents[i].worker_count * noise[i])
        take(
            "industry",
            quota["industry"],
            key=lambda i: (ents[i].kind == EnterpriseKind.OUTLET, noise[i]),
        )
        take("work_only", quota["work_only"])
        for i in remaining:
            cat[i] = "none"

        # Joint branches: 2–5 units of one industry in one district, neighbours first.
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i in sorted(
            (i for i, c in cat.items() if c == "joint"), key=lambda i: (ents[i].region, i)
        ):
            groups[(ents[i].industry, ents[i].district)].append(i)
        joint_names: Counter = Counter()
        joint_seq: Counter = Counter()
        for (industry, district), members in groups.items():
            chunks: list[list[int]] = []
            rest = members
            while rest:
                size = rng.randint(2, 5)
                chunks.append(rest[:size])
                rest = rest[size:]
            if len(chunks[-1]) == 1:
                single = chunks.pop()
                roomy = [c for c in chunks if len(c) < 5]
                if roomy:
                    roomy[-1].extend(single)
                else:
                    cat[single[0]] = "work_only"
            for chunk in chunks:
                chunk_streets = {street_of(ents[i]) for i in chunk}
                region = chunk_streets.pop() if len(chunk_streets) == 1 else district
                if region is None:
                    region = district
                label = region_names[region]
                if region != district:
                    label = region_names[district] + label
                joint_names[(label, industry)] += 1
                nth = joint_names[(label, industry)]
                ind = INDUSTRY_BY_CODE[industry]
                joint_seq[industry] += 1
                org = add_org(
                    code=f"{prefix}{ind.abbr}-jb-{joint_seq[industry]:04d}",
                    name=f"{label}{ind.name}行业"
                    + (f"第{cn_number(nth)}" if nth > 1 else "")
                    + "联合党支部",
                    kind=OrganizationKind.JOINT_BRANCH,
                    basis=OrganizationBasis.JOINT,
                    parent=committees[industry].code,
                    industry=industry,
                    region=region,
                    depth=2,
                )
                for i in chunk:
                    ents[i].organization = org.code

        # Closed units (~3% of the outlets, fleets and MCNs).
        pool = [
            i
            for i in range(total)
            if ents[i].kind not in (EnterpriseKind.PLATFORM_HQ, EnterpriseKind.REGIONAL_OPERATOR)
        ]
        closed = set(rng.sample(pool, min(len(pool), round(CLOSED_SHARE * total))))

        # A general branch (党总支) is for 50–100 members: only the largest platforms' own
        # organizations, so that the member roster can fill them (demo.members).
        own = [e for i, e in enumerate(ents) if cat[i] == "standalone" and i not in closed]
        general = {
            e.uscc
            for e in sorted(
                own,
                key=lambda e: (e.kind != EnterpriseKind.PLATFORM_HQ, -e.worker_count, e.uscc),
            )[: GENERAL_BRANCHES if len(own) >= 100 else 1]
        }
        standalone_seq: Counter = Counter()
        for i, e in enumerate(ents):
            c = cat[i]
            e.category = c
            if i in closed:
                e.status = EnterpriseStatus.CLOSED
            ind = INDUSTRY_BY_CODE[e.industry]
            if c == "standalone":
                standalone_seq[e.industry] += 1
                big = e.uscc in general
                add_org(
                    code=f"{prefix}{ind.abbr}-br-{standalone_seq[e.industry]:04d}",
                    name=(f"{e.name}常州" if e.kind == EnterpriseKind.PLATFORM_HQ else e.name)
                    + ("党总支" if big else "党支部"),
                    kind=OrganizationKind.GENERAL_BRANCH if big else OrganizationKind.BRANCH,
                    basis=OrganizationBasis.UNIT,
                    parent=committees[e.industry].code,
                    industry=e.industry,
                    region=e.region,
                    host=e.uscc,
                    depth=2,
                    # A closed unit's own branch was dissolved with it.
                    status=OrganizationStatus.DISSOLVED
                    if i in closed
                    else OrganizationStatus.ACTIVE,
                )
            elif c == "regional":
                e.organization = regional[(e.industry, street_of(e))].code
            elif c == "industry":
                target = committees[e.industry] if rng.random() < 0.6 else functional[e.industry]
                e.organization = target.code
            if c in ("standalone", "joint", "regional", "industry"):
                e.has_liaison = rng.random() < 0.2
                e.has_union_or_league = rng.random() < 0.3
            elif c == "work_only":
                if e.kind == EnterpriseKind.REGIONAL_OPERATOR:
                    via = "instructor"
                else:
                    via = rng.choices(("instructor", "liaison", "union"), (55, 25, 20))[0]
                e.category = f"work_only:{via}"
                e.has_liaison = via == "liaison"
                e.has_union_or_league = via == "union" or (via == "liaison" and rng.random() < 0.3)

    # instructors

    def instructors_and_grades(self) -> None:
        rng = self.rng
        plan = self.plan
        committees = {
            (o.region, o.industry): o
            for o in plan.organizations
            if o.kind == OrganizationKind.INDUSTRY_COMMITTEE
        }
        needs: dict[tuple[str, str], list[tuple[EnterpriseSpec, str]]] = defaultdict(list)
        for e in plan.enterprises:
            key = (e.city, e.industry)
            if e.category == "work_only:instructor":
                needs[key].append((e, "open"))
                if rng.random() < 0.1:
                    needs[key].append((e, "open"))
            elif e.category in ("standalone", "joint", "regional", "industry"):
                if rng.random() < 0.12:
                    needs[key].append((e, "open"))
            elif e.category == "none" and rng.random() < 0.08:
                needs[key].append((e, "ended"))
        for (city, industry), committee in committees.items():
            work = needs.get((city, industry), [])
            department = INDUSTRY_BY_CODE[industry].department
            pool = []
            for n in range(max(2, math.ceil(len(work) / 3))):
                sender = department
                if rng.random() < 0.3:
                    sender = rng.choice(EXTRA_SENDING_DEPARTMENTS)
                spec = InstructorSpec(
                    key=f"{committee.code}-i{n + 1:03d}",
                    name=self.person_name(),
                    department=sender,
                    organization=committee.code,
                )
                plan.instructors.append(spec)
                pool.append(spec)
            open_pairs: set[tuple[str, str]] = set()
            for e, how in work:
                instructor = rng.choice(pool)
                if how == "open":
                    if (instructor.key, e.uscc) in open_pairs:
                        continue
                    open_pairs.add((instructor.key, e.uscc))
                    plan.assignments.append(
                        AssignmentSpec(
                            instructor.key,
                            e.uscc,
                            self.date_between(dt.date(2022, 1, 1), dt.date(2026, 6, 15)),
                        )
                    )
                else:
                    start = self.date_between(dt.date(2021, 1, 1), dt.date(2024, 6, 30))
                    end = start + dt.timedelta(days=rng.randint(120, 700))
                    plan.assignments.append(AssignmentSpec(instructor.key, e.uscc, start, end))
            for spec in pool:
                grade = rng.choices([g for g, _ in GRADE_WEIGHTS], [w for _, w in GRADE_WEIGHTS])
                plan.evaluations.append(EvaluationSpec(spec.key, EVALUATION_YEAR, grade[0]))
