"""Writes for mobile members (流动党员) from the portal: the activity card (流动党员活动证) is
issued and reviewed, and a transfer letter is drafted and issued in one step. They reuse the
people services' rules (:func:`~members.services.people._validate_activity_card`, the letter
steps), so the admin, the API and the portal cannot disagree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import writes

from ..models import PartyMember, TransferLetter
from .people import _check, _validate_activity_card, letter_create, letter_issue


def activity_card_issue(
    *, actor: Any, member: PartyMember, number: str, issued_on: dt.date | None = None
) -> PartyMember:
    """Issue (or re-issue) a mobile member's activity card: a new card has no review yet."""
    number = (number or "").strip()
    if not number:
        raise ValidationError({"activity_card_number": _("Give the card's number.")})
    data = {
        "activity_card_number": number,
        "activity_card_issued_on": issued_on or timezone.localdate(),
        "activity_card_reviewed_on": None,
    }
    _validate_activity_card(data, member)
    with transaction.atomic():
        return writes.update(
            actor=actor, instance=member, data=data, check=_check, verb="activity_card_issue"
        )


def activity_card_review(
    *, actor: Any, member: PartyMember, reviewed_on: dt.date | None = None
) -> PartyMember:
    """Record the yearly review of a member's activity card (验证)."""
    data = {"activity_card_reviewed_on": reviewed_on or timezone.localdate()}
    if not member.activity_card_issued_on:
        raise ValidationError(
            {"activity_card_reviewed_on": _("A card is reviewed only after it is issued.")}
        )
    _validate_activity_card(data, member)
    with transaction.atomic():
        return writes.update(
            actor=actor, instance=member, data=data, check=_check, verb="activity_card_review"
        )


def letter_draft_and_issue(
    *, actor: Any, data: dict[str, Any], valid_until: dt.date | None
) -> TransferLetter:
    """Draft a letter and issue it at once (the portal's one form); a refused issue leaves no
    draft behind."""
    with transaction.atomic():
        letter = letter_create(actor=actor, data=data)
        return letter_issue(actor=actor, letter=letter, valid_until=valid_until)
