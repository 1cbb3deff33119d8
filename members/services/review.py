"""Decisions on match proposals (the review queue of the two finds).

A proposal is decided once: ``proposed`` → ``confirmed`` or ``rejected``. The row stays, so a
rejected pair is remembered and the matcher never proposes it again (one row per pair).
Confirming opens the found-member case, or links and advances the case that already follows
the worker; rejecting closes a case opened from the proposal as "not a match".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from organizations import scoping

from ..choices import CaseOrigin, CaseStatus, ProposalStatus
from ..models import Case, MatchProposal
from .cases import TRANSITIONS, case_open, case_transition


def _lock_decidable(actor: Any, proposal: MatchProposal) -> MatchProposal:
    """The proposal locked for the decision; refused when out of scope or already decided."""
    # Lock by primary key alone (no scope joins: PostgreSQL refuses FOR UPDATE on the
    # nullable side of the outer joins a scope filter may need), then check the scope.
    locked = (
        MatchProposal.objects.select_for_update()
        .select_related("worker", "member")
        .filter(pk=proposal.pk)
        .first()
    )
    if locked is None or not scoping.visible(MatchProposal, actor).filter(pk=proposal.pk).exists():
        raise ValidationError(_("This proposal does not exist or is outside your scope."))
    if locked.status != ProposalStatus.PROPOSED:
        raise ValidationError(
            {
                "status": _("This proposal has already been decided (“%(status)s”).")
                % {"status": ProposalStatus(locked.status).label}
            }
        )
    return locked


def _decide(actor: Any, proposal: MatchProposal, status: str, note: str) -> None:
    before = audit.snapshot(proposal)
    proposal.status = status
    proposal.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    changes = audit.diff(before, audit.snapshot(proposal))
    if note:
        changes["note"] = ["", note]
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=proposal,
        changes=changes,
        verb=f"proposal_{status}",
    )


def proposal_confirm(*, actor: Any, proposal: MatchProposal, note: str = "") -> Case:
    """Confirm "this worker is this member" and return the case that now follows them.

    A new case is opened (origin MATCH) and moved to VERIFYING; a case already following the
    worker is linked to the proposal (and to the member) and, if still DISCOVERED, advanced to
    VERIFYING. Only a proposal waiting for review can be confirmed.
    """
    note = (note or "").strip()
    with transaction.atomic():
        proposal = _lock_decidable(actor, proposal)
        _decide(actor, proposal, ProposalStatus.CONFIRMED, note)
        case = case_open(
            actor=actor,
            origin=CaseOrigin.MATCH,
            worker=proposal.worker,
            member=proposal.member,
            proposal=proposal,
            note=note,
        )
        # Advance only a case the reviewer may act on (the proposal's and the case's scope
        # paths differ slightly); otherwise it waits, DISCOVERED, for its owner.
        if (
            case.status == CaseStatus.DISCOVERED
            and scoping.visible(Case, actor).filter(pk=case.pk).exists()
        ):
            case = case_transition(
                actor=actor,
                case=case,
                to_status=CaseStatus.VERIFYING,
                note=note or _("The match was confirmed in the review queue."),
            )
    return case


def proposal_reject(*, actor: Any, proposal: MatchProposal, note: str) -> MatchProposal:
    """Record "not the same person". The pair is never proposed again; a case opened from this
    proposal becomes REJECTED with the note. Only a proposal waiting for review can be
    rejected."""
    note = (note or "").strip() or _("Not the same person.")
    with transaction.atomic():
        proposal = _lock_decidable(actor, proposal)
        _decide(actor, proposal, ProposalStatus.REJECTED, note)
        case = Case.objects.filter(proposal=proposal).first()
        if case is not None and case.status != CaseStatus.REJECTED:
            if CaseStatus.REJECTED not in TRANSITIONS.get(case.status, frozenset()):
                raise ValidationError(
                    _(
                        "Case #%(case)s of this proposal is already “%(status)s”; "
                        "close it on its case page."
                    )
                    % {"case": case.pk, "status": CaseStatus(case.status).label}
                )
            case_transition(actor=actor, case=case, to_status=CaseStatus.REJECTED, note=note)
    return proposal
