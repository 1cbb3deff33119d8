"""Writing a plan: through the services for the city (validated, scoped, audited), or in bulk
for the province followed by one coverage recomputation; and the backdating of enterprises
for the trend chart."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, LPad

from organizations import services
from organizations.choices import (
    EnterpriseKind,
    OrganizationBasis,
    OrganizationStatus,
)
from organizations.models import (
    Department,
    Enterprise,
    Industry,
    Instructor,
    InstructorAssignment,
    InstructorEvaluation,
    PartyOrganization,
    Region,
)

from .specs import (
    DemoPlan,
    EnterpriseSpec,
    OrganizationSpec,
    RegionSpec,
)

# --- loading ----------------------------------------------------------------------------------


def _region_data(spec: RegionSpec, regions: dict[str, Region]) -> dict[str, Any]:
    return {
        "code": spec.code,
        "name": spec.name,
        "short_name": spec.short_name,
        "level": spec.level,
        "parent": regions[spec.parent] if spec.parent else None,
        "managed_by": regions[spec.managed_by] if spec.managed_by else None,
    }


def _organization_data(spec: OrganizationSpec, ref: dict[str, dict]) -> dict[str, Any]:
    return {
        "code": spec.code,
        "name": spec.name,
        "kind": spec.kind,
        "basis": spec.basis,
        "parent": ref["orgs"][spec.parent] if spec.parent else None,
        "industry": ref["industries"][spec.industry] if spec.industry else None,
        "region": ref["regions"][spec.region] if spec.region else None,
        "host_enterprise": ref["enterprises"][spec.host] if spec.host else None,
        "secretary_name": spec.secretary_name,
        "founded_on": spec.founded_on,
        "term_ends_on": spec.term_ends_on,
    }


#: Surnames and titles of the demo's unit contacts (derived from the unit's code, so that the
#: plan's random stream, and so the rest of the demo, stays as it was).
CONTACT_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
CONTACT_TITLES = ("站长", "经理", "负责人", "主管", "行政专员")


def contact_of(spec: EnterpriseSpec) -> tuple[str, str]:
    """A unit's contact person and office phone (常州 area code 0519), from its USCC."""
    rng = random.Random(spec.uscc)
    name = rng.choice(CONTACT_SURNAMES) + rng.choice(CONTACT_TITLES)
    return name, f"0519-8{rng.randint(0, 9_999_999):07d}"


def _enterprise_data(spec: EnterpriseSpec, ref: dict[str, dict]) -> dict[str, Any]:
    contact_name, contact_phone = contact_of(spec)
    return {
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "uscc": spec.uscc,
        "name": spec.name,
        "kind": spec.kind,
        "platform": ref["enterprises"][spec.platform] if spec.platform else None,
        "industry": ref["industries"][spec.industry],
        "region": ref["regions"][spec.region],
        "address": spec.address,
        "worker_count": spec.worker_count,
        "party_organization": ref["orgs"][spec.organization] if spec.organization else None,
        "has_liaison": spec.has_liaison,
        "has_union_or_league": spec.has_union_or_league,
        "status": spec.status,
    }


def _reference_rows(plan: DemoPlan, actor) -> dict[str, dict]:
    """Regions, departments and industries through the services (they are few); rows that
    already exist (e.g. regions loaded from the data file) are reused."""
    regions = {r.code: r for r in Region.objects.all()}
    for spec in plan.regions:
        if spec.code not in regions:
            regions[spec.code] = services.region_create(
                actor=actor, data=_region_data(spec, regions)
            )
    departments = {d.code: d for d in Department.objects.all()}
    for spec in plan.departments:
        if spec.code not in departments:
            departments[spec.code] = services.department_create(
                actor=actor,
                data={"code": spec.code, "name": spec.name, "short_name": spec.short_name},
            )
    industries = {i.code: i for i in Industry.objects.all()}
    for spec in plan.industries:
        if spec.code not in industries:
            industries[spec.code] = services.industry_create(
                actor=actor,
                data={
                    "code": spec.code,
                    "name": spec.name,
                    "department": departments[spec.department],
                    "sort_order": spec.sort_order,
                },
            )
    return {
        "regions": regions,
        "departments": departments,
        "industries": industries,
        "orgs": {},
        "enterprises": {},
        "instructors": {},
    }


def _load_with_services(plan: DemoPlan, actor) -> None:
    """Every row through its service: validated, scope-checked, audited, coverage derived."""
    ref = _reference_rows(plan, actor)
    orgs, ents, instructors = ref["orgs"], ref["enterprises"], ref["instructors"]
    for spec in plan.organizations:
        if not spec.host:
            orgs[spec.code] = services.organization_create(
                actor=actor, data=_organization_data(spec, ref)
            )
    # Headquarters first: the other units point to them as their platform brand.
    for spec in sorted(plan.enterprises, key=lambda e: e.kind != EnterpriseKind.PLATFORM_HQ):
        ents[spec.uscc] = services.enterprise_create(actor=actor, data=_enterprise_data(spec, ref))
    for spec in plan.organizations:
        if spec.host:
            # Creating a unit's own organization links its host and derives its coverage.
            org = services.organization_create(actor=actor, data=_organization_data(spec, ref))
            orgs[spec.code] = org
            if spec.status == OrganizationStatus.DISSOLVED:
                services.organization_dissolve(actor=actor, organization=org)
    for spec in plan.instructors:
        instructors[spec.key] = services.instructor_create(
            actor=actor,
            data={
                "name": spec.name,
                "department": ref["departments"][spec.department],
                "organization": orgs[spec.organization],
            },
        )
    for spec in plan.assignments:
        services.assignment_create(
            actor=actor,
            data={
                "instructor": instructors[spec.instructor],
                "enterprise": ents[spec.enterprise],
                "started_on": spec.started_on,
                "ended_on": spec.ended_on,
            },
        )
    for spec in plan.evaluations:
        services.evaluation_set(
            actor=actor,
            instructor=instructors[spec.instructor],
            year=spec.year,
            grade=spec.grade,
        )


def _set_org_paths(depth: int) -> None:
    """Fill ``path``/``depth`` of organizations created in bulk at ``depth``: the path is the
    parent's path plus the zero-padded primary key (``MaterializedPathNode.path_segment``)."""
    segment = Concat(LPad(Cast("pk", CharField()), 8, Value("0")), Value("/"))
    rows = PartyOrganization.objects.filter(path="", depth=depth)
    if depth == 0:
        rows.update(path=segment)
    else:
        parent_path = Subquery(
            PartyOrganization.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
        )
        rows.update(path=Concat(parent_path, segment, output_field=CharField()))


def _load_bulk(plan: DemoPlan, actor, batch_size: int = 2000) -> None:
    """The province: ``bulk_create`` in batches, then one coverage recomputation. Reference
    rows still go through the services."""
    ref = _reference_rows(plan, actor)
    orgs, ents, instructors = ref["orgs"], ref["enterprises"], ref["instructors"]
    industries, regions = ref["industries"], ref["regions"]

    def bulk(model, objs):
        created = model.objects.bulk_create(objs, batch_size=batch_size)
        if created and created[0].pk is None:  # pragma: no cover - backends without RETURNING
            raise RuntimeError("seed_demo --scale province needs a database that returns ids.")
        return created

    def org_obj(spec: OrganizationSpec) -> PartyOrganization:
        return PartyOrganization(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            basis=spec.basis,
            parent_id=orgs[spec.parent].pk if spec.parent else None,
            industry_id=industries[spec.industry].pk if spec.industry else None,
            region_id=regions[spec.region].pk if spec.region else None,
            host_enterprise_id=ents[spec.host].pk if spec.host else None,
            secretary_name=spec.secretary_name,
            founded_on=spec.founded_on,
            term_ends_on=spec.term_ends_on,
            status=spec.status,
            depth=spec.depth,
            path="",
        )

    for depth in (0, 1, 2):
        specs = [o for o in plan.organizations if not o.host and o.depth == depth]
        for spec, obj in zip(
            specs, bulk(PartyOrganization, [org_obj(s) for s in specs]), strict=True
        ):
            orgs[spec.code] = obj
        _set_org_paths(depth)

    hq_first = sorted(plan.enterprises, key=lambda e: e.kind != EnterpriseKind.PLATFORM_HQ)
    n_hq = sum(1 for e in hq_first if e.kind == EnterpriseKind.PLATFORM_HQ)
    for chunk in (hq_first[:n_hq], hq_first[n_hq:]):
        objs = [
            Enterprise(
                uscc=e.uscc,
                name=e.name,
                kind=e.kind,
                platform_id=ents[e.platform].pk if e.platform else None,
                industry_id=industries[e.industry].pk,
                region_id=regions[e.region].pk,
                address=e.address,
                contact_name=contact_of(e)[0],
                contact_phone=contact_of(e)[1],
                worker_count=e.worker_count,
                party_organization_id=orgs[e.organization].pk if e.organization else None,
                has_liaison=e.has_liaison,
                has_union_or_league=e.has_union_or_league,
                status=e.status,
            )
            for e in chunk
        ]
        for spec, obj in zip(chunk, bulk(Enterprise, objs), strict=True):
            ents[spec.uscc] = obj

    hosted = [o for o in plan.organizations if o.host]
    for spec, obj in zip(
        hosted, bulk(PartyOrganization, [org_obj(s) for s in hosted]), strict=True
    ):
        orgs[spec.code] = obj
    _set_org_paths(2)
    # A unit's own organization covers its host (what organization_create does one by one).
    own = PartyOrganization.objects.filter(
        host_enterprise_id=OuterRef("pk"), basis=OrganizationBasis.UNIT
    )
    Enterprise.objects.filter(Exists(own), party_organization__isnull=True).update(
        party_organization_id=Subquery(own.values("pk")[:1])
    )

    for spec, obj in zip(
        plan.instructors,
        bulk(
            Instructor,
            [
                Instructor(
                    name=s.name,
                    department_id=ref["departments"][s.department].pk,
                    organization_id=orgs[s.organization].pk,
                )
                for s in plan.instructors
            ],
        ),
        strict=True,
    ):
        instructors[spec.key] = obj
    bulk(
        InstructorAssignment,
        [
            InstructorAssignment(
                instructor_id=instructors[a.instructor].pk,
                enterprise_id=ents[a.enterprise].pk,
                started_on=a.started_on,
                ended_on=a.ended_on,
            )
            for a in plan.assignments
        ],
    )
    bulk(
        InstructorEvaluation,
        [
            InstructorEvaluation(
                instructor_id=instructors[v.instructor].pk, year=v.year, grade=v.grade
            )
            for v in plan.evaluations
        ],
    )
    services.enterprises_refresh_coverage()


def load_plan(plan: DemoPlan, *, actor, bulk: bool = False) -> None:
    """Write ``plan`` in one transaction, through the services or (``bulk``) in batches."""
    with transaction.atomic():
        if bulk:
            _load_bulk(plan, actor)
        else:
            _load_with_services(plan, actor)


# --- history for the demo's trend chart ----------------------------------------------------------


def backdate_enterprises(*, months: int = 24, today: dt.date | None = None) -> None:
    """Spread the demo enterprises' ``created_at`` over the past ``months`` (deterministically,
    by id), so that snapshots of past days show a growing city instead of an empty one.
    One UPDATE per month bucket."""
    from django.db.models import F
    from django.db.models.functions import Mod
    from django.utils import timezone

    today = today or timezone.localdate()
    with transaction.atomic():
        buckets = Enterprise.objects.annotate(bucket=Mod(F("id") * 7919, months))
        for k in range(months):
            day = today - dt.timedelta(days=30 * k + 3)
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
            buckets.filter(bucket=k).update(created_at=at)


def backdate_workers(*, months: int = 24, today: dt.date | None = None) -> None:
    """Spread the demo workers' ``first_seen`` over the past ``months`` like the enterprises
    (deterministically, by id), never before their employer appeared, so that backfilled
    months count the workers active then instead of none. One UPDATE per month bucket."""
    from django.db.models import F, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce, Greatest, Mod
    from django.utils import timezone

    from members.models import Worker

    today = today or timezone.localdate()
    employer_since = Subquery(
        Enterprise.objects.filter(pk=OuterRef("enterprise_id")).values("created_at")[:1]
    )
    with transaction.atomic():
        buckets = Worker.objects.annotate(bucket=Mod(F("id") * 7919, months))
        for k in range(months):
            day = today - dt.timedelta(days=30 * k + 5)
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
            buckets.filter(bucket=k).update(
                first_seen=Greatest(Value(at), Coalesce(employer_since, Value(at)))
            )
