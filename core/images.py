"""Uploaded photos, checked and stripped of their metadata; one cleaner for every app that
takes pictures (appeals' photos, branch meetings' photos).

- Type: what Pillow reads the bytes as (JPEG, PNG or WebP), never the file's name or the
  browser's claim; anything else, or a broken file, is refused.
- Size: at most :data:`MAX_BYTES` per file and :data:`MAX_PIXELS` pixels (a "decompression
  bomb" is refused before it is decoded). How many photos a record may hold is each app's rule.
- Metadata: the picture is turned upright by its EXIF orientation, then re-encoded from its
  pixels alone, so EXIF (GPS position, phone model, time), XMP and comments are all dropped.
- Storage is the caller's: ``core.defaults.private_storage`` under :func:`random_name`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

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

    def random_name(self) -> str:
        """A random file name with this photo's extension (nothing of the sender's name)."""
        return f"{uuid.uuid4().hex}.{self.extension}"


def clean_photo(
    upload: Any, *, max_bytes: int | None = None, max_pixels: int | None = None
) -> CleanPhoto:
    """Check one uploaded file and return it re-encoded without metadata, or raise a
    ``ValidationError`` saying why it is refused (nothing is stored). The limits default to
    :data:`MAX_BYTES` and :data:`MAX_PIXELS`."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    max_pixels = MAX_PIXELS if max_pixels is None else max_pixels
    name = getattr(upload, "name", "") or _("the file")
    too_large = ValidationError(
        _("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": max(1, max_bytes // 2**20)}
    )
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise too_large
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    refused = ValidationError(_("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name})
    try:
        with Image.open(BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in FORMATS:
                raise refused
            if width * height > max_pixels:
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
