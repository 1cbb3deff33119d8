"""Registering grid volunteers and keeping their cells, skills and availability."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, OuterRef, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext as _

from core import writes
from members.models import Worker

from .. import geo
from ..choices import Skill, VolunteerChannel, VolunteerStatus
from ..models import PointsAccount, Volunteer, VolunteerCell
from .common import check, visible_or_error

MAX_CELLS = 20


def _skills(values: Iterable[str] | str | None) -> str:
    if values is None:
        return ""
    if isinstance(values, str):
        values = [v for v in values.replace("，", ",").split(",")]
    codes = [v.strip() for v in values if v and v.strip()]
    unknown = [c for c in codes if c not in Skill.values]
    if unknown:
        raise ValidationError(
            {"skills": _("Unknown skill: %(codes)s.") % {"codes": "、".join(unknown)}}
        )
    return "," + ",".join(sorted(set(codes))) + "," if codes else ""


def _cells(cells: Iterable[Any] | None, worker: Worker) -> list[int]:
    """Cells given (h3 as hex strings or integers), else the cell of the worker's location."""
    out: list[int] = []
    for value in cells or ():
        try:
            cell = geo.hex_to_int(value) if isinstance(value, str) else int(value)
            valid = geo.h3.is_valid_cell(cell)
        except (TypeError, ValueError):
            valid = False
        if not valid:
            raise ValidationError({"cells": _("%(value)s is not an h3 cell.") % {"value": value}})
        res = geo.resolution()
        if geo.h3.get_resolution(cell) != res:
            cell = (
                geo.h3.cell_to_parent(cell, res)
                if geo.h3.get_resolution(cell) > res
                else geo.cell_of(*geo.centre(cell))
            )
        out.append(cell)
    if not out and worker.work_lat is not None and worker.work_lng is not None:
        out = geo.disk(geo.cell_of(worker.work_lat, worker.work_lng), 1)
    if len(set(out)) > MAX_CELLS:
        raise ValidationError({"cells": _("Choose at most %(n)d cells.") % {"n": MAX_CELLS}})
    return sorted(set(out))


def _set_cells(volunteer: Volunteer, cells: list[int]) -> None:
    VolunteerCell.objects.filter(volunteer=volunteer).exclude(cell__in=cells).delete()
    have = set(VolunteerCell.objects.filter(volunteer=volunteer).values_list("cell", flat=True))
    VolunteerCell.objects.bulk_create(
        [VolunteerCell(volunteer=volunteer, cell=c) for c in cells if c not in have]
    )
    sync_cells([volunteer.pk])


def sync_cells(volunteer_ids: Iterable[int]) -> None:
    """Copy the load (when active) and the skills of these volunteers onto their cells: one
    ``UPDATE`` (called after every change of load, status or skills, in its transaction)."""
    ids = sorted(set(volunteer_ids))
    if not ids:
        return
    row = Volunteer.objects.filter(pk=OuterRef("volunteer_id"))
    VolunteerCell.objects.filter(volunteer_id__in=ids).update(
        rank=Subquery(
            row.annotate(
                r=Case(When(status=VolunteerStatus.ACTIVE, then=F("load")), default=None)
            ).values("r")[:1]
        ),
        skills=Subquery(row.values("skills")[:1]),
    )


def volunteer_register(
    *,
    actor: Any,
    worker: Worker | int,
    channel: str = VolunteerChannel.STAFF,
    skills: Iterable[str] | str | None = None,
    availability: str = "",
    cells: Iterable[Any] | None = None,
) -> Volunteer:
    """Register a worker in the actor's scope as a grid volunteer (a partner on the worker's
    behalf, a station host, staff). A worker who left comes back; one already active is
    refused. Cells default to the worker's usual work location and its neighbours."""
    worker = visible_or_error(Worker, actor, worker, "worker", _("No such worker in your scope."))
    if channel not in VolunteerChannel.values:
        raise ValidationError({"channel": _("Choose how the volunteer registers.")})
    skill_text = _skills(skills)
    cell_list = _cells(cells, worker)
    if not cell_list:
        raise ValidationError(
            {"cells": _("The worker has no work location: choose the cells they cover.")}
        )
    with transaction.atomic():
        existing = Volunteer.objects.select_for_update().filter(worker=worker).first()
        data = {
            "worker": worker,
            "channel": channel,
            "skills": skill_text,
            "availability": (availability or "")[:120],
            "home_cell": cell_list[0]
            if worker.work_lat is None
            else geo.cell_of(worker.work_lat, worker.work_lng),
            "status": VolunteerStatus.ACTIVE,
            "left_at": None,
        }
        if existing is not None:
            if existing.status != VolunteerStatus.LEFT:
                raise ValidationError({"worker": _("This worker is already a grid volunteer.")})
            volunteer = writes.update(
                actor=actor, instance=existing, data=data, check=check, verb="rejoin"
            )
        else:
            data["registered_by"] = actor if getattr(actor, "is_authenticated", False) else None
            volunteer = writes.create(actor=actor, model=Volunteer, data=data, check=check)
            PointsAccount.objects.create(volunteer=volunteer)
        _set_cells(volunteer, cell_list)
    return volunteer


def volunteer_create(*, actor: Any, data: dict[str, Any]) -> Volunteer:
    """The admin's create: :func:`volunteer_register` by staff."""
    return volunteer_register(
        actor=actor,
        worker=data.get("worker"),
        channel=data.get("channel") or VolunteerChannel.STAFF,
        skills=data.get("skills"),
        availability=data.get("availability", ""),
    )


def volunteer_update(
    *, actor: Any, volunteer: Volunteer, data: dict[str, Any], cells: Iterable[Any] | None = None
) -> Volunteer:
    """Change skills, availability and (when given) the cells covered."""
    allowed = {"skills", "availability", "channel"}
    bad = set(data) - allowed - {"worker", "status", "home_cell", "load", "registered_by"}
    if bad:
        raise ValidationError({k: _("This field cannot be changed here.") for k in sorted(bad)})
    clean = {k: v for k, v in data.items() if k in allowed}
    if "skills" in clean:
        clean["skills"] = _skills(clean["skills"])
    with transaction.atomic():
        volunteer = writes.update(actor=actor, instance=volunteer, data=clean, check=check)
        if cells is not None:
            cell_list = _cells(cells, volunteer.worker)
            if not cell_list:
                raise ValidationError({"cells": _("Choose at least one cell.")})
            _set_cells(volunteer, cell_list)
        sync_cells([volunteer.pk])
    return volunteer


def _set_status(actor: Any, volunteer: Volunteer, status: str, allowed: tuple, verb: str):
    with transaction.atomic():
        row = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if row.status not in allowed:
            raise ValidationError(
                {
                    "status": _("A volunteer who is %(status)s cannot do this.")
                    % {"status": row.get_status_display()}
                }
            )
        data: dict[str, Any] = {"status": status}
        if status == VolunteerStatus.LEFT:
            data["left_at"] = timezone.now()
        row = writes.update(actor=actor, instance=row, data=data, check=check, verb=verb)
        sync_cells([row.pk])
        return row


def volunteer_pause(*, actor: Any, volunteer: Volunteer) -> Volunteer:
    return _set_status(actor, volunteer, VolunteerStatus.PAUSED, (VolunteerStatus.ACTIVE,), "pause")


def volunteer_resume(*, actor: Any, volunteer: Volunteer) -> Volunteer:
    return _set_status(
        actor, volunteer, VolunteerStatus.ACTIVE, (VolunteerStatus.PAUSED,), "resume"
    )


def volunteer_leave(*, actor: Any, volunteer: Volunteer) -> Volunteer:
    """Leave the grid; claims in hand must be finished or handed back first."""
    if volunteer.load:
        raise ValidationError(
            {"status": _("Finish or hand back the tasks in hand before leaving.")}
        )
    return _set_status(
        actor,
        volunteer,
        VolunteerStatus.LEFT,
        (VolunteerStatus.ACTIVE, VolunteerStatus.PAUSED),
        "leave",
    )
