"""Validated, audited writes that every app's services build on.

Each helper runs in one transaction: validate (``full_clean``), write, re-check with the
caller's ``check`` (the scope), then write the audit row. A refusal anywhere rolls it all back.
"""

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from . import audit
from .choices import AuditAction

M = TypeVar("M", bound=models.Model)
#: ``check(actor, instance, changed)``: ``changed`` is the set of field names a write changed
#: (``None`` on create: every field is new; empty on delete).
Check = Callable[[Any, models.Model, frozenset[str] | None], None]


def _no_check(actor: Any, instance: models.Model, changed: frozenset[str] | None) -> None:
    return None


def create(
    *,
    actor: Any,
    model: type[M],
    data: Mapping[str, Any],
    check: Check = _no_check,
    verb: str = "",
    exclude_from_clean: list[str] | None = None,
    related: Mapping[str, Iterable[Any]] | None = None,
) -> M:
    """Create ``model(**data)`` after validation, with the many-to-many ``related`` values
    (field → ids or objects); one audit row holds both. Return the saved instance."""
    with transaction.atomic():
        instance = model(**data)
        instance.full_clean(exclude=exclude_from_clean)
        instance.save()
        check(actor, instance, None)
        changes = audit.diff({}, audit.snapshot(instance)) | _set_related(instance, related)
        audit.record(
            actor=actor, action=AuditAction.CREATE, obj=instance, changes=changes, verb=verb
        )
    return instance


def _set_related(
    instance: models.Model, related: Mapping[str, Iterable[Any]] | None
) -> dict[str, list[Any]]:
    """Set many-to-many fields; their changes as ``{field: [old ids, new ids]}``."""
    changes: dict[str, list[Any]] = {}
    for field, values in (related or {}).items():
        manager = getattr(instance, field)
        before = sorted(manager.values_list("pk", flat=True))
        manager.set(values)
        after = sorted(manager.values_list("pk", flat=True))
        if before != after:
            changes[field] = [before, after]
    return changes


def update(
    *,
    actor: Any,
    instance: M,
    data: Mapping[str, Any],
    check: Check = _no_check,
    verb: str = "",
    exclude_from_clean: list[str] | None = None,
    related: Mapping[str, Iterable[Any]] | None = None,
) -> M:
    """Apply ``data`` and the many-to-many ``related`` values to ``instance``; audit what
    changed (old → new, many-to-many as ids) in one row."""
    with transaction.atomic():
        before = audit.snapshot(instance)
        for name, value in data.items():
            setattr(instance, name, value)
        instance.full_clean(exclude=exclude_from_clean)
        instance.save()
        changes = audit.diff(before, audit.snapshot(instance)) | _set_related(instance, related)
        check(actor, instance, frozenset(changes))
        if changes:
            audit.record(
                actor=actor, action=AuditAction.UPDATE, obj=instance, changes=changes, verb=verb
            )
    return instance


def delete(*, actor: Any, instance: models.Model, check: Check = _no_check, verb: str = "") -> None:
    """Delete ``instance``; a record still referenced elsewhere is refused with a clear error."""
    with transaction.atomic():
        check(actor, instance, frozenset())
        audit.record_delete(actor=actor, obj=instance, verb=verb)
        try:
            with transaction.atomic():
                instance.delete()
        except (ProtectedError, RestrictedError) as exc:
            blockers = getattr(exc, "protected_objects", None) or exc.restricted_objects
            names = sorted({str(o._meta.verbose_name) for o in blockers})
            raise ValidationError(
                _("This record is still used by: %(what)s; it cannot be deleted.")
                % {"what": "、".join(names)}
            ) from exc


def set_m2m(*, actor: Any, instance: models.Model, field: str, values, verb: str = "") -> bool:
    """Replace the many-to-many ``field`` of ``instance`` with ``values``; audit the change as
    ``{field: [old ids, new ids]}``. Returns whether anything changed."""
    with transaction.atomic():
        changes = _set_related(instance, {field: values})
        if not changes:
            return False
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=instance,
            changes=changes,
            verb=verb or f"set_{field}",
        )
    return True


def crud(
    model: type[M],
    entity: str,
    *,
    guard: Callable[[Any], None] | None = None,
    check: Check = _no_check,
) -> tuple[Callable[..., M], Callable[..., M], Callable[..., None]]:
    """The ``<entity>_create(*, actor, data)``, ``<entity>_update(*, actor, <entity>, data)`` and
    ``<entity>_delete(*, actor, <entity>)`` services of a model whose writes are exactly
    :func:`create`, :func:`update` and :func:`delete` behind ``guard(actor)`` (a refusal such as
    "city-wide staff only") and the scope ``check``. Models with more to do write their own."""

    def _guard(actor: Any) -> None:
        if guard is not None:
            guard(actor)

    def create_(*, actor: Any, data: Mapping[str, Any]) -> M:
        _guard(actor)
        return create(actor=actor, model=model, data=data, check=check)

    def update_(*, actor: Any, data: Mapping[str, Any], **target: M) -> M:
        (instance,) = _target(target)
        _guard(actor)
        return update(actor=actor, instance=instance, data=data, check=check)

    def delete_(*, actor: Any, **target: M) -> None:
        (instance,) = _target(target)
        _guard(actor)
        delete(actor=actor, instance=instance, check=check)

    def _target(target: dict[str, M]) -> tuple[M]:
        if set(target) != {entity}:
            raise TypeError(f"expected the keyword argument {entity!r}, got {sorted(target)}")
        return (target[entity],)

    kw = inspect.Parameter.KEYWORD_ONLY
    params = {
        "actor": inspect.Parameter("actor", kw, annotation=Any),
        "target": inspect.Parameter(entity, kw, annotation=model),
        "data": inspect.Parameter("data", kw, annotation=Mapping[str, Any]),
    }
    out = []
    for verb, func, names, returns in (
        ("create", create_, ("actor", "data"), model),
        ("update", update_, ("actor", "target", "data"), model),
        ("delete", delete_, ("actor", "target"), None),
    ):
        func.__name__ = func.__qualname__ = f"{entity}_{verb}"
        func.__module__ = model.__module__
        func.__doc__ = f"{verb.capitalize()} a {model._meta.object_name} (validated, audited)."
        func.__signature__ = inspect.Signature(
            [params[n] for n in names], return_annotation=returns
        )
        out.append(func)
    return tuple(out)
