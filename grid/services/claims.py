"""Claims both ways (双向认领): a volunteer claims an open task, or the publisher invites
volunteers who accept or decline; then proof, verification (points) or return.

The two limits hold under concurrent requests because every write that takes a place first
locks the task row, then the volunteer row (always in that order), and only then counts:
a task never has more volunteers than it asked for (``filled`` ≤ ``slots``, also a check
constraint), and a volunteer never holds more overlapping claims than
``GRID_MAX_OVERLAPPING_CLAIMS``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, bulk
from core.choices import AuditAction

from .. import conf, geo
from ..choices import WORKING, ClaimStatus, EventKind, TaskStatus, VolunteerStatus
from ..models import Claim, ProofPhoto, Task, TaskEvent, Volunteer
from .common import check, event, reason_text, user_or_none, visible_or_error
from .points import earn
from .tasks import refresh_status
from .volunteers import sync_cells

# --- taking a place ---------------------------------------------------------------------------


def _open_task(task: Task | int) -> Task:
    """The task row, locked; any open task of the city may be claimed (the task directory)."""
    pk = getattr(task, "pk", task)
    locked = Task.objects.select_for_update().filter(pk=pk).first() if pk else None
    if locked is None:
        raise ValidationError({"task": _("No such task.")})
    if locked.status != TaskStatus.OPEN or locked.ends_at <= timezone.now():
        raise ValidationError({"task": _("This task is not open for claims.")})
    return locked


def _take_place(actor: Any, task: Task, volunteer_pk: int, claim: Claim | None, kind: str) -> Claim:
    """Give ``volunteer`` a place on ``task`` (locked): the place, overlap and load checks."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer_pk)
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationError({"volunteer": _("This volunteer is not active.")})
    if task.filled >= task.slots:
        raise ValidationError(
            {"task": _("All %(n)d places on this task are taken.") % {"n": task.slots}}
        )
    limit = int(conf.get("GRID_MAX_OVERLAPPING_CLAIMS"))
    overlapping = Claim.objects.filter(
        volunteer=volunteer,
        status__in=WORKING,
        task__starts_at__lt=task.ends_at,
        task__ends_at__gt=task.starts_at,
    ).count()
    if overlapping >= limit:
        raise ValidationError(
            {
                "task": _(
                    "The volunteer already holds %(n)d task(s) at this time; at most %(limit)d "
                    "may overlap."
                )
                % {"n": overlapping, "limit": limit}
            }
        )
    if volunteer.load >= int(conf.get("GRID_MAX_LOAD")):
        raise ValidationError(
            {
                "volunteer": _("The volunteer has %(n)d tasks in hand already.")
                % {"n": volunteer.load}
            }
        )
    now = timezone.now()
    if claim is None:
        claim = Claim.objects.create(
            task=task, volunteer=volunteer, status=ClaimStatus.CLAIMED, claimed_at=now
        )
    else:
        Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.CLAIMED, claimed_at=now)
        claim.status, claim.claimed_at = ClaimStatus.CLAIMED, now
    Task.objects.filter(pk=task.pk).update(filled=F("filled") + 1)
    task.filled += 1
    Volunteer.objects.filter(pk=volunteer.pk).update(load=F("load") + 1)
    sync_cells([volunteer.pk])
    refresh_status(task, now)
    event(actor=actor, task=task, claim=claim, kind=kind)
    return claim


def task_claim(*, actor: Any, task: Task | int, volunteer: Volunteer | int) -> Claim:
    """A volunteer (in the actor's scope) claims an open task. Refused with a field error when
    every place is taken, when it would overlap more claims in hand than allowed, when the
    volunteer is paused, overloaded or already on the task."""
    volunteer = visible_or_error(
        Volunteer, actor, volunteer, "volunteer", _("No such volunteer in your scope.")
    )
    with transaction.atomic():
        locked = _open_task(task)
        existing = (
            Claim.objects.select_for_update().filter(task=locked, volunteer=volunteer).first()
        )
        if existing is not None and existing.status not in (
            ClaimStatus.INVITED,
            ClaimStatus.DECLINED,
        ):
            raise ValidationError({"task": _("The volunteer is already on this task.")})
        kind = (
            EventKind.ACCEPTED
            if existing and existing.status == ClaimStatus.INVITED
            else EventKind.CLAIMED
        )
        return _take_place(actor, locked, volunteer.pk, existing, kind)


def claim_accept(*, actor: Any, claim: Claim | int) -> Claim:
    """The invited volunteer accepts: a place is taken as in :func:`task_claim`."""
    claim = visible_or_error(Claim, actor, claim, "claim", _("No such invitation in your scope."))
    with transaction.atomic():
        locked = _open_task(claim.task_id)
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.INVITED:
            raise ValidationError(
                {
                    "status": _("Only an invitation can be accepted; this one is %(status)s.")
                    % {"status": claim.get_status_display()}
                }
            )
        return _take_place(actor, locked, claim.volunteer_id, claim, EventKind.ACCEPTED)


def claim_decline(*, actor: Any, claim: Claim | int, reason: str = "") -> Claim:
    claim = visible_or_error(Claim, actor, claim, "claim", _("No such invitation in your scope."))
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.INVITED:
            raise ValidationError(
                {
                    "status": _("Only an invitation can be declined; this one is %(status)s.")
                    % {"status": claim.get_status_display()}
                }
            )
        Claim.objects.filter(pk=claim.pk).update(
            status=ClaimStatus.DECLINED, decided_at=timezone.now()
        )
        claim.status = ClaimStatus.DECLINED
        event(
            actor=actor,
            task=claim.task,
            claim=claim,
            kind=EventKind.DECLINED,
            note=(reason or "")[:200],
        )
    return claim


# --- invitations ------------------------------------------------------------------------------


def _invite(actor: Any, task: Task, volunteer_ids: list[int]) -> list[Claim]:
    now = timezone.now()
    taken = set(Claim.objects.filter(task=task).values_list("volunteer_id", flat=True))
    fresh = [v for v in dict.fromkeys(volunteer_ids) if v not in taken]
    user = user_or_none(actor)
    if fresh and bulk.supported(Claim):
        # The "invite the best 50" path: columns in, keys out, no instance per row before
        # the insert (``core.bulk``).
        n = len(fresh)
        inserted = bulk.insert_columns(
            Claim,
            {
                "task_id": [task.pk] * n,
                "volunteer_id": fresh,
                "status": [ClaimStatus.INVITED] * n,
                "invited_at": [now] * n,
            },
            returning=("id", "volunteer_id"),
        )
        keys = {volunteer_id: pk for pk, volunteer_id in inserted}
        claims = [
            Claim(pk=keys[v], task=task, volunteer_id=v, status=ClaimStatus.INVITED, invited_at=now)
            for v in fresh
        ]
        bulk.insert_columns(
            TaskEvent,
            {
                "task_id": [task.pk] * n,
                "claim_id": [keys[v] for v in fresh],
                "kind": [EventKind.INVITED] * n,
                "actor_id": [getattr(user, "pk", None)] * n,
                "at": [now] * n,
            },
        )
    else:
        claims = Claim.objects.bulk_create(
            [
                Claim(task=task, volunteer_id=v, status=ClaimStatus.INVITED, invited_at=now)
                for v in fresh
            ]
        )
        if claims and claims[0].pk is None:  # backends that do not return keys
            claims = list(Claim.objects.filter(task=task, volunteer_id__in=fresh))
        TaskEvent.objects.bulk_create(
            [
                TaskEvent(task=task, claim=c, kind=EventKind.INVITED, actor=user, at=now)
                for c in claims
            ]
        )
    audit.record_many(
        actor=actor,
        action=AuditAction.CREATE,
        objects=claims,
        verb="invite",
        changes=[{"status": [None, ClaimStatus.INVITED]}] * len(claims),
        reprs=[f"{task.pk}/{c.volunteer_id}" for c in claims],
    )
    return claims


def _published(actor: Any, task: Task | int) -> Task:
    task = visible_or_error(Task, actor, task, "task", _("No such task in your scope."))
    if task.status != TaskStatus.OPEN:
        raise ValidationError({"task": _("Only an open task takes invitations.")})
    return task


def task_invite(*, actor: Any, task: Task | int, volunteers: list[Volunteer | int]) -> list[Claim]:
    """The publisher invites volunteers (each in the actor's scope and active)."""
    task = _published(actor, task)
    ids = [getattr(v, "pk", v) for v in volunteers]
    from organizations import scoping

    found = set(
        scoping.visible(Volunteer, actor)
        .filter(pk__in=ids, status=VolunteerStatus.ACTIVE)
        .values_list("pk", flat=True)
    )
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {
                "volunteers": _("No active volunteer in your scope with id %(ids)s.")
                % {"ids": ", ".join(missing)}
            }
        )
    with transaction.atomic():
        return _invite(actor, task, ids)


def task_invite_best(*, actor: Any, task: Task | int, count: int = 50) -> list[Claim]:
    """Invite the ``count`` most suitable volunteers: nearest first (h3 rings around the place),
    with the skill the task needs, active and not overloaded, not already on the task."""
    from ..selectors import best_volunteers

    if not 1 <= int(count) <= 200:
        raise ValidationError({"count": _("Invite between 1 and 200 volunteers at once.")})
    task = _published(actor, task)
    ids = [v for v, _ring in best_volunteers(task, int(count))]
    with transaction.atomic():
        return _invite(actor, task, ids)


# --- proof and verification -------------------------------------------------------------------

PHOTO_TYPES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def photo_type(data: bytes) -> str | None:
    """The image type from the file's first bytes (the name and declared type can lie)."""
    for magic, kind in PHOTO_TYPES:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def proof_submit(
    *,
    actor: Any,
    claim: Claim | int,
    lat: float | None = None,
    lng: float | None = None,
    at: dt.datetime | None = None,
    code: str = "",
    photo: bytes | None = None,
    note: str = "",
) -> Claim:
    """Submit the proof of a claim (again after a return). A missing required part, a photo
    that is not a JPEG/PNG/WebP or too large, a time in the future are refused; a proof
    outside the time window or too far from the place is accepted and flagged for the
    verifier, as is a beneficiary code that does not match."""
    claim = visible_or_error(Claim, actor, claim, "claim", _("No such claim in your scope."))
    task = claim.task
    errors: dict[str, str] = {}
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=5):
        errors["at"] = _("The proof cannot be in the future.")
    if task.proof_location and (lat is None or lng is None):
        errors["lat"] = _("This task needs the location where it was done.")
    if lat is not None and not -90 <= lat <= 90:
        errors["lat"] = _("A latitude lies between -90 and 90.")
    if lng is not None and not -180 <= lng <= 180:
        errors["lng"] = _("A longitude lies between -180 and 180.")
    code = (code or "").strip()
    if task.proof_code and not code:
        errors["code"] = _("This task needs the code the beneficiary gives.")
    kind = None
    if photo is not None:
        limit = int(conf.get("GRID_PROOF_PHOTO_MAX_BYTES"))
        kind = photo_type(photo)
        if len(photo) > limit:
            errors["photo"] = _("The photo is larger than %(mb).1f MB.") % {"mb": limit / 1048576}
        elif kind is None:
            errors["photo"] = _("The photo must be a JPEG, PNG or WebP image.")
    elif task.proof_photo:
        errors["photo"] = _("This task needs a photo.")
    if errors:
        raise ValidationError(errors)
    grace = dt.timedelta(minutes=int(conf.get("GRID_PROOF_GRACE_MINUTES")))
    distance = (
        round(geo.distance_m(lat, lng, task.lat, task.lng))
        if lat is not None and lng is not None
        else None
    )
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status not in (ClaimStatus.CLAIMED, ClaimStatus.RETURNED):
            raise ValidationError(
                {
                    "status": _("Proof goes with a claim in hand; this one is %(status)s.")
                    % {"status": claim.get_status_display()}
                }
            )
        fields = {
            "status": ClaimStatus.SUBMITTED,
            "submitted_at": now,
            "proof_lat": lat,
            "proof_lng": lng,
            "proof_at": at,
            "proof_note": (note or "")[:300],
            "code_matches": (code == task.beneficiary_code) if task.proof_code else None,
            "distance_m": distance,
            "flag_outside_window": not (task.starts_at - grace <= at <= task.ends_at + grace),
            "flag_too_far": distance is not None
            and distance > int(conf.get("GRID_PROOF_MAX_DISTANCE_M")),
        }
        Claim.objects.filter(pk=claim.pk).update(**fields)
        for k, v in fields.items():
            setattr(claim, k, v)
        if photo is not None:
            ProofPhoto.objects.update_or_create(
                claim=claim,
                defaults={
                    "content_type": kind,
                    "size": len(photo),
                    "data": photo,
                    "uploaded_at": now,
                },
            )
        flags = [
            name
            for name, on in (
                ("outside_window", claim.flag_outside_window),
                ("too_far", claim.flag_too_far),
            )
            if on
        ]
        event(actor=actor, task=task, claim=claim, kind=EventKind.SUBMITTED, note=",".join(flags))
    return claim


def _decidable(actor: Any, claim: Claim | int) -> Claim:
    claim = visible_or_error(Claim, actor, claim, "claim", _("No such claim in your scope."))
    # The verifier is the publisher's side: the task must be in the actor's scope too.
    visible_or_error(Task, actor, claim.task_id, "claim", _("No such claim in your scope."))
    return claim


def claim_verify(*, actor: Any, claim: Claim | int) -> Claim:
    """Accept the proof: the claim is verified and the task's points are earned."""
    claim = _decidable(actor, claim)
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=claim.task_id)
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.SUBMITTED:
            raise ValidationError(
                {
                    "status": _("Only submitted proof can be verified; this claim is %(status)s.")
                    % {"status": claim.get_status_display()}
                }
            )
        now = timezone.now()
        Volunteer.objects.filter(pk=claim.volunteer_id, load__gt=0).update(load=F("load") - 1)
        sync_cells([claim.volunteer_id])
        Claim.objects.filter(pk=claim.pk).update(
            status=ClaimStatus.VERIFIED,
            decided_at=now,
            decided_by=user_or_none(actor),
            points_awarded=task.points,
        )
        claim.status, claim.points_awarded = ClaimStatus.VERIFIED, task.points
        if task.points:
            earn(actor=actor, claim=claim, points=task.points)
        refresh_status(task, now)
        event(actor=actor, task=task, claim=claim, kind=EventKind.VERIFIED)
    return claim


def claim_return(*, actor: Any, claim: Claim | int, reason: str) -> Claim:
    """Send the proof back with a reason; the volunteer may submit again."""
    reason = reason_text(reason)
    claim = _decidable(actor, claim)
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.SUBMITTED:
            raise ValidationError(
                {
                    "status": _("Only submitted proof can be returned; this claim is %(status)s.")
                    % {"status": claim.get_status_display()}
                }
            )
        Claim.objects.filter(pk=claim.pk).update(
            status=ClaimStatus.RETURNED,
            return_reason=reason,
            decided_at=timezone.now(),
            decided_by=user_or_none(actor),
        )
        claim.status, claim.return_reason = ClaimStatus.RETURNED, reason
        event(actor=actor, task=claim.task, claim=claim, kind=EventKind.RETURNED, note=reason)
    return claim


__all__ = [
    "check",
    "claim_accept",
    "claim_decline",
    "claim_return",
    "claim_verify",
    "proof_submit",
    "task_claim",
    "task_invite",
    "task_invite_best",
]
