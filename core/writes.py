"""Validated, audited writes that every app's services build on.

Each helper runs in one transaction: validate (``full_clean``), write, re-check with the
caller's ``check`` (the scope), then write the audit row. A refusal anywhere rolls it all back.
"""

from collections.abc import Callable, Mapping
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
) -> M:
    """Create ``model(**data)`` after validation; return the saved instance."""
    with transaction.atomic():
        instance = model(**data)
        instance.full_clean(exclude=exclude_from_clean)
        instance.save()
        check(actor, instance, None)
        audit.record_create(actor=actor, obj=instance, verb=verb)
    return instance


def update(
    *,
    actor: Any,
    instance: M,
    data: Mapping[str, Any],
    check: Check = _no_check,
    verb: str = "",
    exclude_from_clean: list[str] | None = None,
) -> M:
    """Apply ``data`` to ``instance``; audit the fields that changed (old → new)."""
    with transaction.atomic():
        before = audit.snapshot(instance)
        for name, value in data.items():
            setattr(instance, name, value)
        instance.full_clean(exclude=exclude_from_clean)
        instance.save()
        changes = audit.diff(before, audit.snapshot(instance))
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
        manager = getattr(instance, field)
        before = sorted(manager.values_list("pk", flat=True))
        manager.set(values)
        after = sorted(manager.values_list("pk", flat=True))
        if before == after:
            return False
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=instance,
            changes={field: [before, after]},
            verb=verb or f"set_{field}",
        )
    return True
