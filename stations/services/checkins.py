"""A worker's check-in at a station (once a minute)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import writes
from members.models import Worker
from organizations import scoping

from ..choices import StationStatus
from ..models import (
    CheckIn,
    Station,
)


def checkin_record(
    *,
    actor: Any,
    station: Station,
    worker: Worker,
    channel: str,
    at: dt.datetime | None = None,
) -> tuple[CheckIn, bool]:
    """Record a worker's visit; ``(check_in, created)``.

    Idempotent per worker, station and minute: a repeat within the same minute (a retried
    request, a double scan) returns the existing check-in with ``created`` False.
    """
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"at": _("A check-in cannot be in the future.")})
    if station.status != StationStatus.ACTIVE:
        raise ValidationError({"station": _("This station is not open for check-ins.")})
    if not scoping.visible(Worker, actor).filter(pk=worker.pk).exists():
        raise ValidationError({"worker": _("This worker is outside your scope.")})
    minute = at.replace(second=0, microsecond=0)
    existing = CheckIn.objects.filter(worker=worker, station=station, minute=minute).first()
    if existing is not None:
        return existing, False
    submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            check_in = writes.create(
                actor=actor,
                model=CheckIn,
                data={
                    "worker": worker,
                    "station": station,
                    "at": at,
                    "channel": channel,
                    "submitted_by": submitted_by,
                },
                verb="check_in",
                exclude_from_clean=["minute"],
            )
    except IntegrityError:
        # A concurrent twin won the race on the unique (worker, station, minute).
        return CheckIn.objects.get(worker=worker, station=station, minute=minute), False
    return check_in, True
