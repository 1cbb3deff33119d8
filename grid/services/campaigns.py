"""Emergency campaigns (守望相助): open, publish many tasks at once, close with a report."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, writes
from core.choices import AuditAction
from organizations import scoping
from organizations.models import Region

from ..choices import CampaignStatus, EventKind, TaskStatus
from ..models import Campaign, Task, TaskEvent
from .common import check, user_or_none
from .tasks import TASK_FIELDS, task_cancel, task_data


def campaign_open(*, actor: Any, data: dict[str, Any]) -> Campaign:
    data = {**data, "opened_by": user_or_none(actor), "status": CampaignStatus.OPEN}
    return writes.create(actor=actor, model=Campaign, data=data, check=check)


#: The admin's create.
campaign_create = campaign_open


def _row_errors(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [(f, str(m)) for f, msgs in exc.message_dict.items() for m in msgs]
    return [("__all__", m) for m in exc.messages]


def campaign_publish_tasks(
    *, actor: Any, campaign: Campaign, rows: list[dict[str, Any]]
) -> tuple[list[Task], list[dict[str, Any]]]:
    """Publish many tasks of ``campaign`` at once (from an xlsx sheet or a list of places).

    Each row is a task's fields; ``region`` may be a region code (resolved through the actor's
    scope), defaulting to the campaign's region. Good rows are written with one bulk insert;
    each bad row is reported as ``{"row", "field", "reason"}`` and skipped."""
    campaign = scoping.visible(Campaign, actor).filter(pk=campaign.pk).first()
    if campaign is None:
        raise ValidationError({"campaign": _("No such campaign in your scope.")})
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError({"campaign": _("This campaign is closed.")})
    regions = {r.code: r for r in scoping.visible(Region, actor)} if rows else {}
    good: list[Task] = []
    errors: list[dict[str, Any]] = []
    user = user_or_none(actor)
    for number, raw in enumerate(rows, start=1):
        data = {k: v for k, v in raw.items() if k in TASK_FIELDS and v not in (None, "")}
        unknown = set(raw) - set(TASK_FIELDS) - {"row"}
        row_no = raw.get("row", number)
        if unknown:
            errors.append(
                {"row": row_no, "field": sorted(unknown)[0], "reason": _("Unknown column.")}
            )
            continue
        code = data.get("region")
        if code is None:
            data["region"] = campaign.region
        elif not isinstance(code, Region):
            region = regions.get(str(code).strip())
            if region is None:
                errors.append(
                    {"row": row_no, "field": "region", "reason": _("No such region in your scope.")}
                )
                continue
            data["region"] = region
        data.setdefault("organization", campaign.organization)
        data.setdefault("kind", "emergency")
        data["campaign"] = campaign
        try:
            data = task_data(data)
            task = Task(**data, published_by=user)
            task.full_clean(exclude=["cell"])
            if not scoping.visible(Region, actor).filter(pk=task.region_id).exists():
                raise ValidationError({"region": _("No such region in your scope.")})
        except ValidationError as exc:
            for field, reason in _row_errors(exc)[:1]:
                errors.append({"row": row_no, "field": field, "reason": reason})
            continue
        good.append(task)
    with transaction.atomic():
        created = Task.objects.bulk_create(good, batch_size=1000)
        if created and created[0].pk is None:
            created = list(Task.objects.filter(campaign=campaign).order_by("-id")[: len(good)])
        TaskEvent.objects.bulk_create(
            [TaskEvent(task=t, kind=EventKind.PUBLISHED, actor=user) for t in created],
            batch_size=1000,
        )
        audit.record_many(actor=actor, action=AuditAction.CREATE, objects=created, verb="publish")
    return created, errors


def campaign_close(*, actor: Any, campaign: Campaign, reason: str = "") -> Campaign:
    """Close the campaign: its tasks still open without volunteers are cancelled, and the
    figures at closing time are kept as its report."""
    from ..selectors import campaign_figures

    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        check(actor, locked, frozenset())
        if locked.status != CampaignStatus.OPEN:
            raise ValidationError({"status": _("This campaign is already closed.")})
        for task in Task.objects.filter(campaign=locked, status=TaskStatus.OPEN, filled=0):
            task_cancel(actor=actor, task=task, reason=reason or _("The campaign closed."))
        report = campaign_figures(locked)
        return writes.update(
            actor=actor,
            instance=locked,
            data={"status": CampaignStatus.CLOSED, "closed_at": timezone.now(), "report": report},
            check=check,
            verb="close",
        )
