"""Writes of the task force: member units and contacts, meetings with their documents and
decisions, tasks and their progress reports, and the escalation of overdue tasks.

Meetings, decisions and tasks are kept by the task force office (city-wide staff); a member
unit's staff report progress on their unit's tasks. Every write is validated, audited and
scope-checked in one transaction (``core.writes``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import selectors as appeals_selectors
from core import audit, writes
from core.choices import AuditAction

from .choices import OPEN_TASK_STATUSES, TaskStatus
from .common import (
    check,
    create_with_file,
    delete_with_files,
    require_office,
    require_visible,
    split,
    user_or_none,
)
from .models import (
    Decision,
    Meeting,
    MeetingDocument,
    MemberUnit,
    Task,
    TaskForce,
    TaskReport,
    UnitContact,
)

task_force_create, task_force_update, task_force_delete = writes.crud(
    TaskForce, "task_force", guard=require_office, check=check
)
unit_create, unit_update, unit_delete = writes.crud(
    MemberUnit, "unit", guard=require_office, check=check
)
contact_create, contact_update, contact_delete = writes.crud(
    UnitContact, "contact", guard=require_office, check=check
)
# (deletion: document_delete below, which also removes the stored file)
document_create, document_update, _generic_delete = writes.crud(
    MeetingDocument, "document", guard=require_office, check=check
)
decision_create, decision_update, decision_delete = writes.crud(
    Decision, "decision", guard=require_office, check=check
)

_MEETING_M2M = ("attending_units",)


def meeting_create(*, actor: Any, data: dict[str, Any]) -> Meeting:
    """A meeting with the units that attended."""
    require_office(actor)
    fields, related = split(data, _MEETING_M2M)
    return writes.create(actor=actor, model=Meeting, data=fields, related=related, check=check)


def meeting_update(*, actor: Any, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    require_office(actor)
    fields, related = split(data, _MEETING_M2M)
    return writes.update(actor=actor, instance=meeting, data=fields, related=related, check=check)


def meeting_delete(*, actor: Any, meeting: Meeting) -> None:
    """Delete a meeting with its documents and their files."""
    require_office(actor)
    files = [doc.file for doc in meeting.documents.all()]
    delete_with_files(actor=actor, instance=meeting, files=files)


def document_delete(*, actor: Any, document: MeetingDocument) -> None:
    """Remove a meeting document and its file (to replace a file: remove it, attach the new
    one)."""
    require_office(actor)
    require_visible(actor, document, "document")
    delete_with_files(actor=actor, instance=document, files=[document.file], verb="document_delete")


def document_attach(
    *, actor: Any, meeting: Meeting, title: str, upload: Any = None, link: str = ""
) -> MeetingDocument:
    """A document of a meeting: an uploaded file (checked by its bytes, stored privately) or a
    link to the document system."""
    require_office(actor)
    require_visible(actor, meeting, "meeting")
    return create_with_file(
        actor=actor,
        model=MeetingDocument,
        data={"meeting": meeting, "title": title, "link": link},
        upload=upload,
        upload_to="taskforce/meetings/",
    )


# --- tasks ---------------------------------------------------------------------------------


def current_task_force() -> TaskForce | None:
    return TaskForce.objects.select_related("lead", "lead_unit").order_by("pk").first()


def task_deadlines(due_on: dt.date, task_force: TaskForce | None = None):
    """``(due_at, escalate_at)`` of a task due on ``due_on``: the end of that working day (the
    next one when it is off), and that plus the task force's grace in working days."""
    try:
        due_at = appeals_selectors.working_day_end(due_on)
        grace = task_force.escalation_grace_days if task_force else 2
        escalate_at = appeals_selectors.add_working_days(due_at, grace) if grace else due_at
    except appeals_selectors.CalendarYearMissing:
        raise ValidationError(
            {
                "due_on": _(
                    "The official holiday calendar of this date's year is not loaded yet; "
                    "enter it in the admin (holidays and make-up workdays) first."
                )
            }
        ) from None
    return due_at, escalate_at


def task_create(*, actor: Any, data: dict[str, Any]) -> Task:
    """A task for one unit; its due time and escalation time are set on the working-time
    calendar."""
    require_office(actor)
    fields = dict(data)
    for name in ("escalated_at", "escalated_to", "due_at", "escalate_at"):
        fields.pop(name, None)
    if fields.get("due_on"):
        fields["due_at"], fields["escalate_at"] = task_deadlines(
            fields["due_on"], current_task_force()
        )
    return writes.create(actor=actor, model=Task, data=fields, check=check)


def task_update(*, actor: Any, task: Task, data: dict[str, Any]) -> Task:
    """Change a task; a new due date moves its due and escalation times (an escalated task
    stays escalated)."""
    require_office(actor)
    fields = dict(data)
    for name in ("escalated_at", "escalated_to", "due_at", "escalate_at"):
        fields.pop(name, None)
    due_on = fields.get("due_on")
    if due_on and due_on != task.due_on:
        fields["due_at"], fields["escalate_at"] = task_deadlines(due_on, current_task_force())
    if fields.get("status") == TaskStatus.DONE and not (
        fields.get("completed_on") or task.completed_on
    ):
        fields["completed_on"] = timezone.localdate()
    return writes.update(actor=actor, instance=task, data=fields, check=check)


def task_delete(*, actor: Any, task: Task) -> None:
    require_office(actor)
    writes.delete(actor=actor, instance=task, check=check)


def decision_assign(
    *,
    actor: Any,
    decision: Decision,
    units: list,
    due_on: dt.date,
    title: str = "",
) -> list[Task]:
    """Turn a decision into one task per unit, all due on ``due_on``."""
    require_office(actor)
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    with transaction.atomic():
        return [
            task_create(
                actor=actor,
                data={
                    "decision": decision,
                    "title": title or decision.text[:200],
                    "detail": decision.text,
                    "unit": unit,
                    "due_on": due_on,
                },
            )
            for unit in units
        ]


def decision_record(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    units: list,
    due_on: dt.date,
) -> tuple[Decision, list[Task]]:
    """A meeting's next decision and its tasks, one per unit, in one transaction: a bad unit
    list or due date writes neither."""
    require_office(actor)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the decision.")})
    with transaction.atomic():
        number = (
            meeting.decisions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        decision = decision_create(
            actor=actor, data={"meeting": meeting, "number": number, "text": text.strip()}
        )
        tasks = decision_assign(actor=actor, decision=decision, units=units, due_on=due_on)
    return decision, tasks


def task_report(
    *,
    actor: Any,
    task: Task,
    progress: int,
    text: str,
    reported_on: dt.date | None = None,
) -> TaskReport:
    """A progress report by the unit (or the office). 100 % closes the task as done on the
    report's date; a closed task takes no more reports."""
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        require_visible(actor, task, "task")
        if not task.is_open:
            raise ValidationError({"task": _("This task is closed; it takes no more reports.")})
        if progress is None or not 0 <= int(progress) <= 100:
            raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")})
        if progress < task.progress:
            raise ValidationError(
                {"progress": _("Progress cannot go back below %(n)s%%.") % {"n": task.progress}}
            )
        day = reported_on or timezone.localdate()
        if day > timezone.localdate():  # a 100 % report would close the task on a day to come
            raise ValidationError({"reported_on": _("The date cannot be in the future.")})
        report = writes.create(
            actor=actor,
            model=TaskReport,
            data={
                "task": task,
                "progress": progress,
                "text": text,
                "reported_on": day,
                "reported_by": user_or_none(actor),
            },
            check=check,
        )
        before = audit.snapshot(task)
        task.progress = progress
        if progress >= 100:
            task.status, task.completed_on = TaskStatus.DONE, day
        elif task.status == TaskStatus.ASSIGNED:
            task.status = TaskStatus.IN_PROGRESS
        task.save(update_fields=["progress", "status", "completed_on"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=task,
            changes=audit.diff(before, audit.snapshot(task)),
            verb="report progress",
        )
    return report


# --- escalation ----------------------------------------------------------------------------


def task_escalate(*, task_id: int, now: dt.datetime | None = None) -> bool:
    """Escalate one overdue task to the task force's lead. Idempotent: the UPDATE is
    conditional on the task being open, due for escalation and not escalated yet."""
    at = now or timezone.now()
    task_force = current_task_force()
    lead = task_force.lead if task_force else None
    with transaction.atomic():
        claimed = Task.objects.filter(
            pk=task_id,
            status__in=OPEN_TASK_STATUSES,
            escalate_at__lte=at,
            escalated_at__isnull=True,
        ).update(escalated_at=at, escalated_to=lead)
        if not claimed:
            return False
        task = Task.objects.get(pk=task_id)
        audit.record(
            actor="system",
            action=AuditAction.UPDATE,
            obj=task,
            changes={
                "escalated_at": [None, at.isoformat()],
                "escalated_to": [None, lead and lead.pk],
            },
            verb="escalate",
        )
    return True


def escalate_overdue_tasks(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """The periodic scan: every open task past its escalation time, escalated once."""
    at = now or timezone.now()
    ids = list(
        Task.objects.filter(
            status__in=OPEN_TASK_STATUSES, escalate_at__lte=at, escalated_at__isnull=True
        )
        .order_by("escalate_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if task_escalate(task_id=pk, now=at))
