"""Photos of a public appeal: checked, stripped of their metadata and stored privately.

The cleaner itself is :mod:`core.images` (type sniffed by Pillow, byte and pixel limits, EXIF
dropped by re-encoding); this module keeps the appeals' own rule: at most :data:`MAX_PHOTOS`
per appeal, stored in ``core.defaults.private_storage`` (``PRIVATE_MEDIA_ROOT``) under a random
name.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, images
from core.images import FORMATS, CleanPhoto  # noqa: F401  (the names this module had)

from ..models import Appeal
from .models import AppealPhoto

MAX_PHOTOS = 3
MAX_BYTES = images.MAX_BYTES
MAX_PIXELS = images.MAX_PIXELS


def clean_photo(upload: Any) -> CleanPhoto:
    """One upload checked by :func:`core.images.clean_photo` under this module's limits."""
    return images.clean_photo(upload, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS)


def clean_photos(uploads: list[Any]) -> list[CleanPhoto]:
    """Every upload checked; one ``ValidationError`` listing each refused file."""
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("Send at most %(n)d photos.") % {"n": MAX_PHOTOS})
    cleaned, errors = [], []
    for upload in uploads:
        try:
            cleaned.append(clean_photo(upload))
        except ValidationError as exc:
            errors += exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def appeal_photos_attach(*, actor: Any, appeal: Appeal, photos: list[CleanPhoto]) -> int:
    """Store ``photos`` (from :func:`clean_photos`) with ``appeal``; audited. The caller runs
    it in the transaction that created the appeal."""
    if appeal.photos.count() + len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Send at most %(n)d photos.") % {"n": MAX_PHOTOS}})
    written: list[AppealPhoto] = []
    try:
        with transaction.atomic():
            for photo in photos:
                row = AppealPhoto(
                    appeal=appeal,
                    content_type=photo.content_type,
                    size=len(photo.content),
                    width=photo.width,
                    height=photo.height,
                )
                name = photo.random_name()
                row.file.save(name, ContentFile(photo.content), save=False)
                written.append(row)
                row.save()
                audit.record_create(actor=actor, obj=row, verb="appeal_photo_attach")
    except Exception:
        # Nothing was recorded: leave no file behind in the private storage either.
        for row in written:
            row.file.storage.delete(row.file.name)
        raise
    return len(photos)
