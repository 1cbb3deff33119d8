"""What every task-force write shares: the scope check and the "task force office only" rule."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organizations import scoping


def check(actor: Any, instance, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


def require_office(actor: Any) -> None:
    """Meetings, tasks, the measures' catalogue and the research are kept by the task force's
    office (city-wide staff); member units report on what is theirs."""
    scoping.require_city_wide(actor, _("Only the task force office (city-wide staff) may do this."))


def office_may(user: Any, permission: str) -> bool:
    """The faces' question for :func:`require_office`: may ``user`` do this office write (a
    city-wide user holding ``permission``)? Pages show the form and the button only then."""
    return scoping.is_city_wide(user) and user.has_perm(permission)


def require_visible(actor: Any, instance, field: str) -> None:
    """``instance`` must be in ``actor``'s scope; otherwise the same field error as an unknown
    record, so that nothing is disclosed."""
    model = type(instance)
    if not scoping.visible(model, actor).filter(pk=instance.pk).exists():
        raise ValidationError({field: _("Unknown record, or outside your scope.")})


def user_or_none(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def split(data: dict[str, Any], names: tuple[str, ...]) -> tuple[dict, dict]:
    data = dict(data)
    return data, {k: data.pop(k) for k in names if k in data}


def create_with_file(
    *, actor: Any, model, data: dict[str, Any], upload: Any, upload_to: str
) -> Any:
    """Create a document-like record (``file``/``file_name``/``content_type``/``link``) with
    either an uploaded file or a link. The file is checked by its bytes
    (``core.attachments``); a refused file or record is a field error and leaves nothing
    written or stored."""
    from core import attachments, writes

    data = dict(data)
    link = (data.get("link") or "").strip()
    data["link"] = link
    if upload is None and not link:
        raise ValidationError({"file": _("Upload a file or give a link.")})
    if upload is not None and link:
        raise ValidationError({"link": _("Give either a file or a link, not both.")})
    if upload is None:
        return writes.create(actor=actor, model=model, data=data, check=check)
    try:
        checked = attachments.check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    with attachments.stored(checked, upload_to=upload_to) as file:
        data.update(file=file, file_name=checked.original_name, content_type=checked.content_type)
        return writes.create(actor=actor, model=model, data=data, check=check)


def delete_with_files(*, actor: Any, instance, files: list, verb: str = "") -> None:
    """Delete ``instance`` (audited, refused while referenced: ``core.writes.delete``) and,
    once that commits, its stored ``files`` (its own, and those of documents deleted with it)."""
    from django.db import transaction

    from core import attachments, writes

    with transaction.atomic():
        writes.delete(actor=actor, instance=instance, check=check, verb=verb)
        attachments.delete_files_on_commit(files)
