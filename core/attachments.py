"""Uploaded documents (PDF, Word, Excel, JPEG, PNG) checked by their bytes, stored privately and
sent back only through a scoped view.

- Type: read from the first bytes, never from the file's name or the browser's claim: PDF
  (``%PDF-``), DOCX / XLSX (a zip archive holding ``[Content_Types].xml`` and ``word/`` or
  ``xl/``; only its list of names is read, nothing is unpacked), JPEG, PNG. Anything else is
  refused (a renamed program, an old .doc, a zip of something else).
- Size: at most :data:`MAX_BYTES`; an empty file is refused.
- Storage: ``core.defaults.private_storage`` (``PRIVATE_MEDIA_ROOT``, never served by URL) under
  a random name; the original name is kept on the record for the download.
- Download: :func:`download_response`, ``Content-Disposition: attachment`` with the original
  name. Callers resolve the record through the user's scope first (out of scope → 404).

A refused file raises ``ValidationError`` with a message; the caller puts it on its field.
"""

from __future__ import annotations

import os
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from .defaults import private_storage

MAX_BYTES = 20 * 1024 * 1024
#: kind → (content type, extension)
KINDS = {
    "pdf": ("application/pdf", "pdf"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "jpeg": ("image/jpeg", "jpg"),
    "png": ("image/png", "png"),
}
#: What the file inputs offer (a hint for the browser; the bytes decide).
ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"


@dataclass(frozen=True)
class CheckedFile:
    """An upload whose bytes were recognised: what to store and what to send back."""

    upload: Any
    original_name: str
    kind: str
    content_type: str
    extension: str
    size: int


def _size(upload: Any) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
    return int(size)


def sniff(upload: Any) -> str | None:
    """The kind of file the bytes are (a key of :data:`KINDS`), or ``None``."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def check_upload(upload: Any, *, max_bytes: int | None = None) -> CheckedFile:
    """Check one uploaded file by its bytes and size (at most ``max_bytes``, by default
    :data:`MAX_BYTES`), or raise ``ValidationError``."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    name = os.path.basename(getattr(upload, "name", "") or "") or _("the file")
    size = _size(upload)
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    if size > max_bytes:
        raise ValidationError(
            _("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": max_bytes // 2**20}
        )
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(
            _("%(name)s is not a PDF, Word (.docx), Excel (.xlsx), JPEG or PNG file.")
            % {"name": name}
        )
    content_type, extension = KINDS[kind]
    return CheckedFile(
        upload=upload,
        original_name=name[:200],
        kind=kind,
        content_type=content_type,
        extension=extension,
        size=size,
    )


@contextmanager
def stored(checked: CheckedFile, *, upload_to: str) -> Iterator[File]:
    """The file to assign to a ``FileField(storage=private_storage, upload_to=upload_to)``,
    under a random name; if the block fails (a refused record, a rolled-back write) the stored
    file is removed again, so nothing stays behind."""
    name = f"{uuid.uuid4().hex}.{checked.extension}"
    checked.upload.seek(0)
    try:
        yield File(checked.upload, name=name)
    except BaseException:
        path = os.path.join(upload_to, name)
        storage = private_storage()
        if storage.exists(path):
            storage.delete(path)
        raise


def delete_files_on_commit(files: Iterable[Any]) -> None:
    """Remove the stored ``files`` (``FieldFile`` values; empty ones are skipped) once the
    current transaction commits: a deletion that rolls back keeps its files. Called inside the
    transaction that deletes the records (or clears their fields)."""
    stored = [(f.storage, f.name) for f in files if f]
    if stored:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])


def download_response(
    field_file: Any, *, filename: str = "", content_type: str, inline: bool = False
) -> FileResponse:
    """A privately stored file, never cached, its type not sniffed (404 when it is missing): a
    download under its original name, or shown in the page (``inline``, photos)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    if inline:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = "inline"
    else:
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=filename or os.path.basename(field_file.name),
            content_type=content_type or "application/octet-stream",
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
