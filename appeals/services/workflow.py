"""The workflow after intake: dispatch, dispute, sign, start, extend, reply, close, and the
worker's return visit (which may reopen the appeal one level higher)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations.choices import OrganizationStatus
from organizations.models import PartyOrganization

from .. import sla
from ..choices import (
    InboxKind,
    Level,
    level_rank,
)
from ..models import Appeal
from .levels import _first_responder, level_of_organization, organization_above
from .steps import _is_user, _policy, _required_text, _sees_organization, _step, notify
from .transitions import SATISFIED_SCORES, S


def appeal_dispatch(
    *,
    actor: Any,
    appeal: Appeal,
    organization: PartyOrganization,
    note: str = "",
    now: dt.datetime | None = None,
) -> Appeal:
    """Dispatch (派单) to an active organization in the actor's scope, at a level not below the
    one the appeal has reached (escalation and reopening only ever move it up)."""
    return _dispatch(actor=actor, appeal=appeal, organization=organization, note=note, now=now)


def _dispatch(
    *,
    actor: Any,
    appeal: Appeal,
    organization: PartyOrganization | None,
    note: str = "",
    now: dt.datetime | None = None,
    system: bool = False,
    inbox_kind: str = InboxKind.DISPATCHED,
) -> Appeal:
    """``system``: the services dispatch on their own account (reopening), so the actor's
    scope does not limit the organization."""
    if organization is None:
        raise ValidationError({"organization": _("Choose the organization to dispatch to.")})

    def apply(locked: Appeal, at: dt.datetime) -> None:
        errors = {}
        if organization.status != OrganizationStatus.ACTIVE:
            errors["organization"] = _("This organization is not active.")
        elif not system and _is_user(actor) and not _sees_organization(actor, organization.pk):
            errors["organization"] = _("This organization is outside your scope.")
        else:
            level = level_of_organization(organization)
            if level_rank(level) < level_rank(locked.level):
                errors["organization"] = _(
                    "The appeal has reached the level “%(level)s”; dispatch it to an "
                    "organization at that level or above."
                ) % {"level": Level(locked.level).label}
            elif locked.status == S.DISPUTED and locked.assigned_organization_id == organization.pk:
                errors["organization"] = _(
                    "This organization disputed the appeal; dispatch it to another one."
                )
        if errors:
            raise ValidationError(errors)
        locked.assigned_organization = organization
        locked.level = level_of_organization(organization)
        locked.due_at = sla.sign_due(_policy(locked), at)
        text = (
            _("Appeal %(ref)s was reopened after an unsatisfied visit and dispatched to you.")
            if inbox_kind == InboxKind.REOPENED
            else _("Appeal %(ref)s was dispatched to you: %(category)s.")
        )
        notify(
            kind=inbox_kind,
            text=text % {"ref": locked.reference, "category": locked.category.name},
            appeal=locked,
            organization=organization,
            at=at,
        )

    return _step(
        action="dispatch",
        actor=actor,
        appeal=appeal,
        now=now,
        apply=apply,
        note=note,
        system=system,
    )


def appeal_dispute(
    *, actor: Any, appeal: Appeal, reason: str, now: dt.datetime | None = None
) -> Appeal:
    """The assigned organization says the appeal is not its own (退单); it goes back to be
    re-dispatched, due within the dispatch time."""
    reason = _required_text(reason, "reason", _("Say why the appeal is not yours."))

    def apply(locked: Appeal, at: dt.datetime) -> None:
        locked.due_at = sla.dispatch_due(_policy(locked), at)
        parent = locked.assigned_organization.parent if locked.assigned_organization else None
        if parent is not None:
            notify(
                kind=InboxKind.DISPUTED,
                text=_("Appeal %(ref)s was disputed by %(org)s: %(reason)s")
                % {"ref": locked.reference, "org": locked.assigned_organization, "reason": reason},
                appeal=locked,
                organization=parent,
                at=at,
            )

    return _step(action="dispute", actor=actor, appeal=appeal, now=now, apply=apply, note=reason)


def appeal_sign(
    *, actor: Any, appeal: Appeal, note: str = "", now: dt.datetime | None = None
) -> Appeal:
    """The assigned organization signs for the appeal (签收); the reply is due in working days."""

    def apply(locked: Appeal, at: dt.datetime) -> None:
        locked.due_at = sla.reply_due(_policy(locked), at)
        locked.expected_at = locked.due_at

    return _step(action="sign", actor=actor, appeal=appeal, now=now, apply=apply, note=note)


def appeal_start(
    *, actor: Any, appeal: Appeal, note: str = "", now: dt.datetime | None = None
) -> Appeal:
    """Handling has started (办理); the reply deadline is unchanged."""
    return _step(
        action="start", actor=actor, appeal=appeal, now=now, apply=lambda a, at: None, note=note
    )


def appeal_extend(
    *, actor: Any, appeal: Appeal, reason: str, now: dt.datetime | None = None
) -> Appeal:
    """Extend the reply deadline once (延期), with a reason."""
    reason = _required_text(reason, "reason", _("Give the reason for the extension."))

    def apply(locked: Appeal, at: dt.datetime) -> None:
        if locked.extended:
            raise ValidationError(
                _("This appeal was already extended once; it cannot be extended again."),
                code="already_extended",
            )
        locked.extended = True
        locked.extension_reason = reason[:300]
        locked.due_at = sla.extension_due(_policy(locked), locked.due_at or at)
        locked.expected_at = locked.due_at

    return _step(action="extend", actor=actor, appeal=appeal, now=now, apply=apply, note=reason)


def appeal_reply(
    *, actor: Any, appeal: Appeal, reply: str, now: dt.datetime | None = None
) -> Appeal:
    """Reply to the worker (答复) with what was done."""
    reply = _required_text(reply, "reply", _("Write the reply."))

    def apply(locked: Appeal, at: dt.datetime) -> None:
        locked.reply = reply
        locked.replied_at = at
        locked.due_at = None
        notify(
            kind=InboxKind.REPLIED,
            text=_("Appeal %(ref)s was replied to.") % {"ref": locked.reference},
            appeal=locked,
            user=locked.submitted_by,
            at=at,
        )

    return _step(action="reply", actor=actor, appeal=appeal, now=now, apply=apply, note=reply)


def appeal_close(
    *, actor: Any, appeal: Appeal, note: str = "", now: dt.datetime | None = None
) -> Appeal:
    """Accept the reply and close the case (办结); the return visit follows."""

    def apply(locked: Appeal, at: dt.datetime) -> None:
        locked.closed_at = at
        locked.due_at = None

    return _step(action="close", actor=actor, appeal=appeal, now=now, apply=apply, note=note)


def appeal_visit(
    *, actor: Any, appeal: Appeal, score: int, note: str = "", now: dt.datetime | None = None
) -> Appeal:
    """The return visit (回访) with a satisfaction score of 1–5.

    4–5: satisfied, the appeal is archived. 1–3: it is reopened one level higher and
    dispatched to the organization above the one that handled it (three events: visit,
    reopen, dispatch). ``actor=None`` is the worker rating through a verified public door.
    """
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": _("Give a satisfaction score from 1 to 5.")})

    def apply(locked: Appeal, at: dt.datetime) -> None:
        locked.satisfaction = score
        locked.visited_at = at

    with transaction.atomic():
        appeal = _step(
            action="visit", actor=actor, appeal=appeal, now=now, apply=apply, note=note, score=score
        )
        if score in SATISFIED_SCORES:
            return _step(
                action="archive", actor=actor, appeal=appeal, now=now, apply=lambda a, at: None
            )
        return _reopen(actor=actor, appeal=appeal, now=now, score=score)


def _reopen(*, actor: Any, appeal: Appeal, now: dt.datetime | None, score: int) -> Appeal:
    handler = appeal.assigned_organization
    target = organization_above(handler, appeal.level) if handler else None
    target = target or handler or _first_responder(appeal)

    def apply(locked: Appeal, at: dt.datetime) -> None:
        if target is not None:
            higher = level_of_organization(target)
            if level_rank(higher) > level_rank(locked.level):
                locked.level = higher
        # A new round: a fresh reply and, if needed, a fresh extension.
        locked.extended = False
        locked.extension_reason = ""
        locked.reply = ""
        locked.replied_at = locked.closed_at = None

    note = _("Unsatisfied (%(score)s of 5): reopened one level higher.") % {"score": score}
    appeal = _step(action="reopen", actor=actor, appeal=appeal, now=now, apply=apply, note=note)
    if target is None:
        return appeal
    # The services re-dispatch: the visitor need not have the organization above in scope.
    return _dispatch(
        actor=actor,
        appeal=appeal,
        organization=target,
        now=now,
        system=True,
        inbox_kind=InboxKind.REOPENED,
    )
