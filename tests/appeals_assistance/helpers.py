"""Arranging disbursements through the service."""

from decimal import Decimal

from appeals.assistance import services


def give(actor, fund, *, worker=None, member=None, amount=None, item=None, quantity=None, **kw):
    data = {
        "fund": fund,
        "worker": worker,
        "member": member,
        "amount": Decimal(amount) if amount is not None else None,
        "item": item,
        "quantity": quantity,
        "purpose": kw.pop("purpose", "hardship"),
        **kw,
    }
    return services.disbursement_create(actor=actor, data=data)
