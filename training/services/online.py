"""Online learning: a worker's progress through a learning resource."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import writes
from members.models import Worker

from ..models import (
    LearningResource,
    ResourceProgress,
)
from .common import UNKNOWN_WORKER, _user_or_none
from .enrollment import _sees


def _progress_for(actor: Any, resource: LearningResource, worker: Worker) -> ResourceProgress:
    if not _sees(actor, Worker, worker.pk):
        raise ValidationError({"worker": str(UNKNOWN_WORKER)})
    progress, _created = ResourceProgress.objects.select_for_update().get_or_create(
        worker=worker, resource=resource, defaults={"submitted_by": _user_or_none(actor)}
    )
    return progress


def resource_view(
    *, actor: Any, resource: LearningResource, worker: Worker, at: dt.datetime | None = None
) -> ResourceProgress:
    """Count one view of a resource by a worker (every view counts)."""
    at = at or timezone.now()
    with transaction.atomic():
        progress = _progress_for(actor, resource, worker)
        ResourceProgress.objects.filter(pk=progress.pk).update(
            views=F("views") + 1, last_viewed_at=at
        )
        ResourceProgress.objects.filter(pk=progress.pk, first_viewed_at__isnull=True).update(
            first_viewed_at=at
        )
        progress.refresh_from_db()
    return progress


def resource_complete(
    *, actor: Any, resource: LearningResource, worker: Worker, at: dt.datetime | None = None
) -> tuple[ResourceProgress, bool]:
    """Mark a resource completed by a worker; ``(progress, created)``. Idempotent per worker
    and item: completing again keeps the first completion time and returns ``created`` False."""
    at = at or timezone.now()
    with transaction.atomic():
        progress = _progress_for(actor, resource, worker)
        if progress.completed_at is not None:
            return progress, False
        progress = writes.update(
            actor=actor,
            instance=progress,
            data={
                "completed_at": at,
                "first_viewed_at": progress.first_viewed_at or at,
                "last_viewed_at": progress.last_viewed_at or at,
            },
            verb="complete",
        )
    return progress, True
