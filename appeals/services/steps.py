"""The shared step of every transition: lock, check the actor, write the state, the event and the
audit row, notify on commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from organizations import scoping
from organizations.models import PartyOrganization

from .. import sla
from ..models import Appeal, AppealEvent, InboxMessage
from .transitions import TRANSITIONS, Transition, _refuse_state


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
