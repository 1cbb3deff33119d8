"""A whistle's steps: raise, route to departments, report, resolve, close.

Each step locks the whistle row, checks the actor's scope, writes the step, an immutable
:class:`~ecosystem.whistles.models.WhistleEvent` and an audit row in one transaction; a refusal
is a field-level ``ValidationError`` and writes nothing. Every step takes ``now`` so that the
demo can backdate and tests can move time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, writes
from core.choices import AuditAction
from organizations import scoping
from organizations.models import Department

from .. import sla
from ..choices import AssignmentStatus, WhistleEventKind, WhistleStatus
from ..models import ChainEnterprise, Policy, Whistle, WhistleAssignment, WhistleEvent


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def event(
    whistle: Whistle,
    kind: str,
    *,
    actor: Any,
    at: dt.datetime,
    assignment: WhistleAssignment | None = None,
    note: str = "",
) -> WhistleEvent:
    return WhistleEvent.objects.create(
        whistle=whistle,
        assignment=assignment,
        kind=kind,
        at=at,
        actor=_user(actor),
        note=note[:300],
    )


def _audit(actor: Any, obj, before: dict, verb: str) -> None:
    changes = audit.diff(before, audit.snapshot(obj))
    if changes:
        audit.record(
            actor=_user(actor) or "system",
            action=AuditAction.UPDATE,
            obj=obj,
            changes=changes,
            verb=verb,
        )


def next_reference(at: dt.datetime) -> str:
    """``CS<year><5 digits>``, numbered per year (吹哨)."""
    prefix = f"CS{timezone.localtime(at).year}"
    last = Whistle.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def _locked(actor: Any, whistle: Whistle | int) -> Whistle:
    pk = whistle.pk if isinstance(whistle, Whistle) else whistle
    locked = Whistle.objects.select_for_update().filter(pk=pk).first()
    if locked is None or not scoping.visible(Whistle, actor).filter(pk=pk).exists():
        raise ValidationError({"whistle": _("This whistle is outside your scope.")})
    return locked


def refresh_status(whistle: Whistle) -> str:
    """The whistle's state from its assignments (closed stays closed)."""
    if whistle.status == WhistleStatus.CLOSED:
        return whistle.status
    states = list(whistle.assignments.values_list("status", flat=True))
    if not states:
        status = WhistleStatus.RAISED
    elif all(s == AssignmentStatus.RESOLVED for s in states):
        status = WhistleStatus.RESOLVED
    elif all(s != AssignmentStatus.ASSIGNED for s in states):
        status = WhistleStatus.REPORTED
    else:
        status = WhistleStatus.ROUTED
    if status != whistle.status:
        Whistle.objects.filter(pk=whistle.pk).update(status=status, updated_at=timezone.now())
        whistle.status = status
    return status


def whistle_raise(
    *,
    actor: Any,
    data: dict[str, Any],
    departments: Iterable[Department] = (),
    now: dt.datetime | None = None,
) -> Whistle:
    """Record a whistle (an enterprise of a chain in the actor's scope); with ``departments``,
    route it at once."""
    at = _now(now)
    data = dict(data)
    enterprise = data.get("enterprise")
    if enterprise is not None and not isinstance(enterprise, ChainEnterprise):
        raise ValidationError({"enterprise": _("Choose an enterprise on a chain.")})
    if enterprise is not None and not data.get("chain"):
        data["chain"] = enterprise.chain
    with transaction.atomic():
        whistle = Whistle(
            **{k: v for k, v in data.items() if k not in {"policies", "status"}},
            raised_at=data.get("raised_at") or at,
            reference=next_reference(at),
            submitted_by=_user(actor),
            status=WhistleStatus.RAISED,
        )
        whistle.full_clean(exclude=["submitted_by"])
        if enterprise is not None and not (
            scoping.visible(ChainEnterprise, actor).filter(pk=enterprise.pk).exists()
        ):
            raise ValidationError({"enterprise": _("This enterprise is outside your scope.")})
        whistle.save()
        audit.record_create(actor=_user(actor) or "system", obj=whistle)
        event(whistle, WhistleEventKind.RAISE, actor=actor, at=whistle.raised_at)
        if departments:
            _route(actor, whistle, list(departments), at)
    return whistle


def _route(actor: Any, whistle: Whistle, departments: list[Department], at: dt.datetime) -> None:
    existing = set(whistle.assignments.values_list("department_id", flat=True))
    new = [d for d in departments if d.pk not in existing]
    if not new:
        raise ValidationError(
            {"departments": _("Choose at least one department not yet responsible for it.")}
        )
    due = sla.report_due(at)
    for department in new:
        assignment = WhistleAssignment.objects.create(
            whistle=whistle, department=department, assigned_at=at, due_at=due
        )
        audit.record_create(actor=_user(actor) or "system", obj=assignment)
        event(
            whistle,
            WhistleEventKind.ROUTE,
            actor=actor,
            at=at,
            assignment=assignment,
            note=_("Routed to %(department)s, to report by %(due)s.")
            % {"department": department, "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")},
        )
    refresh_status(whistle)


def whistle_route(
    *,
    actor: Any,
    whistle: Whistle,
    departments: Iterable[Department],
    now: dt.datetime | None = None,
) -> Whistle:
    """Make departments responsible for an open whistle (each must report in working time)."""
    at = _now(now)
    departments = list(departments)
    with transaction.atomic():
        locked = _locked(actor, whistle)
        if locked.status in (WhistleStatus.RESOLVED, WhistleStatus.CLOSED):
            raise ValidationError({"status": _("This whistle is no longer open.")})
        if not departments:
            raise ValidationError({"departments": _("Choose at least one department.")})
        _route(actor, locked, departments, at)
    return locked


def _locked_assignment(actor: Any, assignment: WhistleAssignment | int) -> WhistleAssignment:
    pk = assignment.pk if isinstance(assignment, WhistleAssignment) else assignment
    _locked(
        actor,
        WhistleAssignment.objects.filter(pk=pk).values_list("whistle_id", flat=True).first() or 0,
    )
    row = (
        WhistleAssignment.objects.select_for_update()
        .select_related("whistle", "department")
        .filter(pk=pk)
        .first()
    )
    if row is None or not scoping.visible(WhistleAssignment, actor).filter(pk=pk).exists():
        raise ValidationError({"assignment": _("This assignment is outside your scope.")})
    return row


def assignment_report(
    *,
    actor: Any,
    assignment: WhistleAssignment,
    note: str = "",
    now: dt.datetime | None = None,
) -> WhistleAssignment:
    """The department reports (报到): it has taken the problem on; it now has the category's
    working days to resolve it."""
    at = _now(now)
    with transaction.atomic():
        row = _locked_assignment(actor, assignment)
        if row.status != AssignmentStatus.ASSIGNED:
            raise ValidationError({"status": _("This department has already reported.")})
        before = audit.snapshot(row)
        row.status = AssignmentStatus.REPORTED
        row.reported_at = at
        row.report_note = (note or "").strip()
        row.due_at = sla.resolve_due(row.whistle.category, at)
        row.save()
        _audit(actor, row, before, "report")
        event(row.whistle, WhistleEventKind.REPORT, actor=actor, at=at, assignment=row, note=note)
        refresh_status(row.whistle)
    return row


def _decimal(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan.")}) from None
    if amount < 0 or amount >= Decimal("1e14"):
        raise ValidationError({field: _("Enter an amount between 0 and 10¹⁴ yuan.")})
    return amount


def assignment_resolve(
    *,
    actor: Any,
    assignment: WhistleAssignment,
    outcome: str,
    loan_amount: Any = 0,
    talents_introduced: int = 0,
    approval_obtained: bool = False,
    policies: Iterable[Policy] = (),
    now: dt.datetime | None = None,
) -> WhistleAssignment:
    """The department resolves its part, with the outcome and its figures and the policies it
    applied (which the whistle then lists)."""
    at = _now(now)
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("Say how the problem was solved.")})
    amount = _decimal(loan_amount, "loan_amount")
    try:
        talents = int(talents_introduced or 0)
    except (TypeError, ValueError):
        raise ValidationError({"talents_introduced": _("Enter a whole number.")}) from None
    if talents < 0 or talents > 1_000_000:
        raise ValidationError({"talents_introduced": _("Enter a number between 0 and 1,000,000.")})
    with transaction.atomic():
        row = _locked_assignment(actor, assignment)
        if row.status == AssignmentStatus.ASSIGNED:
            raise ValidationError({"status": _("The department reports before it resolves.")})
        if row.status == AssignmentStatus.RESOLVED:
            raise ValidationError({"status": _("This department has already resolved it.")})
        before = audit.snapshot(row)
        row.status = AssignmentStatus.RESOLVED
        row.resolved_at = at
        row.due_at = None
        row.outcome = outcome.strip()
        row.loan_amount = amount
        row.talents_introduced = talents
        row.approval_obtained = bool(approval_obtained)
        row.save()
        _audit(actor, row, before, "resolve")
        policies = list(policies)
        if policies:
            writes.set_m2m(
                actor=_user(actor) or "system",
                instance=row.whistle,
                field="policies",
                values=[*row.whistle.policies.all(), *policies],
            )
        event(
            row.whistle, WhistleEventKind.RESOLVE, actor=actor, at=at, assignment=row, note=outcome
        )
        refresh_status(row.whistle)
    return row


def whistle_close(*, actor: Any, whistle: Whistle, now: dt.datetime | None = None) -> Whistle:
    """Close a resolved whistle (the enterprise confirmed the answer)."""
    at = _now(now)
    with transaction.atomic():
        locked = _locked(actor, whistle)
        if locked.status != WhistleStatus.RESOLVED:
            raise ValidationError(
                {"status": _("Only a whistle every department has resolved can be closed.")}
            )
        before = audit.snapshot(locked)
        locked.status = WhistleStatus.CLOSED
        locked.closed_at = at
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        _audit(actor, locked, before, "close")
        event(locked, WhistleEventKind.CLOSE, actor=actor, at=at)
    return locked


def whistle_create(*, actor: Any, data: dict[str, Any]) -> Whistle:
    """The admin's and the API's create: ``whistle_raise`` with the departments in ``data``."""
    data = dict(data)
    departments = data.pop("departments", None) or ()
    return whistle_raise(actor=actor, data=data, departments=departments)
