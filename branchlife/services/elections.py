"""换届: recording an election updates the organization's secretary and term end through the
organizations' own service (audited there too)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core import writes
from organizations.services import organization_update

from ..models import Election
from .common import _check


def _apply(*, actor: Any, election: Election) -> None:
    """The latest election of the organization sets its secretary and term end."""
    latest = (
        Election.objects.filter(organization_id=election.organization_id)
        .order_by("-held_on", "-id")
        .first()
    )
    if latest is None:
        return
    organization = latest.organization
    data = {"secretary_name": latest.secretary_name, "term_ends_on": latest.term_ends_on}
    if any(getattr(organization, k) != v for k, v in data.items()):
        organization_update(actor=actor, organization=organization, data=data)


def election_create(*, actor: Any, data: dict[str, Any]) -> Election:
    """Record an election; the organization takes its secretary and term end."""
    with transaction.atomic():
        election = writes.create(actor=actor, model=Election, data=data, check=_check)
        _apply(actor=actor, election=election)
    return election


def election_update(*, actor: Any, election: Election, data: dict[str, Any]) -> Election:
    with transaction.atomic():
        election = writes.update(actor=actor, instance=election, data=data, check=_check)
        _apply(actor=actor, election=election)
    return election


def election_delete(*, actor: Any, election: Election) -> None:
    writes.delete(actor=actor, instance=election, check=_check)
