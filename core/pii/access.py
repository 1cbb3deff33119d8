"""Showing (masked), revealing (with the permission and a reason, logged) and exporting
(logged) protected values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import (
    PermissionDenied,
    ValidationError,
)
from django.db import models, transaction
from django.utils.translation import gettext as _

from ..choices import PIIAction
from ..context import current_request_id
from ..models import PIIAccessLog
from .fields import _protected_field
from .values import REVEAL_PERMISSION, mask


def display(obj: models.Model, field_name: str, user: Any = None) -> str:
    """The masked value, for every user: the plaintext comes only from :func:`reveal`."""
    field = _protected_field(type(obj), field_name)
    return mask(getattr(obj, field.attname) or "", field.kind)


def _actor_fields(actor: Any) -> dict[str, Any]:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return {
        "actor": actor if is_user else None,
        "actor_label": (actor.get_username() if is_user else str(actor or "system"))[:150],
    }


def reveal(*, actor: Any, obj: models.Model, field_name: str, reason: str) -> str:
    """The plaintext of ``obj.<field_name>`` for ``actor``, logged with ``reason``.

    Needs the ``core.reveal_pii`` permission (``PermissionDenied`` otherwise, nothing logged)
    and a non-blank reason (``ValidationError``). ``obj`` must have been read through the
    caller's scoped selector: this function checks the permission, not the scope. The log
    row is written in the caller's transaction.
    """
    field = _protected_field(type(obj), field_name)
    if obj.pk is None:
        raise ValueError("Only a saved object's value can be revealed.")
    if actor is None or not actor.has_perm(REVEAL_PERMISSION):
        raise PermissionDenied(_("You are not allowed to reveal protected personal data."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for revealing this value.")})
    with transaction.atomic():
        PIIAccessLog.objects.create(
            **_actor_fields(actor),
            action=PIIAction.REVEAL,
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=str(obj.pk),
            fields=[field.name],
            row_count=1,
            reason=reason,
            request_id=current_request_id(),
        )
    return getattr(obj, field.attname) or ""


def record_export(
    *,
    actor: Any,
    model: type[models.Model],
    fields: Iterable[str],
    row_count: int,
    reason: str = "",
):
    """Log an export of ``row_count`` rows of ``model`` with these ``fields``; call it in the
    export's transaction (or before the file leaves). Returns the log row."""
    if row_count < 0:
        raise ValueError("row_count cannot be negative.")
    return PIIAccessLog.objects.create(
        **_actor_fields(actor),
        action=PIIAction.EXPORT,
        content_type=ContentType.objects.get_for_model(model),
        object_id="",
        fields=list(fields),
        row_count=row_count,
        reason=(reason or "").strip(),
        request_id=current_request_id(),
    )
