"""Writes of the mass organizations: validated (``clean``), scope-checked (every reference —
the leading organization, the enterprise, an appeal a mediation case starts from — must lie in
the actor's scope) and audited, one transaction each."""

from __future__ import annotations

from typing import Any

from core import writes
from organizations import scoping

from .choices import Attachment
from .models import MassOrganization, MediationCase, ServiceProject


def _check(actor: Any, instance, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


def _with_region(data: dict[str, Any]) -> dict[str, Any]:
    """An organization attached to an enterprise lies in the enterprise's region."""
    data = dict(data)
    enterprise = data.get("enterprise")
    if data.get("attachment") == Attachment.ENTERPRISE and enterprise and not data.get("region"):
        data["region"] = enterprise.region
    return data


def mass_organization_create(*, actor: Any, data: dict[str, Any]) -> MassOrganization:
    """Create a union, youth-league or women's-federation organization."""
    return writes.create(actor=actor, model=MassOrganization, data=_with_region(data), check=_check)


def mass_organization_update(
    *, actor: Any, mass_organization: MassOrganization, data: dict[str, Any]
) -> MassOrganization:
    """Change a mass organization."""
    return writes.update(
        actor=actor, instance=mass_organization, data=_with_region(data), check=_check
    )


def mass_organization_delete(*, actor: Any, mass_organization: MassOrganization) -> None:
    """Delete a mass organization without projects."""
    writes.delete(actor=actor, instance=mass_organization, check=_check)


service_project_create, service_project_update, service_project_delete = writes.crud(
    ServiceProject, "service_project", check=_check
)
mediation_case_create, mediation_case_update, mediation_case_delete = writes.crud(
    MediationCase, "mediation_case", check=_check
)
