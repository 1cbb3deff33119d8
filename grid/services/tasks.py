"""Publishing tasks, cancelling them and letting them expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core import writes

from .. import conf, geo
from ..choices import WORKING, ClaimStatus, EventKind, TaskStatus
from ..models import Claim, Task, Volunteer
from .common import check, event, reason_text

TASK_FIELDS = (
    "campaign",
    "kind",
    "title",
    "description",
    "region",
    "organization",
    "place",
    "lat",
    "lng",
    "starts_at",
    "ends_at",
    "slots",
    "points",
    "skill",
    "proof_photo",
    "proof_location",
    "proof_code",
    "beneficiary_code",
)
#: What may change once a task is published (place and window are what volunteers claimed).
UPDATABLE = ("title", "description", "slots", "points", "skill", "beneficiary_code")


def _unknown(data: dict[str, Any], allowed) -> None:
    bad = set(data) - set(allowed)
    if bad:
        raise ValidationError({k: _("This field cannot be set here.") for k in sorted(bad)})


def task_data(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the place's h3 cell (a bad coordinate is a field error)."""
    out = {k: v for k, v in data.items() if v is not None}
    lat, lng = out.get("lat"), out.get("lng")
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        field = "lat" if not isinstance(lat, int | float) else "lng"
        raise ValidationError({field: _("Give the place's latitude and longitude.")}) from None
    if not (-90 <= lat <= 90):
        raise ValidationError({"lat": _("A latitude lies between -90 and 90.")})
    if not (-180 <= lng <= 180):
        raise ValidationError({"lng": _("A longitude lies between -180 and 180.")})
    out["lat"], out["lng"] = lat, lng
    out["cell"] = geo.task_cell(lat, lng)
    for name in ("starts_at", "ends_at"):
        out[name] = _aware(out.get(name), name)
    return out


def _aware(value: Any, name: str) -> dt.datetime | None:
    """A time from a sheet or a form: text or naive times are Asia/Shanghai local times."""
    if value is None:
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value.strip().replace("/", "-"))
        if parsed is None:
            raise ValidationError({name: _("Give a time as YYYY-MM-DD HH:MM.")})
        value = parsed
    if not isinstance(value, dt.datetime):
        raise ValidationError({name: _("Give a time as YYYY-MM-DD HH:MM.")})
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _task_check(actor: Any, instance: Task, changed: frozenset[str] | None = None) -> None:
    """The scope check, with "outside your scope" said on the region (what places the task)."""
    try:
        check(actor, instance, changed)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"region": exc.messages}) from None


def task_create(*, actor: Any, data: dict[str, Any]) -> Task:
    """Publish a task in the actor's scope (region and organization are checked)."""
    _unknown(data, TASK_FIELDS)
    data = task_data(data)
    data["published_by"] = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        task = writes.create(actor=actor, model=Task, data=data, check=_task_check)
        event(actor=actor, task=task, kind=EventKind.PUBLISHED)
    return task


def task_update(*, actor: Any, task: Task, data: dict[str, Any]) -> Task:
    """Change what volunteers did not commit to; places cannot drop below those taken."""
    _unknown(data, (*UPDATABLE, *[f for f in TASK_FIELDS if data.get(f) == getattr(task, f, None)]))
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.status in (TaskStatus.CANCELLED, TaskStatus.EXPIRED, TaskStatus.DONE):
            raise ValidationError({"status": _("A closed task cannot change.")})
        slots = data.get("slots")
        if slots is not None and int(slots) < locked.filled:
            raise ValidationError(
                {"slots": _("%(n)d volunteers already hold a place.") % {"n": locked.filled}}
            )
        data = {k: v for k, v in data.items() if k in UPDATABLE}
        task = writes.update(actor=actor, instance=locked, data=data, check=_task_check)
        refresh_status(task)
    return task


def refresh_status(task: Task, now: dt.datetime | None = None) -> Task:
    """Derive the task's status from its places and claims (the task row is locked)."""
    if task.status in (TaskStatus.CANCELLED, TaskStatus.EXPIRED):
        return task
    now = now or timezone.now()
    counts = {
        s: n
        for s, n in Claim.objects.filter(task=task, status__in=(*WORKING, ClaimStatus.VERIFIED))
        .values_list("status")
        .annotate(n=Count("id"))
    }
    working = sum(counts.get(s, 0) for s in WORKING)
    verified = counts.get(ClaimStatus.VERIFIED, 0)
    if task.filled < task.slots and task.ends_at > now:
        status = TaskStatus.OPEN
    elif working:
        status = TaskStatus.CLAIMED
    elif verified:
        status = TaskStatus.DONE
    else:
        status = TaskStatus.EXPIRED if task.ends_at <= now else TaskStatus.OPEN
    if status != task.status:
        Task.objects.filter(pk=task.pk).update(status=status)
        task.status = status
    return task


def _release(claims: list[Claim]) -> None:
    """Claims that stop being worked on give back a place of the volunteer's load."""
    ids = [c.volunteer_id for c in claims if c.status in WORKING]
    for vid in sorted(ids):
        Volunteer.objects.filter(pk=vid, load__gt=0).update(load=F("load") - 1)
    from .volunteers import sync_cells

    sync_cells(ids)


def _close(actor: Any, task: Task, status: str, kind: str, note: str, claim_states) -> Task:
    claims = list(
        Claim.objects.select_for_update().filter(task=task, status__in=claim_states).order_by("pk")
    )
    _release(claims)
    new_claim_status = (
        ClaimStatus.CANCELLED if status == TaskStatus.CANCELLED else ClaimStatus.EXPIRED
    )
    holding = sum(1 for c in claims if c.status in WORKING)
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(
        status=new_claim_status, decided_at=timezone.now()
    )
    Task.objects.filter(pk=task.pk).update(status=status, filled=F("filled") - holding)
    task.refresh_from_db()
    for c in claims:
        c.status = new_claim_status
        event(actor=actor, task=task, claim=c, kind=kind, note=note)
    event(actor=actor, task=task, kind=kind, note=note)
    return task


def task_cancel(*, actor: Any, task: Task, reason: str) -> Task:
    """Cancel a task that is not finished; its invitations and claims are cancelled too (a
    verified claim keeps its points)."""
    reason = reason_text(reason)
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        check(actor, locked, frozenset())
        if locked.status not in (TaskStatus.OPEN, TaskStatus.CLAIMED):
            raise ValidationError(
                {
                    "status": _("A task that is %(status)s cannot be cancelled.")
                    % {"status": locked.get_status_display()}
                }
            )
        return _close(
            actor,
            locked,
            TaskStatus.CANCELLED,
            EventKind.CANCELLED,
            reason,
            (ClaimStatus.INVITED, *WORKING),
        )


def tasks_expire(*, actor: Any = "system", now: dt.datetime | None = None) -> int:
    """Expire tasks whose window ended (plus the proof grace): open invitations and claims
    without proof expire; a task with proof waiting stays for its verifier. Returns how many
    tasks expired."""
    now = now or timezone.now()
    grace = dt.timedelta(minutes=int(conf.get("GRID_PROOF_GRACE_MINUTES")))
    done = 0
    ids = list(
        Task.objects.filter(
            status__in=(TaskStatus.OPEN, TaskStatus.CLAIMED), ends_at__lt=now - grace
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            task = Task.objects.select_for_update().get(pk=pk)
            if task.status not in (TaskStatus.OPEN, TaskStatus.CLAIMED):
                continue
            waiting = Claim.objects.filter(
                task=task, status__in=(ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED)
            ).exists()
            if waiting:
                stale = list(
                    Claim.objects.select_for_update().filter(
                        task=task,
                        status__in=(ClaimStatus.INVITED, ClaimStatus.CLAIMED, ClaimStatus.RETURNED),
                    )
                )
                _release(stale)
                holding = sum(1 for c in stale if c.status in WORKING)
                Claim.objects.filter(pk__in=[c.pk for c in stale]).update(
                    status=ClaimStatus.EXPIRED, decided_at=now
                )
                Task.objects.filter(pk=pk).update(filled=F("filled") - holding)
                task.refresh_from_db()
                for c in stale:
                    c.status = ClaimStatus.EXPIRED
                    event(actor=actor, task=task, claim=c, kind=EventKind.EXPIRED)
                refresh_status(task, now)
                continue
            _close(
                actor,
                task,
                TaskStatus.EXPIRED,
                EventKind.EXPIRED,
                "",
                (ClaimStatus.INVITED, *WORKING),
            )
            done += 1
    return done
