"""Photos of a public appeal: checked, stripped of their metadata and stored privately.

- Type: what Pillow reads the bytes as (JPEG, PNG or WebP), never the file's name or the
  browser's claim; anything else, or a broken file, is refused.
- Size: at most :data:`MAX_BYTES` per file and :data:`MAX_PIXELS` pixels (a "decompression
  bomb" is refused before it is decoded), at most :data:`MAX_PHOTOS` per appeal.
- Metadata: the picture is turned upright by its EXIF orientation, then re-encoded from its
  pixels alone, so EXIF (GPS position, phone model, time), XMP and comments are all dropped.
- Storage: ``core.defaults.private_storage`` (``PRIVATE_MEDIA_ROOT``), under a random name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core import audit

from ..models import Appeal
from .models import AppealPhoto

MAX_PHOTOS = 3
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
#: Pillow format → (content type, extension, format written).
FORMATS = {
    "JPEG": ("image/jpeg", "jpg", "JPEG"),
    "PNG": ("image/png", "png", "PNG"),
    "WEBP": ("image/webp", "webp", "WEBP"),
}


@dataclass(frozen=True)
class CleanPhoto:
    """A photo ready to store: re-encoded bytes without metadata."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def clean_photo(upload: Any) -> CleanPhoto:
    """Check one uploaded file and return it re-encoded without metadata, or raise a
    ``ValidationError`` saying why it is refused (nothing is stored)."""
    name = getattr(upload, "name", "") or _("the file")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": MAX_BYTES // 2**20}
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": MAX_BYTES // 2**20}
        )
    refused = ValidationError(_("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name})
    try:
        with Image.open(BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in FORMATS:
                raise refused
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("%(name)s has too many pixels; send a smaller photo.") % {"name": name}
                )
            probe.verify()
        with Image.open(BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            content_type, extension, out_format = FORMATS[kind]
            if out_format == "JPEG":
                pixels = upright.convert("RGB")
            else:
                pixels = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
            # A new image from the pixels alone: no EXIF, XMP, ICC comments or text chunks.
            clean = Image.new(pixels.mode, pixels.size)
            clean.paste(pixels)
            buffer = BytesIO()
            options = {"quality": 88} if out_format in ("JPEG", "WEBP") else {"optimize": True}
            clean.save(buffer, format=out_format, **options)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise refused from None
    return CleanPhoto(buffer.getvalue(), content_type, extension, clean.width, clean.height)


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
                name = f"{uuid.uuid4().hex}.{photo.extension}"
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
