"""Medicine cabinets and their stock (a raised quantity is recorded as a restock)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core import writes
from organizations.scoping import ensure_in_scope

from ..models import (
    CabinetStock,
    MedicineCabinet,
    Restock,
)

cabinet_create, cabinet_update, cabinet_delete = writes.crud(
    MedicineCabinet, "cabinet", check=ensure_in_scope
)


def stock_create(*, actor: Any, data: dict[str, Any]) -> CabinetStock:
    return writes.create(actor=actor, model=CabinetStock, data=data, check=ensure_in_scope)


def stock_update(*, actor: Any, stock: CabinetStock, data: dict[str, Any]) -> CabinetStock:
    """Change a stock item; a higher quantity is a restocking and is recorded as one."""
    data = dict(data)
    wanted = data.pop("quantity", stock.quantity)
    added = wanted - stock.quantity if isinstance(wanted, int) else 0
    with transaction.atomic():
        if added > 0:
            cabinet_restock(actor=actor, stock=stock, quantity=added)
        elif wanted != stock.quantity:
            data["quantity"] = wanted
        return writes.update(actor=actor, instance=stock, data=data, check=ensure_in_scope)


def stock_delete(*, actor: Any, stock: CabinetStock) -> None:
    writes.delete(actor=actor, instance=stock, check=ensure_in_scope)


def cabinet_restock(*, actor: Any, stock: CabinetStock, quantity: int) -> Restock:
    """Add ``quantity`` to a stock item and record who did it (an atomic increment)."""
    if not isinstance(quantity, int) or quantity < 1:
        raise ValidationError({"quantity": _("Add at least one.")})
    with transaction.atomic():
        ensure_in_scope(actor, stock, frozenset())
        CabinetStock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + quantity)
        stock.refresh_from_db(fields=["quantity"])
        by = actor if getattr(actor, "is_authenticated", False) else None
        return writes.create(
            actor=actor,
            model=Restock,
            data={"stock": stock, "quantity": quantity, "by": by},
            verb="restock",
        )
