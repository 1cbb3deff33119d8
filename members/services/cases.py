"""The found-member case flow (DESIGN.md §6): only the allowed transitions, each one a
:class:`~members.models.CaseEvent` written with the change in one transaction.

DISCOVERED → VERIFYING → CONTACTED → REPORTED → ASSIGNED → TRANSFERRED, or REJECTED /
LOST_CONTACT on the way; a lost contact may be regained (→ CONTACTED).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from organizations import scoping
from organizations.choices import OrganizationKind, OrganizationStatus
from organizations.models import PartyOrganization
from organizations.selectors import responsible_user

from ..choices import CLOSED_CASE_STATUSES, CaseOrigin, CaseStatus, ProposalStatus
from ..models import Case, CaseEvent, MatchProposal, MemberClaim, PartyMember, Worker

S = CaseStatus

#: The allowed next statuses of each status.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DISCOVERED: frozenset({S.VERIFYING, S.REJECTED, S.LOST_CONTACT}),
    S.VERIFYING: frozenset({S.CONTACTED, S.REJECTED, S.LOST_CONTACT}),
    S.CONTACTED: frozenset({S.REPORTED, S.REJECTED, S.LOST_CONTACT}),
    S.REPORTED: frozenset({S.ASSIGNED, S.LOST_CONTACT}),
    S.ASSIGNED: frozenset({S.TRANSFERRED, S.LOST_CONTACT}),
    S.LOST_CONTACT: frozenset({S.CONTACTED}),
    S.TRANSFERRED: frozenset(),
    S.REJECTED: frozenset(),
}

#: Kinds of organization a found member can be placed in (回家).
PLACEMENT_KINDS = frozenset(
    {
        OrganizationKind.BRANCH,
        OrganizationKind.JOINT_BRANCH,
        OrganizationKind.MOBILE_BRANCH,
        OrganizationKind.GENERAL_BRANCH,
        OrganizationKind.FUNCTIONAL,
    }
)

#: Days allowed for the next action after entering a status (settings may override).
DEFAULT_DUE_DAYS: dict[str, int] = {
    S.DISCOVERED: 7,
    S.VERIFYING: 7,
    S.CONTACTED: 14,
    S.REPORTED: 14,
    S.ASSIGNED: 30,
    S.LOST_CONTACT: 30,
}


def due_after(status: str, *, today: dt.date | None = None) -> dt.date | None:
    """The due date of the next action after entering ``status``; none once closed."""
    if status in CLOSED_CASE_STATUSES:
        return None
    days = {**DEFAULT_DUE_DAYS, **getattr(settings, "TWO_FINDS_CASE_DUE_DAYS", {})}[status]
    return (today or timezone.localdate()) + dt.timedelta(days=days)


def _actor_label(actor: Any) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_username()
    return str(actor or "system")


def _actor_user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def _place_of(worker: Worker | None, member: PartyMember | None, claim: MemberClaim | None):
    """Region and industry a case is filed under (its scope): the worker's, else the claim's,
    else the member's."""
    for source in (worker, claim, member):
        if source is not None and (source.region_id or source.industry_id):
            return source.region_id, source.industry_id
    return None, None


def default_owner(*, region_id: int | None, industry_id: int | None) -> Any:
    """Who owns an open case nobody was named for: whoever answers for its region and industry
    and may work on cases (:func:`organizations.selectors.responsible_user`)."""
    return responsible_user(
        region_id=region_id, industry_id=industry_id, permission="members.change_case"
    )


def cases_fill_owners(*, actor: Any, replacing: Any = None) -> int:
    """Give every open case without an owner (or owned by ``replacing``, e.g. the account
    that seeded the demo before the officers existed) its default owner, audited; returns how
    many changed. Idempotent."""
    filled = 0
    owners: dict[tuple[int | None, int | None], Any] = {}
    orphans = Case.objects.filter(
        Q(owner__isnull=True) | Q(owner=replacing) if replacing is not None else Q(owner=None)
    ).exclude(status__in=CLOSED_CASE_STATUSES)
    for case in orphans.select_related("owner").order_by("id"):
        place = (case.region_id, case.industry_id)
        if place not in owners:
            owners[place] = default_owner(region_id=case.region_id, industry_id=case.industry_id)
        if owners[place] is None or owners[place].pk == case.owner_id:
            continue
        with transaction.atomic():
            before = audit.snapshot(case)
            case.owner = owners[place]
            case.save(update_fields=["owner", "updated_at"])
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=case,
                changes=audit.diff(before, audit.snapshot(case)),
                verb="case_owner_default",
            )
        filled += 1
    return filled


def case_open(
    *,
    actor: Any,
    origin: str,
    worker: Worker | None = None,
    member: PartyMember | None = None,
    proposal: MatchProposal | None = None,
    claim: MemberClaim | None = None,
    owner: Any = None,
    note: str = "",
) -> Case:
    """Open a DISCOVERED case, or return the open case that already follows this person.

    Idempotent: the same worker (and member) never gets two cases. When the member of a
    worker becomes known (a confirmed proposal, a report whose id matches), the worker's open
    case without a member (e.g. opened because the roster declared membership) takes the
    member instead of a second case being opened. A proposal or claim given is linked to the
    case returned if it has none yet.
    """
    if worker is None and member is None and claim is None:
        raise ValidationError(_("A case needs a worker, a party member or a member report."))
    with transaction.atomic():
        existing = None
        if worker is not None:
            existing = (
                Case.objects.select_for_update()
                .filter(worker=worker, member=member)
                .order_by("id")
                .first()
            )
            if existing is None and member is not None:
                existing = (
                    Case.objects.select_for_update()
                    .filter(worker=worker, member__isnull=True)
                    .exclude(status__in=CLOSED_CASE_STATUSES)
                    .order_by("id")
                    .first()
                )
        elif claim is not None:
            existing = Case.objects.filter(claim=claim).first()
        if existing is not None:
            before = audit.snapshot(existing)
            changed = []
            if member is not None and existing.member_id is None:
                existing.member = member
                changed.append("member")
            if proposal is not None and existing.proposal_id is None:
                existing.proposal = proposal
                changed.append("proposal")
            if claim is not None and existing.claim_id is None:
                existing.claim = claim
                changed.append("claim")
            if changed:
                existing.save(update_fields=[*changed, "updated_at"])
                audit.record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    obj=existing,
                    changes=audit.diff(before, audit.snapshot(existing)),
                    verb="case_link",
                )
            return existing
        region_id, industry_id = _place_of(worker, member, claim)
        case = Case.objects.create(
            origin=origin,
            worker=worker,
            member=member,
            proposal=proposal,
            claim=claim,
            region_id=region_id,
            industry_id=industry_id,
            owner=_actor_user(owner) or default_owner(region_id=region_id, industry_id=industry_id),
            due_on=due_after(S.DISCOVERED),
        )
        CaseEvent.objects.create(
            case=case,
            from_status="",
            to_status=S.DISCOVERED,
            actor=_actor_user(actor),
            actor_label=_actor_label(actor),
            note=note,
        )
        audit.record_create(actor=actor, obj=case, verb="case_open")
    return case


def cases_open_for_proposals(*, actor: Any, proposals: Iterable[MatchProposal]) -> int:
    """Open a case (origin MATCH) for each accepted proposal that has none; returns how many
    were opened. Used by the matching job for auto-accepted pairs and by reviewers."""
    opened = 0
    for proposal in proposals:
        before = Case.objects.filter(worker_id=proposal.worker_id, member_id=proposal.member_id)
        if before.exists():
            continue
        case_open(
            actor=actor,
            origin=CaseOrigin.MATCH,
            worker=proposal.worker,
            member=proposal.member,
            proposal=proposal,
        )
        opened += 1
    return opened


def _validate_placement(actor: Any, organization: PartyOrganization | None) -> None:
    if organization is None:
        raise ValidationError({"organization": _("Choose the local branch to place them in.")})
    if organization.kind not in PLACEMENT_KINDS:
        raise ValidationError(
            {"organization": _("A found member is placed in a branch, not a committee.")}
        )
    if organization.status != OrganizationStatus.ACTIVE:
        raise ValidationError({"organization": _("This organization has been dissolved.")})
    if not scoping.visible(PartyOrganization, actor).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("This organization is outside your scope.")})


def case_transition(
    *,
    actor: Any,
    case: Case,
    to_status: str,
    note: str = "",
    organization: PartyOrganization | None = None,
    owner: Any = None,
    due_on: dt.date | None = None,
) -> Case:
    """Move ``case`` to ``to_status`` if the flow allows it; write the event and the audit row.

    ASSIGNED needs the local ``organization`` (a branch in the actor's scope) and makes it the
    member's host organization; TRANSFERRED moves the member's relation to that organization.
    ``owner`` and ``due_on`` set who acts next and by when (default: by the status).
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not scoping.visible(Case, actor).filter(pk=case.pk).exists():
            raise ValidationError(_("This case is outside your scope."))
        allowed = TRANSITIONS.get(case.status, frozenset())
        if to_status not in allowed:
            raise ValidationError(
                {
                    "status": _("A case that is “%(from)s” cannot become “%(to)s”.")
                    % {"from": CaseStatus(case.status).label, "to": CaseStatus(to_status).label}
                }
            )
        if to_status == S.REJECTED and not note.strip():
            raise ValidationError({"note": _("Say why this is not a match.")})
        before = audit.snapshot(case)
        from_status = case.status
        if to_status == S.ASSIGNED:
            _validate_placement(actor, organization)
            case.organization = organization
        case.status = to_status
        case.due_on = due_on or due_after(to_status)
        if owner is not None:
            case.owner = owner
        elif case.owner_id is None and to_status not in CLOSED_CASE_STATUSES:
            case.owner = default_owner(region_id=case.region_id, industry_id=case.industry_id)
        case.closed_at = timezone.now() if to_status in CLOSED_CASE_STATUSES else None
        case.save()
        member = case.member
        if member is not None and to_status == S.ASSIGNED:
            member.host_organization = case.organization
            member.lost_contact_since = None
            member.save(update_fields=["host_organization", "lost_contact_since", "updated_at"])
        elif member is not None and to_status == S.TRANSFERRED and case.organization_id:
            member.organization = case.organization
            member.is_mobile = False
            member.home_organization_name = ""
            member.save(
                update_fields=["organization", "is_mobile", "home_organization_name", "updated_at"]
            )
        elif member is not None and to_status == S.LOST_CONTACT and not member.lost_contact_since:
            member.lost_contact_since = timezone.localdate()
            member.save(update_fields=["lost_contact_since", "updated_at"])
        if to_status == S.REJECTED and case.proposal_id:
            MatchProposal.objects.filter(pk=case.proposal_id).update(
                status=ProposalStatus.REJECTED,
                decided_by=_actor_user(actor),
                decided_at=timezone.now(),
            )
        CaseEvent.objects.create(
            case=case,
            from_status=from_status,
            to_status=to_status,
            actor=_actor_user(actor),
            actor_label=_actor_label(actor),
            note=note,
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=case,
            changes=audit.diff(before, audit.snapshot(case)),
            verb=f"case_{to_status}",
        )
    return case
