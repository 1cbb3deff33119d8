"""Writes for organizations: every one validated, scope-checked and audited in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.utils.translation import gettext as _

from core import writes
from core.jobs import enqueue_on_commit, job_create

from . import scoping
from .choices import (
    CoverageMode,
    EnterpriseStatus,
    OrganizationBasis,
    OrganizationKind,
    OrganizationStatus,
)
from .models import (
    JOINT_BRANCH_MAX_ENTERPRISES,
    Department,
    Enterprise,
    Industry,
    Instructor,
    InstructorAssignment,
    InstructorEvaluation,
    PartyOrganization,
    Region,
    ScopeGrant,
)


def _check(actor: Any, instance, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


def _require_city_wide(actor: Any) -> None:
    scoping.require_city_wide(actor, _("Only city-wide staff may change reference data."))


# --- reference data: regions, departments, industries (city-wide staff only) ---------------
# A region's path follows from its parent and code; moving it rewrites its subtree's paths.

region_create, region_update, region_delete = writes.crud(
    Region, "region", guard=_require_city_wide
)
department_create, department_update, department_delete = writes.crud(
    Department, "department", guard=_require_city_wide
)
industry_create, industry_update, industry_delete = writes.crud(
    Industry, "industry", guard=_require_city_wide
)


# --- coverage --------------------------------------------------------------------------------


def coverage_mode_expression() -> Case:
    """The coverage mode as one SQL expression over an enterprise's links (DESIGN.md §6).

    Organization coverage comes from the active organization that covers the unit, by how that
    organization was formed; otherwise an open instructor assignment, a liaison or a union or
    youth-league group give work coverage; otherwise the unit is not covered.
    """

    def covered_by(basis: str) -> Exists:
        return Exists(
            PartyOrganization.objects.filter(
                pk=OuterRef("party_organization_id"),
                status=OrganizationStatus.ACTIVE,
                basis=basis,
            )
        )

    open_assignment = Exists(
        InstructorAssignment.objects.filter(
            enterprise_id=OuterRef("pk"), ended_on__isnull=True, instructor__active=True
        )
    )
    return Case(
        When(covered_by(OrganizationBasis.UNIT), then=Value(CoverageMode.STANDALONE)),
        When(covered_by(OrganizationBasis.JOINT), then=Value(CoverageMode.JOINT)),
        When(covered_by(OrganizationBasis.REGIONAL), then=Value(CoverageMode.REGIONAL)),
        When(covered_by(OrganizationBasis.INDUSTRY), then=Value(CoverageMode.INDUSTRY)),
        When(open_assignment, then=Value(CoverageMode.WORK_ONLY)),
        When(has_liaison=True, then=Value(CoverageMode.WORK_ONLY)),
        When(has_union_or_league=True, then=Value(CoverageMode.WORK_ONLY)),
        default=Value(CoverageMode.NONE),
    )


def enterprises_refresh_coverage(*, enterprises: QuerySet[Enterprise] | None = None) -> int:
    """Recompute the coverage mode of ``enterprises`` (all by default) in one UPDATE."""
    queryset = Enterprise.objects.all() if enterprises is None else enterprises
    return queryset.update(coverage_mode=coverage_mode_expression())


def enterprise_refresh_coverage(*, enterprise: Enterprise) -> str:
    """Recompute one enterprise's coverage mode and return it."""
    enterprises_refresh_coverage(enterprises=Enterprise.objects.filter(pk=enterprise.pk))
    enterprise.coverage_mode = (
        Enterprise.objects.filter(pk=enterprise.pk).values_list("coverage_mode", flat=True).get()
    )
    return enterprise.coverage_mode


def coverage_refresh_queue(*, actor: Any) -> Any:
    """Queue a full recomputation of coverage modes as a job; it starts after commit."""
    from .tasks import refresh_coverage_modes

    job = job_create(actor=actor, kind="organizations.refresh_coverage_modes")
    enqueue_on_commit(refresh_coverage_modes, job.pk)
    return job


# --- party organizations -----------------------------------------------------------------------


def _validate_link(*, enterprise: Enterprise) -> None:
    """An enterprise may only point at an organization that can cover it."""
    org_id = enterprise.party_organization_id
    if org_id is None:
        return
    # Lock the organization so two concurrent links cannot both take the last joint seat.
    org = PartyOrganization.objects.select_for_update().get(pk=org_id)
    if not org.is_active:
        raise ValidationError(
            {"party_organization": _("This organization is dissolved and covers no unit.")}
        )
    if org.basis == OrganizationBasis.UNIT and org.host_enterprise_id not in (None, enterprise.pk):
        raise ValidationError(
            {
                "party_organization": _(
                    "An organization formed in one unit covers only its host unit (%(host)s)."
                )
                % {"host": org.host_enterprise}
            }
        )
    if org.kind == OrganizationKind.JOINT_BRANCH:
        others = org.covered_enterprises.exclude(pk=enterprise.pk).count()
        if others >= JOINT_BRANCH_MAX_ENTERPRISES:
            raise ValidationError(
                {
                    "party_organization": _(
                        "A joint branch covers at most %(max)d units; %(name)s already has "
                        "%(count)d."
                    )
                    % {"max": JOINT_BRANCH_MAX_ENTERPRISES, "name": org.name, "count": others}
                }
            )


def _after_organization_write(*, actor: Any, organization: PartyOrganization) -> None:
    # A unit's own organization covers its host at once.
    host = organization.host_enterprise
    if (
        host is not None
        and organization.is_active
        and organization.basis == OrganizationBasis.UNIT
        and host.party_organization_id is None
    ):
        enterprise_update(actor=actor, enterprise=host, data={"party_organization": organization})
    enterprises_refresh_coverage(enterprises=organization.covered_enterprises.all())


def organization_create(*, actor: Any, data: dict[str, Any]) -> PartyOrganization:
    """Create a party organization under a parent the actor can see."""
    with transaction.atomic():
        organization = writes.create(actor=actor, model=PartyOrganization, data=data, check=_check)
        _after_organization_write(actor=actor, organization=organization)
    return organization


#: Called as ``hook(organization=...)`` inside the transaction of an update that changed an
#: organization's region. The members app registers how its members follow (they are located
#: where their organization is); organizations cannot import members, so members hands it in.
REGION_CHANGED_HOOKS: list[Callable[..., None]] = []


def organization_update(
    *, actor: Any, organization: PartyOrganization, data: dict[str, Any]
) -> PartyOrganization:
    """Update an organization; moving it re-roots its subtree; coverage follows, and so do
    the members located by it (:data:`REGION_CHANGED_HOOKS`)."""
    dissolving = (
        data.get("status") == OrganizationStatus.DISSOLVED
        and organization.status != OrganizationStatus.DISSOLVED
    )
    if dissolving and organization.children.filter(status=OrganizationStatus.ACTIVE).exists():
        raise ValidationError({"status": _("Dissolve or move the organizations under it first.")})
    region_before = organization.region_id
    with transaction.atomic():
        organization = writes.update(actor=actor, instance=organization, data=data, check=_check)
        _after_organization_write(actor=actor, organization=organization)
        if organization.region_id != region_before:
            for hook in REGION_CHANGED_HOOKS:
                hook(organization=organization)
    return organization


def organization_dissolve(*, actor: Any, organization: PartyOrganization) -> PartyOrganization:
    """Dissolve an organization: the units it covered lose that coverage."""
    return organization_update(
        actor=actor, organization=organization, data={"status": OrganizationStatus.DISSOLVED}
    )


def organization_delete(*, actor: Any, organization: PartyOrganization) -> None:
    with transaction.atomic():
        covered = list(organization.covered_enterprises.values_list("pk", flat=True))
        writes.delete(actor=actor, instance=organization, check=_check)
        enterprises_refresh_coverage(enterprises=Enterprise.objects.filter(pk__in=covered))


# --- enterprises -------------------------------------------------------------------------------


def _enterprise_check(
    actor: Any, enterprise: Enterprise, changed: frozenset[str] | None = None
) -> None:
    _validate_link(enterprise=enterprise)
    enterprise_refresh_coverage(enterprise=enterprise)
    scoping.ensure_in_scope(actor, enterprise, changed)


def enterprise_create(*, actor: Any, data: dict[str, Any]) -> Enterprise:
    """Create an enterprise (USCC checked); its coverage mode is derived, not taken."""
    data = {k: v for k, v in data.items() if k != "coverage_mode"}
    return writes.create(actor=actor, model=Enterprise, data=data, check=_enterprise_check)


def enterprise_update(*, actor: Any, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    data = {k: v for k, v in data.items() if k != "coverage_mode"}
    return writes.update(actor=actor, instance=enterprise, data=data, check=_enterprise_check)


def enterprise_close(*, actor: Any, enterprise: Enterprise) -> Enterprise:
    return enterprise_update(
        actor=actor, enterprise=enterprise, data={"status": EnterpriseStatus.CLOSED}
    )


def enterprise_delete(*, actor: Any, enterprise: Enterprise) -> None:
    writes.delete(actor=actor, instance=enterprise, check=_check)


# --- instructors -------------------------------------------------------------------------------


def instructor_create(*, actor: Any, data: dict[str, Any]) -> Instructor:
    return writes.create(actor=actor, model=Instructor, data=data, check=_check)


def instructor_update(*, actor: Any, instructor: Instructor, data: dict[str, Any]) -> Instructor:
    with transaction.atomic():
        instructor = writes.update(actor=actor, instance=instructor, data=data, check=_check)
        enterprises_refresh_coverage(
            enterprises=Enterprise.objects.filter(instructor_assignments__instructor=instructor)
        )
    return instructor


def instructor_delete(*, actor: Any, instructor: Instructor) -> None:
    with transaction.atomic():
        ids = list(instructor.assignments.values_list("enterprise_id", flat=True))
        writes.delete(actor=actor, instance=instructor, check=_check)
        enterprises_refresh_coverage(enterprises=Enterprise.objects.filter(pk__in=ids))


def _assignment_check(
    actor: Any, assignment: InstructorAssignment, changed: frozenset[str] | None = None
) -> None:
    scoping.ensure_in_scope(actor, assignment, changed)
    enterprise_refresh_coverage(enterprise=assignment.enterprise)


def assignment_create(*, actor: Any, data: dict[str, Any]) -> InstructorAssignment:
    """Send an instructor to an enterprise; the enterprise gains work coverage."""
    return writes.create(
        actor=actor, model=InstructorAssignment, data=data, check=_assignment_check
    )


def assignment_update(
    *, actor: Any, assignment: InstructorAssignment, data: dict[str, Any]
) -> InstructorAssignment:
    return writes.update(actor=actor, instance=assignment, data=data, check=_assignment_check)


def assignment_end(
    *, actor: Any, assignment: InstructorAssignment, on: dt.date
) -> InstructorAssignment:
    return assignment_update(actor=actor, assignment=assignment, data={"ended_on": on})


def assignment_delete(*, actor: Any, assignment: InstructorAssignment) -> None:
    with transaction.atomic():
        enterprise = assignment.enterprise
        writes.delete(actor=actor, instance=assignment, check=_check)
        enterprise_refresh_coverage(enterprise=enterprise)


def evaluation_set(
    *, actor: Any, instructor: Instructor, year: int, grade: str
) -> InstructorEvaluation:
    """Record (or correct) an instructor's grade for a year."""
    existing = InstructorEvaluation.objects.filter(instructor=instructor, year=year).first()
    if existing:
        return writes.update(actor=actor, instance=existing, data={"grade": grade}, check=_check)
    return writes.create(
        actor=actor,
        model=InstructorEvaluation,
        data={"instructor": instructor, "year": year, "grade": grade},
        check=_check,
    )


def evaluation_create(*, actor: Any, data: dict[str, Any]) -> InstructorEvaluation:
    """Record an instructor's grade for a year (one grade per year)."""
    return writes.create(actor=actor, model=InstructorEvaluation, data=data, check=_check)


def evaluation_update(
    *, actor: Any, evaluation: InstructorEvaluation, data: dict[str, Any]
) -> InstructorEvaluation:
    return writes.update(actor=actor, instance=evaluation, data=data, check=_check)


def evaluation_delete(*, actor: Any, evaluation: InstructorEvaluation) -> None:
    writes.delete(actor=actor, instance=evaluation, check=_check)


# --- scope grants ------------------------------------------------------------------------------


def grant_create(*, actor: Any, data: dict[str, Any]) -> ScopeGrant:
    """Grant a user a scope; only city-wide staff hand out grants."""
    _require_city_wide(actor)
    return writes.create(actor=actor, model=ScopeGrant, data=data)


def grant_delete(*, actor: Any, grant: ScopeGrant) -> None:
    _require_city_wide(actor)
    writes.delete(actor=actor, instance=grant)
