"""Photos of a meeting: added and removed by whoever may change the meeting (its organization
in the actor's scope, the rule of ``meeting_update``), at most
``BRANCHLIFE_MEETING_MAX_PHOTOS`` per meeting. Each upload goes through ``core.images`` (type
read by Pillow, size and pixel limits, metadata dropped); a refused one is a field error on
``photo`` with nothing written or stored. Each write is audited in its transaction; a removed
photo's file leaves the private storage once the removal is committed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core import attachments, audit, images

from ..conf import meeting_max_photos
from ..models import Meeting, MeetingPhoto
from .common import _check, user_or_none


def meeting_photo_add(*, actor: Any, meeting: Meeting, upload: Any) -> MeetingPhoto:
    """Store ``upload`` (an uploaded file) as a photo of ``meeting``, re-encoded without
    metadata under a random name in the private storage."""
    if upload is None:
        raise ValidationError({"photo": _("Choose a photo to upload.")})
    try:
        clean = images.clean_photo(upload)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None
    stored = ""
    storage = MeetingPhoto._meta.get_field("file").storage
    try:
        with transaction.atomic():
            # The meeting locked: two uploads at once cannot both pass the count.
            locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
            _check(actor, locked, frozenset())
            limit = meeting_max_photos()
            if MeetingPhoto.objects.filter(meeting=locked).count() >= limit:
                raise ValidationError(
                    {"photo": _("A meeting keeps at most %(n)d photos.") % {"n": limit}}
                )
            row = MeetingPhoto(
                meeting=locked,
                content_type=clean.content_type,
                width=clean.width,
                height=clean.height,
                uploaded_by=user_or_none(actor),
            )
            row.file.save(clean.random_name(), ContentFile(clean.content), save=False)
            stored = row.file.name
            row.save()
            audit.record_create(actor=actor, obj=row, verb="meeting_photo_add")
    except Exception:
        # Nothing was recorded: leave no file behind in the private storage either.
        if stored:
            storage.delete(stored)
        raise
    return row


def meeting_photo_remove(*, actor: Any, photo: MeetingPhoto) -> None:
    """Remove ``photo``; its file is deleted from the storage when the removal commits."""
    with transaction.atomic():
        _check(actor, photo.meeting, frozenset())
        _check(actor, photo, frozenset())
        audit.record_delete(actor=actor, obj=photo, verb="meeting_photo_remove")
        photo.delete()
        attachments.delete_files_on_commit([photo.file])
