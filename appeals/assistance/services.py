"""Writes for assistance funds: validated, scope-checked and audited, one transaction each.

The invariant: a fund never gives more than its budget, and an in-kind item never more than
its quantity — also when two disbursements race. Every write that could break it
(``disbursement_create``, ``fund_update``, ``fund_item_update``) first locks the fund row with
``SELECT ... FOR UPDATE`` and only then sums what is already given, so concurrent writers on one
fund queue behind each other and each sees the previous one's row. (SQLite serializes writers
anyway; ``select_for_update`` is a no-op there.)

Disbursements are never edited or deleted: ``disbursement_cancel`` marks one cancelled with a
reason, which releases its amount or quantity.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import writes
from organizations import scoping

from .choices import DisbursementStatus, FundStatus
from .models import AssistanceFund, Disbursement, FundInKindItem

ZERO = Decimal("0.00")


def _check(actor: Any, instance, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def _locked_fund(actor: Any, fund: AssistanceFund | int, field: str = "fund") -> AssistanceFund:
    """The fund row, locked until the transaction ends; a fund outside the actor's scope is a
    field error (before anything about its money is said)."""
    pk = fund.pk if isinstance(fund, AssistanceFund) else fund
    locked = AssistanceFund.objects.select_for_update().filter(pk=pk).first()
    if locked is None or not scoping.visible(AssistanceFund, actor).filter(pk=pk).exists():
        raise ValidationError({field: _("This fund is outside your scope.")})
    return locked


# --- what has been given ----------------------------------------------------------------------


def fund_disbursed(fund: AssistanceFund) -> Decimal:
    """Money given from ``fund`` (cancelled disbursements excluded)."""
    total = Disbursement.objects.filter(
        fund=fund, status=DisbursementStatus.DISBURSED, amount__isnull=False
    ).aggregate(total=Sum("amount"))["total"]
    # Quantized: SQLite returns sums of decimals with extra places.
    return (total if total is not None else ZERO).quantize(ZERO)


def item_given(item: FundInKindItem) -> int:
    """Quantity of ``item`` given (cancelled disbursements excluded)."""
    total = Disbursement.objects.filter(item=item, status=DisbursementStatus.DISBURSED).aggregate(
        total=Sum("quantity")
    )["total"]
    return int(total or 0)


# --- funds -------------------------------------------------------------------------------------


def fund_create(*, actor: Any, data: dict[str, Any]) -> AssistanceFund:
    """Create a fund in the actor's scope."""
    return writes.create(actor=actor, model=AssistanceFund, data=data, check=_check)


def fund_update(*, actor: Any, fund: AssistanceFund, data: dict[str, Any]) -> AssistanceFund:
    """Change a fund. Its budget cannot go below what it has already given."""
    with transaction.atomic():
        locked = _locked_fund(actor, fund)
        if "budget" in data and data["budget"] is not None:
            try:
                budget = AssistanceFund._meta.get_field("budget").to_python(data["budget"])
            except ValidationError as exc:
                raise ValidationError({"budget": exc.messages}) from None
            spent = fund_disbursed(locked)
            if budget < spent:
                raise ValidationError(
                    {
                        "budget": _(
                            "%(spent)s yuan have already been disbursed from this fund; the "
                            "budget cannot be lower than that."
                        )
                        % {"spent": _yuan(spent)}
                    }
                )
        return writes.update(actor=actor, instance=locked, data=data, check=_check)


def fund_delete(*, actor: Any, fund: AssistanceFund) -> None:
    """Delete a fund that has given nothing yet (its disbursements protect it)."""
    writes.delete(actor=actor, instance=fund, check=_check)


# --- in-kind items ---------------------------------------------------------------------------


def fund_item_create(*, actor: Any, data: dict[str, Any]) -> FundInKindItem:
    """Add an in-kind stock item to a fund."""
    with transaction.atomic():
        if data.get("fund") is not None:
            _locked_fund(actor, data["fund"])
        return writes.create(actor=actor, model=FundInKindItem, data=data, check=_check)


def fund_item_update(
    *, actor: Any, fund_item: FundInKindItem, data: dict[str, Any]
) -> FundInKindItem:
    """Change an item. Its quantity cannot go below what has been given; it stays in its fund."""
    with transaction.atomic():
        _locked_fund(actor, fund_item.fund_id)
        fund_item = FundInKindItem.objects.select_for_update().get(pk=fund_item.pk)
        new_fund = data.get("fund")
        if new_fund is not None and getattr(new_fund, "pk", new_fund) != fund_item.fund_id:
            raise ValidationError({"fund": _("An item cannot move to another fund.")})
        if data.get("quantity_budget") is not None:
            given = item_given(fund_item)
            if int(data["quantity_budget"]) < given:
                raise ValidationError(
                    {
                        "quantity_budget": _(
                            "%(given)s %(unit)s have already been given; the quantity cannot be "
                            "lower than that."
                        )
                        % {"given": given, "unit": fund_item.unit}
                    }
                )
        return writes.update(actor=actor, instance=fund_item, data=data, check=_check)


def fund_item_delete(*, actor: Any, fund_item: FundInKindItem) -> None:
    writes.delete(actor=actor, instance=fund_item, check=_check)


# --- disbursements ---------------------------------------------------------------------------

DISBURSEMENT_FIELDS = (
    "fund",
    "worker",
    "member",
    "amount",
    "item",
    "quantity",
    "purpose",
    "approver",
    "disbursed_on",
    "note",
    "appeal",
    "appeal_reference",
)


def _appeal_in_scope(actor: Any, appeal: Any, reference: str) -> Any:
    """The appeal the aid answers: given, or found by its reference number; either way one the
    actor may see (else a field error that does not tell whether it exists)."""
    from ..models import Appeal

    reference = (reference or "").strip().upper()
    if appeal is None and not reference:
        return None
    visible = scoping.visible(Appeal, actor)
    found = (
        visible.filter(pk=getattr(appeal, "pk", appeal)).first()
        if appeal is not None
        else visible.filter(reference=reference).first()
    )
    if found is None:
        raise ValidationError(
            {"appeal_reference": _("No appeal with this reference number in your scope.")}
        )
    return found


def _to_python(name: str, value: Any) -> Any:
    try:
        return Disbursement._meta.get_field(name).to_python(value)
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from None


def disbursement_create(*, actor: Any, data: dict[str, Any]) -> Disbursement:
    """Give money or an in-kind quantity from a fund to one worker or party member.

    Refused with a field error when the fund is closed, when ``amount`` exceeds what remains of
    the budget, or when ``quantity`` exceeds what remains of the item. The approver defaults to
    the actor.
    """
    unknown = set(data) - set(DISBURSEMENT_FIELDS)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set on a disbursement.") for name in sorted(unknown)}
        )
    data = {k: v for k, v in data.items() if v is not None}
    if data.get("fund") is None:
        raise ValidationError({"fund": _("Choose the fund.")})
    data.setdefault("approver", actor)
    data["appeal"] = _appeal_in_scope(actor, data.get("appeal"), data.pop("appeal_reference", ""))
    amount = _to_python("amount", data.get("amount"))
    quantity = _to_python("quantity", data.get("quantity"))
    with transaction.atomic():
        # The lock is what makes the check below hold under concurrent requests.
        fund = _locked_fund(actor, data["fund"])
        data["fund"] = fund
        if fund.status != FundStatus.ACTIVE:
            raise ValidationError({"fund": _("This fund is closed; it takes no disbursements.")})
        if amount is not None:
            remaining = fund.budget - fund_disbursed(fund)
            if amount > remaining:
                raise ValidationError(
                    {
                        "amount": _("Only %(remaining)s yuan remain in this fund.")
                        % {"remaining": _yuan(remaining)}
                    }
                )
        item = data.get("item")
        if item is not None and quantity is not None:
            item_pk = getattr(item, "pk", item)
            item = FundInKindItem.objects.filter(pk=item_pk, fund=fund).first()
            if item is None:
                raise ValidationError({"item": _("This item belongs to another fund.")})
            remaining_qty = item.quantity_budget - item_given(item)
            if quantity > remaining_qty:
                raise ValidationError(
                    {
                        "quantity": _("Only %(remaining)s %(unit)s of %(item)s remain.")
                        % {"remaining": remaining_qty, "unit": item.unit, "item": item.name}
                    }
                )
            data["item"] = item
        return writes.create(actor=actor, model=Disbursement, data=data, check=_check)


def disbursement_cancel(*, actor: Any, disbursement: Disbursement, reason: str) -> Disbursement:
    """Mark a disbursement cancelled (a mistake, money returned); its amount or quantity goes
    back to the fund. The row stays, with who cancelled it, when and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for cancelling.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("Keep the reason under 200 characters.")})
    with transaction.atomic():
        _locked_fund(actor, disbursement.fund_id)
        row = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
        if row.status == DisbursementStatus.CANCELLED:
            raise ValidationError(_("This disbursement is already cancelled."))
        return writes.update(
            actor=actor,
            instance=row,
            data={
                "status": DisbursementStatus.CANCELLED,
                "cancelled_at": timezone.now(),
                "cancelled_by": actor,
                "cancel_reason": reason,
            },
            check=_check,
            verb="cancel",
        )
