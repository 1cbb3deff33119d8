"""Writes for appeals: intake, the workflow, escalation, duplicates and hot spots.

Every transition is one entry of :data:`TRANSITIONS` (the only place that says which state
may follow which); a transition not in the table, or one the actor may not take, is a
``ValidationError`` with a clear message and changes nothing. Each step

* locks the appeal row (``select_for_update``) and re-reads its state inside the transaction,
* writes the new state, an immutable :class:`~appeals.models.AppealEvent` and an audit row in
  the same transaction,
* sends its notifications (in-portal :class:`~appeals.models.InboxMessage` rows) with
  ``transaction.on_commit``: a step that rolls back notifies nobody.

Every service takes ``now`` (default :func:`django.utils.timezone.now`) so that demo data can
be backdated and tests can freeze time. ``actor=None`` means an anonymous intake door (the
public form, Open311) or the system (the escalation scan).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, writes
from core.choices import AuditAction
from organizations import scoping
from organizations.choices import OrganizationKind, OrganizationStatus
from organizations.models import PartyOrganization, Region

from .. import sla
from ..choices import (
    DUE_STATUSES,
    Channel,
    EventKind,
    HotSpotSubject,
    InboxKind,
    Level,
    Status,
    level_rank,
)
from ..models import Appeal, AppealEvent, Category, HotSpotAlert, InboxMessage

S = Status

# --- the transition table ---------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """``action`` moves an appeal from any of ``sources`` to ``target``.

    ``who``: ``"dispatcher"`` (anyone who sees the appeal), ``"assignee"`` (someone at or above
    the assigned organization), ``"visitor"`` (a user who sees the appeal, or the worker
    through a verified public door: ``actor=None``), ``"system"`` (the services themselves).
    """

    sources: frozenset[str]
    target: str
    who: str
    label: str


TRANSITIONS: dict[str, Transition] = {
    "dispatch": Transition(
        frozenset({S.RECEIVED, S.DISPUTED, S.REOPENED}), S.DISPATCHED, "dispatcher", "Dispatch"
    ),
    "dispute": Transition(frozenset({S.DISPATCHED}), S.DISPUTED, "assignee", "Dispute"),
    "sign": Transition(frozenset({S.DISPATCHED}), S.SIGNED, "assignee", "Sign for"),
    "start": Transition(frozenset({S.SIGNED}), S.IN_PROGRESS, "assignee", "Start handling"),
    "extend": Transition(frozenset({S.SIGNED, S.IN_PROGRESS}), S.EXTENDED, "assignee", "Extend"),
    "reply": Transition(
        frozenset({S.SIGNED, S.IN_PROGRESS, S.EXTENDED}), S.REPLIED, "assignee", "Reply"
    ),
    "close": Transition(frozenset({S.REPLIED}), S.CLOSED, "dispatcher", "Close"),
    "visit": Transition(frozenset({S.CLOSED}), S.VISITED, "visitor", "Return visit"),
    "archive": Transition(frozenset({S.VISITED}), S.ARCHIVED, "system", "Archive"),
    "reopen": Transition(frozenset({S.VISITED}), S.REOPENED, "system", "Reopen"),
    "escalate": Transition(frozenset(DUE_STATUSES), S.DISPATCHED, "system", "Escalate"),
    "merge": Transition(
        frozenset(
            {S.RECEIVED, S.DISPATCHED, S.DISPUTED, S.SIGNED, S.IN_PROGRESS, S.EXTENDED, S.REOPENED}
        ),
        S.ARCHIVED,
        "dispatcher",
        "Merge as a duplicate",
    ),
}
#: The actions a person takes from a face (the others are taken by the services).
USER_ACTIONS = ("dispatch", "dispute", "sign", "start", "extend", "reply", "close", "visit")

#: Satisfaction scores that count as satisfied (the rest reopen the appeal one level higher).
SATISFIED_SCORES = (4, 5)


def allowed_actions(appeal: Appeal) -> list[str]:
    """The user actions the appeal's state allows (the faces show one form per action)."""
    return [
        name
        for name in USER_ACTIONS
        if appeal.status in TRANSITIONS[name].sources and not (name == "extend" and appeal.extended)
    ]


def _refuse_state(appeal: Appeal, action: str) -> ValidationError:
    return ValidationError(
        _("An appeal in the state “%(status)s” cannot be %(action)s.")
        % {
            "status": Status(appeal.status).label,
            "action": _action_past(action),
        },
        code="invalid_transition",
    )


def _action_past(action: str) -> str:
    return {
        "dispatch": _("dispatched"),
        "dispute": _("disputed"),
        "sign": _("signed for"),
        "start": _("started"),
        "extend": _("extended"),
        "reply": _("replied to"),
        "close": _("closed"),
        "visit": _("visited"),
        "archive": _("archived"),
        "reopen": _("reopened"),
        "escalate": _("escalated"),
        "merge": _("merged"),
    }[action]


# --- levels and the organization tree ---------------------------------------------------------


def level_of_organization(organization: PartyOrganization) -> str:
    """The level of the direct channel an organization stands at."""
    if organization.kind == OrganizationKind.WORKING_COMMITTEE:
        return Level.ORGANIZATION_DEPARTMENT
    if organization.kind == OrganizationKind.INDUSTRY_COMMITTEE:
        return Level.INDUSTRY_COMMITTEE
    return Level.PARTY_BRANCH


def organization_above(organization: PartyOrganization, level: str) -> PartyOrganization | None:
    """The nearest active ancestor of ``organization`` standing at a level above ``level``
    (one query over the ancestors' paths), or ``None`` at the top of the tree."""
    paths = organization.ancestors_paths()
    if not paths:
        return None
    ancestors = PartyOrganization.objects.filter(
        path__in=paths, status=OrganizationStatus.ACTIVE
    ).order_by("-depth")
    for candidate in ancestors:
        if level_rank(level_of_organization(candidate)) > level_rank(level):
            return candidate
    return None


def _first_responder(appeal: Appeal) -> PartyOrganization | None:
    """Where an undispatched overdue appeal goes: the industry committee of its industry,
    else the root working committee."""
    qs = PartyOrganization.objects.filter(status=OrganizationStatus.ACTIVE)
    if appeal.industry_id:
        committee = (
            qs.filter(kind=OrganizationKind.INDUSTRY_COMMITTEE, industry_id=appeal.industry_id)
            .order_by("depth", "id")
            .first()
        )
        if committee is not None:
            return committee
    return qs.filter(parent__isnull=True).order_by("id").first()


# --- helpers ----------------------------------------------------------------------------------


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _policy(appeal: Appeal) -> sla.Policy:
    return sla.policy_for(appeal.category_id, appeal.urgency)


def _sees(actor: Any, appeal: Appeal) -> bool:
    if scoping.is_city_wide(actor):
        return True
    return scoping.visible(Appeal, actor).filter(pk=appeal.pk).exists()


def _sees_organization(actor: Any, organization_id: int | None) -> bool:
    if organization_id is None:
        return False
    if scoping.is_city_wide(actor):
        return True
    return scoping.visible(PartyOrganization, actor).filter(pk=organization_id).exists()


def _check_actor(actor: Any, appeal: Appeal, transition: Transition) -> None:
    """Refuse an actor who may not take ``transition`` on ``appeal``."""
    if transition.who == "system":
        return
    if transition.who == "visitor" and actor is None:
        return  # the worker, through a door that verified the reference and phone digits
    if not _is_user(actor):
        raise ValidationError(_("Sign in to act on an appeal."), code="forbidden")
    if not _sees(actor, appeal):
        raise ValidationError(_("This appeal is outside your scope."), code="out_of_scope")
    if transition.who == "assignee" and not _sees_organization(
        actor, appeal.assigned_organization_id
    ):
        raise ValidationError(
            _("Only the assigned organization (or one above it) may do this."),
            code="not_assignee",
        )


def _lock(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("assigned_organization", "enterprise", "category")
        .get(pk=appeal.pk)
    )


def _sync(target: Appeal, source: Appeal) -> Appeal:
    """Copy the saved state back into the caller's instance."""
    for field in Appeal._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    if source.assigned_organization_id:
        target.assigned_organization = source.assigned_organization
    return target


def _event(
    appeal: Appeal,
    kind: str,
    *,
    actor: Any,
    at: dt.datetime,
    from_status: str,
    from_level: str,
    note: str = "",
    score: int | None = None,
) -> AppealEvent:
    is_user = _is_user(actor)
    return AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else str(actor or _("system")))[:150],
        at=at,
        from_status=from_status,
        to_status=appeal.status,
        from_level=from_level,
        to_level=appeal.level,
        organization=appeal.assigned_organization,
        note=note,
        score=score,
    )


def _audit(actor: Any, appeal: Appeal, before: dict[str, Any], verb: str) -> None:
    changes = audit.diff(before, audit.snapshot(appeal))
    if changes:
        audit.record(
            actor=actor if _is_user(actor) else "system",
            action=AuditAction.UPDATE,
            obj=appeal,
            changes=changes,
            verb=verb,
        )


def notify(
    *,
    kind: str,
    text: str,
    appeal: Appeal | None = None,
    organization: PartyOrganization | None = None,
    user: Any = None,
    at: dt.datetime | None = None,
) -> None:
    """Leave an inbox message once the current transaction commits (never for a rolled-back
    step)."""
    if organization is None and not _is_user(user):
        return
    message = InboxMessage(
        recipient_organization=organization,
        recipient_user=user if _is_user(user) else None,
        appeal=appeal,
        kind=kind,
        text=text[:300],
        created_at=at or timezone.now(),
    )
    transaction.on_commit(message.save)


def _step(
    *,
    action: str,
    actor: Any,
    appeal: Appeal,
    now: dt.datetime | None,
    apply,
    note: str = "",
    score: int | None = None,
    system: bool = False,
) -> Appeal:
    """Run one transition: lock, check state and actor, ``apply(locked, at)``, save, event."""
    transition = TRANSITIONS[action]
    at = _now(now)
    with transaction.atomic():
        locked = _lock(appeal)
        if locked.status not in transition.sources:
            raise _refuse_state(locked, action)
        if not system:
            _check_actor(actor, locked, transition)
        before = audit.snapshot(locked)
        from_status, from_level = locked.status, locked.level
        apply(locked, at)
        locked.status = transition.target
        locked.save()
        _event(
            locked,
            action,
            actor=actor,
            at=at,
            from_status=from_status,
            from_level=from_level,
            note=note,
            score=score,
        )
        _audit(actor, locked, before, action)
    return _sync(appeal, locked)


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --- intake -----------------------------------------------------------------------------------

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I


def new_reference(at: dt.datetime, rng: Any = None) -> str:
    """``SQ`` + the local date + six characters that cannot be guessed (the public follow-up
    door also asks for the phone's last digits)."""
    choice = rng.choice if rng is not None else secrets.choice
    code = "".join(choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"SQ{timezone.localtime(at):%Y%m%d}{code}"


def _intake_check(actor: Any, appeal: Appeal, changed: frozenset[str] | None) -> None:
    if _is_user(actor):
        scoping.ensure_in_scope(actor, appeal, changed)


def appeal_create(
    *,
    actor: Any,
    data: dict[str, Any],
    channel: str | None = None,
    now: dt.datetime | None = None,
    reference: str | None = None,
) -> Appeal:
    """Receive an appeal through any intake door.

    ``data`` holds the model's fields (``category``, ``description``, ``submitter`` or contact,
    ``enterprise``, ``region``, ...); missing industry, region and enterprise are taken from the
    submitter. ``actor`` is the signed-in user (staff, station host, partner system: recorded
    as ``submitted_by``), or ``None`` for an anonymous door. The reference number, the due time
    of dispatch and the expected reply time (Open311 ``expected_datetime``) are set here; the
    hot-spot counters are updated in the same transaction. Likely duplicates are *offered*
    (``selectors.duplicate_candidates``), never merged without a person deciding.
    """
    at = _now(now)
    fields = dict(data)
    fields.pop("status", None)
    if channel:
        fields["channel"] = channel
    submitter = fields.get("submitter")
    if submitter is not None:
        for name in ("industry", "region", "enterprise"):
            if not fields.get(name) and getattr(submitter, f"{name}_id", None):
                fields[name] = getattr(submitter, name)
        fields.setdefault("contact_name", "")
        if not fields.get("contact_name"):
            fields["contact_name"] = submitter.name
    category = fields.get("category")
    if isinstance(category, str):
        fields["category"] = Category.objects.filter(code=category, active=True).first()
        if fields["category"] is None:
            raise ValidationError({"category": _("Unknown appeal category.")})
    fields["level"] = (
        Level.PARTY_MEMBER if fields.get("channel") == Channel.MEMBER_RELAY else Level.WORKER
    )
    fields["status"] = S.RECEIVED
    fields["received_at"] = at
    fields["submitted_by"] = actor if _is_user(actor) else None
    fields["reference"] = reference or new_reference(at)
    urgency = fields.get("urgency") or "normal"
    category_obj = fields.get("category")
    policy = sla.policy_for(getattr(category_obj, "pk", None), urgency)
    fields["due_at"] = sla.dispatch_due(policy, at)
    fields["expected_at"] = sla.expected_reply_at(policy, at)
    with transaction.atomic():
        appeal = writes.create(
            actor=actor if _is_user(actor) else "anonymous",
            model=Appeal,
            data=fields,
            check=_intake_check,
            verb="receive",
        )
        _event(
            appeal,
            EventKind.CREATE,
            actor=actor,
            at=at,
            from_status="",
            from_level="",
            note=Channel(appeal.channel).label,
        )
        hotspots_raise(appeal=appeal, now=at)
    return appeal


# --- the workflow -----------------------------------------------------------------------------


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


# --- escalation -------------------------------------------------------------------------------


def appeal_escalate(*, appeal_id: int, now: dt.datetime | None = None) -> bool:
    """Escalate one overdue appeal one level (督办): to the nearest organization above its
    assigned one at a higher level (an undispatched appeal goes to its industry committee),
    due to be signed for again. Returns whether it escalated.

    Idempotent: the row is locked and the due time re-checked, and the UPDATE is conditional
    on the state and due time read, so two scans (or two workers) escalate it once.
    """
    at = _now(now)
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("assigned_organization", "category")
            .filter(pk=appeal_id, status__in=DUE_STATUSES, due_at__lte=at)
            .first()
        )
        if appeal is None:
            return False
        before = audit.snapshot(appeal)
        from_status, from_level, old_due = appeal.status, appeal.level, appeal.due_at
        current = appeal.assigned_organization
        if current is None:
            target = _first_responder(appeal)
        else:
            target = organization_above(current, appeal.level)
        at_top = target is None
        target = target or current
        level = level_of_organization(target) if target else appeal.level
        if level_rank(level) < level_rank(appeal.level):
            level = appeal.level
        due = sla.sign_due(_policy(appeal), at)
        claimed = Appeal.objects.filter(pk=appeal.pk, status=from_status, due_at=old_due).update(
            status=S.DISPATCHED,
            assigned_organization=target,
            level=level,
            due_at=due,
            escalations=appeal.escalations + 1,
            updated_at=at,
        )
        if not claimed:
            return False
        appeal.status, appeal.assigned_organization, appeal.level = S.DISPATCHED, target, level
        appeal.due_at, appeal.escalations = due, appeal.escalations + 1
        if at_top:
            note = _("Overdue at the top level: the organization is reminded to act.")
        else:
            note = _("Overdue at %(from)s: escalated to %(to)s.") % {
                "from": current or Level(from_level).label,
                "to": target,
            }
        _event(
            appeal,
            EventKind.ESCALATE,
            actor=None,
            at=at,
            from_status=from_status,
            from_level=from_level,
            note=note,
        )
        _audit("system", appeal, before, "escalate")
        notify(
            kind=InboxKind.ESCALATED,
            text=_("Overdue appeal %(ref)s (%(category)s) was escalated to you.")
            % {"ref": appeal.reference, "category": appeal.category.name},
            appeal=appeal,
            organization=target,
            at=at,
        )
    return True


def escalate_overdue(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """The periodic scan: every open appeal whose step is due (one query on the partial
    ``appeal_due_open`` index), escalated one level each. Returns how many escalated."""
    at = _now(now)
    ids = list(
        Appeal.objects.filter(status__in=DUE_STATUSES, due_at__lte=at)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if appeal_escalate(appeal_id=pk, now=at))


# --- duplicates -------------------------------------------------------------------------------


def appeal_merge(
    *, actor: Any, appeal: Appeal, into: Appeal, note: str = "", now: dt.datetime | None = None
) -> Appeal:
    """Merge ``appeal`` into ``into`` as its duplicate: it is archived and points to ``into``
    (or to what ``into`` itself duplicates)."""
    if into is None:
        raise ValidationError({"into": _("Choose the appeal to merge into.")})
    target = into.duplicate_of if into.duplicate_of_id else into
    if target.pk == appeal.pk:
        raise ValidationError({"into": _("An appeal cannot be merged into itself.")})
    if _is_user(actor) and not _sees(actor, target):
        raise ValidationError({"into": _("This appeal is outside your scope.")})

    def apply(locked: Appeal, at: dt.datetime) -> None:
        locked.duplicate_of = target
        locked.due_at = None

    text = note or _("Merged into %(ref)s.") % {"ref": target.reference}
    return _step(action="merge", actor=actor, appeal=appeal, now=now, apply=apply, note=text)


# --- hot spots --------------------------------------------------------------------------------


def hotspot_settings() -> tuple[int, int]:
    """(N appeals, window in days) from ``APPEALS_HOTSPOT_N``/``APPEALS_HOTSPOT_WINDOW_DAYS``."""
    return (
        int(getattr(settings, "APPEALS_HOTSPOT_N", 5)),
        int(getattr(settings, "APPEALS_HOTSPOT_WINDOW_DAYS", 7)),
    )


def _city_of(region: Region | None) -> Region | None:
    if region is None:
        return None
    root = region.path.split("/")[0] + "/" if region.path else ""
    if not root or root == region.path:
        return region
    return Region.objects.filter(path=root).first() or region


def hotspots_raise(*, appeal: Appeal, now: dt.datetime | None = None) -> list[HotSpotAlert]:
    """Count the appeals of ``appeal``'s category against its platform and at its place
    within the window; at N or more, raise an alert (or raise the open alert's count) and
    tell the industry committee. Called at intake, in its transaction."""
    at = _now(now)
    n, window = hotspot_settings()
    since = at - dt.timedelta(days=window)
    base = Appeal.objects.filter(
        category_id=appeal.category_id,
        received_at__gt=since,
        received_at__lte=at,
        duplicate_of__isnull=True,
    )
    subjects: list[tuple[str, dict[str, Any], Q]] = []
    if appeal.platform_id:
        subjects.append(
            (
                HotSpotSubject.PLATFORM,
                {"platform_id": appeal.platform_id, "region": _city_of(appeal.region)},
                Q(platform_id=appeal.platform_id),
            )
        )
    if appeal.region_id:
        subjects.append(
            (
                HotSpotSubject.PLACE,
                {"platform_id": None, "region_id": appeal.region_id},
                Q(region_id=appeal.region_id),
            )
        )
    raised = []
    for subject, target, match in subjects:
        count = base.filter(match).count()
        if count < n:
            continue
        key = {
            "subject": subject,
            "category_id": appeal.category_id,
            "resolved": False,
            "platform_id": target.get("platform_id"),
        }
        if subject == HotSpotSubject.PLACE:
            key["region_id"] = target["region_id"]
        alert = HotSpotAlert.objects.select_for_update().filter(**key).first()
        if alert is None:
            try:
                with transaction.atomic():  # a concurrent intake may raise the same alert
                    alert = HotSpotAlert.objects.create(
                        **key,
                        **(
                            {"region": target["region"]}
                            if subject == HotSpotSubject.PLATFORM
                            else {}
                        ),
                        industry_id=appeal.industry_id,
                        window_days=window,
                        window_start=since,
                        count=count,
                        raised_at=at,
                        last_appeal_at=at,
                    )
                _notify_hotspot(alert, appeal, at)
            except IntegrityError:
                alert = HotSpotAlert.objects.filter(**key).first()
        if alert is not None and alert.raised_at != at:
            alert.count, alert.window_start, alert.last_appeal_at = count, since, at
            alert.save(update_fields=["count", "window_start", "last_appeal_at"])
        if alert is not None:
            raised.append(alert)
    return raised


def _notify_hotspot(alert: HotSpotAlert, appeal: Appeal, at: dt.datetime) -> None:
    responder = _first_responder(appeal)
    notify(
        kind=InboxKind.HOTSPOT,
        text=_("Hot spot: %(alert)s appeals within %(days)s days.")
        % {"alert": alert, "days": alert.window_days},
        appeal=appeal,
        organization=responder,
        at=at,
    )


def hotspot_resolve(*, actor: Any, alert: HotSpotAlert, now: dt.datetime | None = None):
    """Mark a hot-spot alert handled; the next appeals raise a new one."""
    at = _now(now)
    with transaction.atomic():
        if (
            _is_user(actor)
            and not scoping.visible(HotSpotAlert, actor).filter(pk=alert.pk).exists()
        ):
            raise ValidationError(_("This alert is outside your scope."))
        before = audit.snapshot(alert)
        alert.resolved, alert.resolved_at = True, at
        alert.resolved_by = actor if _is_user(actor) else None
        alert.save(update_fields=["resolved", "resolved_at", "resolved_by"])
        changes = audit.diff(before, audit.snapshot(alert))
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=alert, changes=changes, verb="resolve"
        )
    return alert


# --- the inbox --------------------------------------------------------------------------------


def inbox_mark_read(
    *, actor: Any, messages: Iterable[InboxMessage], now: dt.datetime | None = None
) -> int:
    """Mark the given messages (read through ``selectors.inbox_for``) read."""
    ids = [m.pk for m in messages]
    return InboxMessage.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=_now(now))
