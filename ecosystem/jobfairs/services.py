"""Writes of the job fairs: validated, scope-checked and audited, one transaction each.

Applications move APPLIED → INTERVIEWED → HIRED | REJECTED | WITHDRAWN
(``choices.APPLICATION_TRANSITIONS``); a hire locks its position row first and is refused
when the position's openings are all filled, so hires never exceed openings, also when two
staff record the last hire at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, writes
from core.choices import AuditAction
from members.models import Worker
from organizations import scoping
from organizations.roles import is_partner_by_grants

from .choices import (
    APPLICATION_TRANSITIONS,
    ApplicationChannel,
    ApplicationStatus,
)
from .models import Employer, FairParticipation, JobApplication, JobFair, Position


def _check(actor: Any, instance, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


job_fair_create, job_fair_update, job_fair_delete = writes.crud(JobFair, "job_fair", check=_check)
employer_create, employer_update, employer_delete = writes.crud(Employer, "employer")
participation_create, participation_update, participation_delete = writes.crud(
    FairParticipation, "participation", check=_check
)
position_create, position_update, position_delete = writes.crud(Position, "position", check=_check)


def _user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def application_create(
    *, actor: Any, data: dict[str, Any], now: dt.datetime | None = None
) -> JobApplication:
    """Apply to an open position, for a worker in the actor's scope (a partner app on the
    worker's behalf) or for a job seeker named by staff. A worker applies once per position."""
    from .selectors import published_positions

    data = dict(data)
    position = data.get("position")
    worker = data.get("worker")
    errors: dict[str, str] = {}
    pk = getattr(position, "pk", position)
    if pk is None or not published_positions(actor).filter(pk=pk).exists():
        if pk is None or not scoping.visible(Position, actor).filter(pk=pk).exists():
            errors["position"] = _("This position is unknown or outside your scope.")
        else:
            errors["position"] = _("This position is closed.")
    if worker is not None:
        if not scoping.visible(Worker, actor).filter(pk=worker.pk).exists():
            errors["worker"] = _("This worker is outside your scope.")
        elif JobApplication.objects.filter(position_id=pk, worker=worker).exists():
            errors["worker"] = _("This worker has already applied to this position.")
        data.setdefault("applicant_name", worker.name)
    elif not (data.get("applicant_name") or "").strip():
        errors["applicant_name"] = _("Name the applicant, or choose a worker.")
    if errors:
        raise ValidationError(errors)
    partner = is_partner_by_grants(actor)
    data["channel"] = ApplicationChannel.PARTNER_APP if partner else ApplicationChannel.STAFF
    data["status"] = ApplicationStatus.APPLIED
    data["applied_at"] = now or timezone.now()
    data["submitted_by"] = _user(actor)
    with transaction.atomic():
        application = JobApplication(**data)
        application.full_clean(exclude=["submitted_by"])
        application.save()
        audit.record_create(actor=_user(actor) or "system", obj=application)
    return application


def application_advance(
    *,
    actor: Any,
    application: JobApplication,
    status: str,
    on: dt.date | None = None,
) -> JobApplication:
    """Move an application on: interviewed, hired (within the position's openings), not
    hired, or withdrawn."""
    day = on or timezone.localdate()
    with transaction.atomic():
        visible_apps = scoping.visible(JobApplication, actor)
        if not visible_apps.filter(pk=application.pk).exists():
            raise ValidationError({"application": _("This application is outside your scope.")})
        if status == ApplicationStatus.HIRED and is_partner_by_grants(actor):
            raise ValidationError({"status": _("Only the organizers record a hire.")})
        position = Position.objects.select_for_update().get(pk=application.position_id)
        row = JobApplication.objects.select_for_update().get(pk=application.pk)
        if status not in ApplicationStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        if status not in APPLICATION_TRANSITIONS[row.status]:
            raise ValidationError(
                {
                    "status": _("An application that is “%(from)s” cannot become “%(to)s”.")
                    % {
                        "from": ApplicationStatus(row.status).label,
                        "to": ApplicationStatus(status).label,
                    }
                }
            )
        if status == ApplicationStatus.HIRED:
            hired = position.applications.filter(status=ApplicationStatus.HIRED).count()
            if hired >= position.headcount:
                raise ValidationError(
                    {
                        "status": _(
                            "All %(n)d openings of this position are filled; record no more hires."
                        )
                        % {"n": position.headcount}
                    }
                )
        before = audit.snapshot(row)
        row.status = status
        if status == ApplicationStatus.INTERVIEWED:
            row.interviewed_on = day
        if status == ApplicationStatus.HIRED:
            row.hired_on = day
        row.full_clean(exclude=["submitted_by"])
        row.save()
        audit.record(
            actor=_user(actor) or "system",
            action=AuditAction.UPDATE,
            obj=row,
            changes=audit.diff(before, audit.snapshot(row)),
            verb=str(status),
        )
    return row
