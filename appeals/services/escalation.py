"""Escalation of overdue appeals one level up (the beat scan, once per overdue step)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit

from .. import sla
from ..choices import (
    DUE_STATUSES,
    EventKind,
    InboxKind,
    Level,
    level_rank,
)
from ..models import Appeal
from .deadlines import scan_overdue
from .levels import _first_responder, level_of_organization, organization_above
from .steps import _audit, _event, _now, _policy, notify
from .transitions import S


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


def escalation_scan_run(*, actor: Any, now: dt.datetime | None = None) -> int:
    """The scan run by a person (the board's button): city-wide staff only, since it reads
    every appeal of the city; anyone else is refused with ``PermissionDenied``."""
    from ..selectors import may_run_escalation_scan

    if not may_run_escalation_scan(actor):
        raise PermissionDenied
    return escalate_overdue(now=now)


def escalate_overdue(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """The periodic scan: every open appeal whose step is due (one query on the partial
    ``appeal_due_open`` index), escalated one level each. Returns how many escalated."""
    at = _now(now)
    ids = list(
        Appeal.objects.filter(status__in=DUE_STATUSES, due_at__lte=at)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return scan_overdue(ids, lambda pk: appeal_escalate(appeal_id=pk, now=at))
