"""Writing the audit trail: services call :func:`record` inside their transaction."""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import bulk
from .choices import AuditAction
from .context import current_request_id
from .models import AuditEvent

PROTECTED_MASK = "***"


def _is_protected(field: models.Field) -> bool:
    # PII fields (core.pii) set ``protected = True``; their values never reach the log.
    return bool(getattr(field, "protected", False))


class MaskedValue(str):
    """A masked value (what the log stores) that compares by the value behind it, so that a
    change hidden by the mask (138****5678 → 138****5678) still counts as a change. The plain
    value stays in memory only: JSON and ``str`` see the mask."""

    __slots__ = ("_raw",)

    def __new__(cls, masked: str, raw: Any):
        obj = super().__new__(cls, masked)
        obj._raw = raw
        return obj

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MaskedValue):
            return self._raw == other._raw
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__


def _protected_display(field: models.Field, value: Any) -> str:
    """The masked value, so that a change is visible without disclosing it."""
    kind = getattr(field, "kind", None)
    if not value or kind is None:
        return MaskedValue(PROTECTED_MASK if value else "", value or "")
    from .pii import mask, normalize

    return MaskedValue(mask(str(value), kind), normalize(str(value), kind))


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance`` (FKs as ids), masking protected fields."""
    out: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in ("path", "depth") or getattr(field, "auto_now", False):
            continue
        if getattr(field, "audit_exclude", False):
            continue
        value = getattr(instance, field.attname)
        out[field.name] = (
            _protected_display(field, value) if _is_protected(field) else _plain(value)
        )
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def record(
    *,
    actor,
    action: str,
    obj: models.Model,
    changes: dict[str, list[Any]] | None = None,
    verb: str = "",
) -> AuditEvent:
    """Write one audit event for ``obj``; call inside the service's transaction."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else str(actor or "system"))[:150],
        action=action,
        verb=verb,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
        request_id=current_request_id(),
    )


def record_create(*, actor, obj: models.Model, verb: str = "") -> AuditEvent:
    return record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=obj,
        changes=diff({}, snapshot(obj)),
        verb=verb,
    )


def record_delete(*, actor, obj: models.Model, verb: str = "") -> AuditEvent:
    return record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=obj,
        changes=diff(snapshot(obj), {}),
        verb=verb,
    )


def record_many(
    *,
    actor,
    action: str,
    objects: Iterable[models.Model],
    verb: str = "",
    changes: Iterable[dict[str, list[Any]]] | None = None,
    reprs: Iterable[str] | None = None,
) -> int:
    """One audit event per object, written with one ``bulk_create`` (set-based jobs that open
    many records at once); same fields as :func:`record`. ``reprs`` are the objects' texts
    when the caller has them cheaper than ``str(obj)``. Returns how many were written."""
    objects = list(objects)
    if not objects:
        return 0
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    label = (actor.get_username() if is_user else str(actor or "system"))[:150]
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    request_id = current_request_id()
    per_object = list(changes) if changes is not None else [{}] * len(objects)
    texts = list(reprs) if reprs is not None else [str(obj) for obj in objects]
    if bulk.supported(AuditEvent):  # one INSERT of columns, no instance per row
        n = len(objects)
        bulk.insert_columns(
            AuditEvent,
            {
                "actor_id": [actor.pk if is_user else None] * n,
                "actor_label": [label] * n,
                "action": [action] * n,
                "verb": [verb] * n,
                "content_type_id": [content_type.pk] * n,
                "object_id": [str(obj.pk) for obj in objects],
                "object_repr": [text[:200] for text in texts],
                "changes": [change or {} for change in per_object],
                "request_id": [request_id] * n,
            },
        )
        return n
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor if is_user else None,
                actor_label=label,
                action=action,
                verb=verb,
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=text[:200],
                changes=change or {},
                request_id=request_id,
            )
            for obj, change, text in zip(objects, per_object, texts, strict=True)
        ],
        batch_size=2_000,
    )
    return len(objects)
