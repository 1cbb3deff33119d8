"""What the public door's notice promises (``appeals/public/_notice.html``): an appeal's
personal information is kept while it is handled and :data:`RETENTION_YEARS` after it is
archived, then made anonymous (``core.retention``).

The appeal stays, for the statistics, the hot spots' history and its chain of events: what
goes is who sent it and what could name them — the contact name and phone, the link to the
worker, the description, the location and its coordinates, the media link, and the photos
(rows with a deletion audit row each; the files after the transaction commits).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import attachments, audit, retention
from core.choices import AuditAction

from ..choices import Status
from ..models import Appeal, AppealEvent
from ..photos.models import AppealPhoto

#: Years an archived appeal keeps its personal information (shown on the public notice).
RETENTION_YEARS = 3


def past_retention(now: dt.datetime | None = None) -> QuerySet[Appeal]:
    """Archived appeals, not yet anonymous, archived before the period's start."""
    archived_before = AppealEvent.objects.filter(
        appeal=OuterRef("pk"),
        to_status=Status.ARCHIVED,
        at__lt=retention.cutoff(RETENTION_YEARS, now),
    )
    return Appeal.objects.filter(
        Exists(archived_before), status=Status.ARCHIVED, anonymized_at__isnull=True
    )


def appeals_anonymize_past_retention(*, actor: Any = "appeals.retention", now=None) -> int:
    """Make every appeal past its retention period anonymous; returns how many. Runs nightly
    (``appeals.tasks.anonymize_past_retention``); safe to run twice."""
    now = now or timezone.now()
    cleared = {
        "contact_name": "",
        "contact_phone": "",
        "submitter": None,
        "description": _("Deleted after the retention period."),
        "media_url": "",
        "location": "",
        "latitude": None,
        "longitude": None,
    }
    return retention.anonymize(
        actor=actor,
        queryset=past_retention(now),
        cleared=cleared,
        verb="appeal_anonymize",
        now=now,
        then=lambda batch: _delete_photos(actor, batch),
    )


def _delete_photos(actor: Any, batch: list[Appeal]) -> None:
    photos = list(AppealPhoto.objects.filter(appeal__in=batch))
    if not photos:
        return
    audit.record_many(
        actor=actor,
        action=AuditAction.DELETE,
        objects=photos,
        verb="appeal_photo_retention",
        reprs=[f"{p.appeal_id}/{p.pk}" for p in photos],
    )
    AppealPhoto.objects.filter(pk__in=[p.pk for p in photos]).delete()
    attachments.delete_files_on_commit(p.file for p in photos)
