"""Party dues: the monthly standard from a yearly declaration, payments covering months, and
hand-overs to the higher committee. Money is ``Decimal``; every write is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, writes
from core.choices import AuditAction
from members.choices import MemberStatus
from members.models import PartyMember

from .. import conf
from ..models import DuesDeclaration, DuesHandover, DuesMonth, DuesPayment
from .common import _check, user_or_none

CENT = Decimal("0.01")
PAYING_STATUSES = (MemberStatus.FULL, MemberStatus.PROBATIONARY)


def dues_standard(*, category: str, monthly_income: Decimal) -> Decimal:
    """The monthly dues for an income after tax: the rate of the income's bracket applied to
    the whole income, or the category's fixed amount (settings; see ``branchlife.conf``)."""
    fixed = conf.dues_fixed()
    if category in fixed:
        return fixed[category].quantize(CENT, rounding=ROUND_HALF_UP)
    brackets = conf.dues_brackets().get(category) or conf.dues_brackets()["employed"]
    income = Decimal(monthly_income)
    for upper, rate in brackets:
        if upper is None or income <= upper:
            return (income * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return Decimal("0.00")


# --- declarations ----------------------------------------------------------------------------


def _derive(data: dict[str, Any], current: DuesDeclaration | None = None) -> dict[str, Any]:
    income = data.get("monthly_income", current.monthly_income if current else None)
    category = data.get("category", current.category if current else "employed")
    if income is None:
        return data
    if Decimal(income) < 0:
        raise ValidationError({"monthly_income": _("The income cannot be negative.")})
    return {**data, "monthly_standard": dues_standard(category=category, monthly_income=income)}


def declaration_create(*, actor: Any, data: dict[str, Any]) -> DuesDeclaration:
    """Record a member's yearly declaration; the monthly standard follows from it."""
    data = {"declared_on": timezone.localdate(), **data}
    if DuesDeclaration.objects.filter(member=data.get("member"), year=data.get("year")).exists():
        raise ValidationError({"year": _("This member already declared for this year.")})
    return writes.create(actor=actor, model=DuesDeclaration, data=_derive(data), check=_check)


def declaration_update(
    *, actor: Any, declaration: DuesDeclaration, data: dict[str, Any]
) -> DuesDeclaration:
    return writes.update(
        actor=actor, instance=declaration, data=_derive(data, declaration), check=_check
    )


def declaration_delete(*, actor: Any, declaration: DuesDeclaration) -> None:
    writes.delete(actor=actor, instance=declaration, check=_check)


# --- payments --------------------------------------------------------------------------------


def _months(months: Iterable[dt.date]) -> list[dt.date]:
    out = []
    for month in months:
        if not isinstance(month, dt.date):
            raise ValidationError({"months": _("Give each month as a date.")})
        out.append(month.replace(day=1))
    if not out:
        raise ValidationError({"months": _("Give at least one month the payment covers.")})
    if len(set(out)) != len(out):
        raise ValidationError({"months": _("A month is listed twice.")})
    return sorted(out)


def _shares(amount: Decimal, n: int) -> list[Decimal]:
    """``amount`` split over ``n`` months to the cent; the last month takes the remainder."""
    share = (amount / n).quantize(CENT, rounding=ROUND_HALF_UP)
    return [share] * (n - 1) + [amount - share * (n - 1)]


def payment_record(
    *,
    actor: Any,
    member: PartyMember,
    months: Iterable[dt.date],
    amount: Decimal,
    channel: str,
    paid_on: dt.date | None = None,
    receipt_number: str = "",
) -> DuesPayment:
    """Record a payment covering ``months``. Refused (field error, nothing written): a negative
    amount, no month, a month listed twice or already covered, a member who does not pay dues.
    An amount below the standard of a month is recorded and flagged, not refused."""
    amount = Decimal(amount)
    if amount < 0:
        raise ValidationError({"amount": _("A payment cannot be negative.")})
    months = _months(months)
    if member.status not in PAYING_STATUSES:
        raise ValidationError({"member": _("This member does not pay dues.")})
    organization_id = member.organization_id or member.host_organization_id
    if organization_id is None:
        raise ValidationError({"member": _("This member belongs to no local organization.")})
    taken = list(
        DuesMonth.objects.filter(member=member, month__in=months).values_list("month", flat=True)
    )
    if taken:
        raise ValidationError(
            {
                "months": _("Already paid: %(months)s.")
                % {"months": "、".join(f"{m:%Y-%m}" for m in sorted(taken))}
            }
        )
    standards = dict(
        DuesDeclaration.objects.filter(
            member=member, year__in={m.year for m in months}
        ).values_list("year", "monthly_standard")
    )
    shares = _shares(amount, len(months))
    rows = [
        DuesMonth(
            member=member,
            organization_id=organization_id,
            month=month,
            amount=share,
            standard=standards.get(month.year),
            below_standard=standards.get(month.year) is not None and share < standards[month.year],
        )
        for month, share in zip(months, shares, strict=True)
    ]
    try:
        with transaction.atomic():
            payment = writes.create(
                actor=actor,
                model=DuesPayment,
                data={
                    "member": member,
                    "organization_id": organization_id,
                    "amount": amount,
                    "channel": channel,
                    "receipt_number": receipt_number,
                    "paid_on": paid_on or timezone.localdate(),
                    "submitted_by": user_or_none(actor),
                },
                check=_check,
                verb="pay",
            )
            for row in rows:
                row.payment = payment
            DuesMonth.objects.bulk_create(rows)
            payment.below_standard = any(r.below_standard for r in rows)
            if payment.below_standard:
                payment.save(update_fields=["below_standard"])
            audit.record_many(
                actor=actor,
                action=AuditAction.CREATE,
                objects=rows,
                verb="pay",
                changes=[
                    {"month": [None, f"{r.month:%Y-%m}"], "amount": [None, str(r.amount)]}
                    for r in rows
                ],
            )
    except IntegrityError:
        # A concurrent payment covered one of these months first.
        raise ValidationError({"months": _("One of these months was just paid.")}) from None
    return payment


def payment_create(*, actor: Any, data: dict[str, Any]) -> DuesPayment:
    """The admin's and the API's create: ``data`` holds the payment's fields and ``months``."""
    data = dict(data)
    return payment_record(
        actor=actor,
        member=data.pop("member"),
        months=data.pop("months", ()),
        amount=data.pop("amount"),
        channel=data.pop("channel"),
        paid_on=data.pop("paid_on", None),
        receipt_number=data.pop("receipt_number", ""),
    )


def payment_delete(*, actor: Any, payment: DuesPayment) -> None:
    """Strike a wrongly recorded payment with the months it covered."""
    with transaction.atomic():
        payment.months.all().delete()
        writes.delete(actor=actor, instance=payment, check=_check)


# --- hand-overs --------------------------------------------------------------------------------


def _handover_data(data: dict[str, Any]) -> dict[str, Any]:
    org = data.get("organization")
    if org is not None and not data.get("to_organization") and org.parent_id:
        data = {**data, "to_organization": org.parent}
    to = data.get("to_organization")
    if org is not None and to is not None and (org.pk == to.pk or not org.is_descendant_of(to)):
        raise ValidationError(
            {"to_organization": _("Dues are handed up to a committee above the organization.")}
        )
    if data.get("amount") is not None and Decimal(data["amount"]) < 0:
        raise ValidationError({"amount": _("An amount cannot be negative.")})
    return data


def handover_create(*, actor: Any, data: dict[str, Any]) -> DuesHandover:
    """Record dues handed up to the higher committee (its parent unless named)."""
    return writes.create(
        actor=actor, model=DuesHandover, data=_handover_data(dict(data)), check=_check
    )


def handover_update(*, actor: Any, handover: DuesHandover, data: dict[str, Any]) -> DuesHandover:
    merged = {
        "organization": data.get("organization", handover.organization),
        "to_organization": data.get("to_organization", handover.to_organization),
        **data,
    }
    _handover_data(merged)
    return writes.update(actor=actor, instance=handover, data=data, check=_check)


def handover_delete(*, actor: Any, handover: DuesHandover) -> None:
    writes.delete(actor=actor, instance=handover, check=_check)
