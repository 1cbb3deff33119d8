"""Escalation of overdue department assignments, on the appeals' engine.

A department that has not reported (or not resolved) by its working-time deadline is pressed
by the party organizations above: the first escalation goes to the chain's committee, each
next one to the organization above the current supervisor (``appeals``' ``organization_above``
over the party tree: chain committee → comprehensive committee → working committee). Each
escalation gives a new deadline (report: the report time again; resolve: the supervision
days), leaves an immutable event, an audit row and an "escalated to you" message in the
supervisor's inbox. The periodic scan (``ecosystem.tasks.escalate_overdue_whistles``, every
5 minutes) runs it over the due times: nobody has to press a button.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.services import (
    level_of_organization,
    notify_escalation,
    organization_above,
    scan_overdue,
)
from core import audit

from .. import sla
from ..choices import DUE_ASSIGNMENT_STATUSES, AssignmentStatus, WhistleEventKind
from ..models import WhistleAssignment
from .workflow import _audit, event


def assignment_escalate(*, assignment_id: int, now: dt.datetime | None = None) -> bool:
    """Escalate one overdue assignment one level; whether it did. Idempotent: the row is
    locked, its due time re-checked, and the UPDATE is conditional on what was read."""
    at = now or timezone.now()
    with transaction.atomic():
        row = (
            WhistleAssignment.objects.select_for_update(of=("self",))
            .select_related("whistle__chain__committee", "supervisor", "department")
            .filter(pk=assignment_id, status__in=DUE_ASSIGNMENT_STATUSES, due_at__lte=at)
            .first()
        )
        if row is None:
            return False
        before = audit.snapshot(row)
        current = row.supervisor
        if current is None:
            target = row.whistle.chain.committee
        else:
            target = organization_above(current, level_of_organization(current))
        at_top = target is None
        target = target or current
        if row.status == AssignmentStatus.ASSIGNED:
            due = sla.report_due(at)
        else:
            due = sla.supervision_due(at)
        claimed = WhistleAssignment.objects.filter(
            pk=row.pk, status=row.status, due_at=row.due_at
        ).update(supervisor=target, due_at=due, escalations=row.escalations + 1)
        if not claimed:
            return False
        row.supervisor, row.due_at, row.escalations = target, due, row.escalations + 1
        step = _("report") if row.status == AssignmentStatus.ASSIGNED else _("resolution")
        if at_top:
            note = _("%(department)s is overdue (%(step)s) at the top level: reminded again.")
        else:
            note = _("%(department)s is overdue (%(step)s): escalated to %(to)s.")
        note = note % {"department": row.department, "step": step, "to": target}
        event(row.whistle, WhistleEventKind.ESCALATE, actor=None, at=at, assignment=row, note=note)
        _audit("system", row, before, "escalate")
        if target is not None:
            notify_escalation(
                organization=target,
                text=_("Overdue whistle %(ref)s: %(note)s")
                % {"ref": row.whistle.reference, "note": note},
                at=at,
            )
    return True


def escalate_overdue_whistles(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """The periodic scan: every open assignment past its due time, escalated one level each
    (one query on the ``whistle_assignment_due`` index). How many escalated."""
    at = now or timezone.now()
    ids = list(
        WhistleAssignment.objects.filter(status__in=DUE_ASSIGNMENT_STATUSES, due_at__lte=at)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return scan_overdue(ids, lambda pk: assignment_escalate(assignment_id=pk, now=at))
