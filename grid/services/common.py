"""What the grid's services share: the event of each step and the scope checks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from organizations import scoping

from ..models import Claim, Task, TaskEvent


def check(actor: Any, instance: models.Model, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


def user_or_none(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def event(
    *, actor: Any, task: Task, kind: str, claim: Claim | None = None, note: str = ""
) -> TaskEvent:
    """The step's event and its audit row (on the claim, or the task)."""
    row = TaskEvent.objects.create(
        task=task, claim=claim, kind=kind, actor=user_or_none(actor), note=note[:200]
    )
    target = claim if claim is not None else task
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=target,
        changes={"status": [None, target.status]} | ({"note": [None, note]} if note else {}),
        verb=kind,
    )
    return row


def visible_or_error(model: type[models.Model], actor: Any, pk: Any, field: str, message: str):
    """The object ``pk`` of ``model`` the actor may see, else a field error."""
    pk = getattr(pk, "pk", pk)
    found = scoping.visible(model, actor).filter(pk=pk).first() if pk else None
    if found is None:
        raise ValidationError({field: message})
    return found


def reason_text(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give a reason.")})
    if len(reason) > 200:
        raise ValidationError({field: _("Keep the reason under 200 characters.")})
    return reason
