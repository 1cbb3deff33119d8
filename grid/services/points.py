"""The points ledger: earning, staff adjustments, redemptions at stations, yearly expiry.

Every write locks the account row first (``SELECT ... FOR UPDATE``) and only then reads the
balance, so concurrent debits of one account queue behind each other and the second sees the
first's result: the balance never goes negative (the account's check constraint backs this).
Entries are only ever appended. A redemption locks the account, then the reward row, then
decrements the stock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, writes
from core.choices import AuditAction
from organizations import scoping

from .. import conf
from ..choices import EntryKind, VolunteerStatus
from ..models import Claim, PointsAccount, PointsEntry, Redemption, RewardItem, Volunteer
from .common import check, reason_text, user_or_none, visible_or_error


def _locked_account(volunteer_id: int) -> PointsAccount:
    account = PointsAccount.objects.select_for_update().filter(volunteer_id=volunteer_id).first()
    if account is None:
        PointsAccount.objects.get_or_create(volunteer_id=volunteer_id)
        account = PointsAccount.objects.select_for_update().get(volunteer_id=volunteer_id)
    return account


def _append(
    *,
    actor: Any,
    account: PointsAccount,
    kind: str,
    points: int,
    field: str = "points",
    claim: Claim | None = None,
    redemption: Redemption | None = None,
    reason: str = "",
) -> PointsEntry:
    """Append one entry to the (locked) account; a debit beyond the balance is refused."""
    balance = account.balance + points
    if balance < 0:
        raise ValidationError(
            {
                field: _("Only %(balance)d points left; %(need)d are needed.")
                % {"balance": account.balance, "need": -points}
            }
        )
    account.balance = balance
    if points > 0 and kind == EntryKind.EARNED:
        account.earned_total += points
    account.save(update_fields=["balance", "earned_total", "updated_at"])
    entry = PointsEntry.objects.create(
        account=account,
        kind=kind,
        points=points,
        balance_after=balance,
        claim=claim,
        redemption=redemption,
        reason=reason[:200],
        actor=user_or_none(actor),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=entry,
        changes={"points": [None, points], "balance": [balance - points, balance]},
        verb=kind,
    )
    return entry


def earn(*, actor: Any, claim: Claim, points: int) -> PointsEntry:
    """Points for a verified claim (called by ``claim_verify`` inside its transaction)."""
    account = _locked_account(claim.volunteer_id)
    return _append(actor=actor, account=account, kind=EntryKind.EARNED, points=points, claim=claim)


def points_adjust(
    *, actor: Any, volunteer: Volunteer | int, points: int, reason: str
) -> PointsEntry:
    """A staff correction, up or down, with a reason; down never below zero."""
    reason = reason_text(reason)
    try:
        points = int(points)
    except (TypeError, ValueError):
        raise ValidationError({"points": _("Give a whole number of points.")}) from None
    if points == 0:
        raise ValidationError({"points": _("An adjustment changes the balance.")})
    volunteer = visible_or_error(
        Volunteer, actor, volunteer, "volunteer", _("No such volunteer in your scope.")
    )
    with transaction.atomic():
        account = _locked_account(volunteer.pk)
        return _append(
            actor=actor, account=account, kind=EntryKind.ADJUSTED, points=points, reason=reason
        )


def reward_redeem(
    *, actor: Any, volunteer: Volunteer | int, item: RewardItem | int, quantity: int = 1
) -> Redemption:
    """Redeem points for a reward at its station: refused when out of stock or when the
    balance is short, with nothing written."""
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        quantity = 0
    if not 1 <= quantity <= 20:
        raise ValidationError({"quantity": _("Redeem between 1 and 20 at a time.")})
    volunteer = visible_or_error(
        Volunteer, actor, volunteer, "volunteer", _("No such volunteer in your scope.")
    )
    if volunteer.status == VolunteerStatus.LEFT:
        raise ValidationError({"volunteer": _("This volunteer has left the grid.")})
    item = visible_or_error(RewardItem, actor, item, "item", _("No such reward in your scope."))
    with transaction.atomic():
        account = _locked_account(volunteer.pk)
        item = RewardItem.objects.select_for_update().get(pk=item.pk)
        if not item.active:
            raise ValidationError({"item": _("This reward is no longer offered.")})
        if item.stock < quantity:
            raise ValidationError(
                {"item": _("Only %(n)d left in stock.") % {"n": item.stock}}
                if item.stock
                else {"item": _("This reward is out of stock.")}
            )
        cost = item.cost * quantity
        if account.balance < cost:
            raise ValidationError(
                {
                    "points": _("Only %(balance)d points left; %(need)d are needed.")
                    % {"balance": account.balance, "need": cost}
                }
            )
        RewardItem.objects.filter(pk=item.pk).update(stock=item.stock - quantity)
        redemption = Redemption.objects.create(
            account=account, item=item, quantity=quantity, points=cost, actor=user_or_none(actor)
        )
        audit.record_create(actor=actor, obj=redemption, verb="redeem")
        _append(
            actor=actor,
            account=account,
            kind=EntryKind.REDEEMED,
            points=-cost,
            redemption=redemption,
            reason=f"{item.name} × {quantity}",
        )
    return redemption


def points_expire(*, actor: Any = "system", on: dt.date | None = None) -> int:
    """Expire points earned more than ``GRID_POINTS_EXPIRY_YEARS`` before ``on`` that were not
    spent since (first earned, first spent). Returns the points expired in all."""
    years = int(conf.get("GRID_POINTS_EXPIRY_YEARS"))
    if years <= 0:
        return 0
    on = on or timezone.localdate()
    cutoff = timezone.make_aware(dt.datetime(on.year - years, on.month, min(on.day, 28)))
    rows = (
        PointsAccount.objects.filter(balance__gt=0)
        .annotate(
            old=Sum("entries__points", filter=Q(entries__points__gt=0, entries__at__lt=cutoff)),
            spent=Sum("entries__points", filter=Q(entries__points__lt=0)),
        )
        .values_list("pk", "old", "spent")
    )
    total = 0
    for pk, old, spent in rows:
        due = (old or 0) + (spent or 0)
        if due <= 0:
            continue
        with transaction.atomic():
            account = PointsAccount.objects.select_for_update().get(pk=pk)
            amount = min(due, account.balance)
            if amount > 0:
                _append(
                    actor=actor,
                    account=account,
                    kind=EntryKind.EXPIRED,
                    points=-amount,
                    reason=_("Earned before %(date)s") % {"date": cutoff.date().isoformat()},
                )
                total += amount
    return total


# --- the catalogue -------------------------------------------------------------------------------

reward_create, reward_update, reward_delete = writes.crud(RewardItem, "reward", check=check)

__all__ = [
    "earn",
    "points_adjust",
    "points_expire",
    "reward_create",
    "reward_delete",
    "reward_redeem",
    "reward_update",
    "scoping",
]
