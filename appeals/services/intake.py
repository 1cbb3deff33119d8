"""Intake: a new appeal from the staff form, the public door or Open311, with its reference
number."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import writes
from organizations import scoping

from .. import sla
from ..choices import (
    Channel,
    EventKind,
    Level,
)
from ..models import Appeal, Category
from .hotspots import hotspots_raise
from .steps import _event, _is_user, _now
from .transitions import S

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I


def new_reference(at: dt.datetime, rng: Any = None) -> str:
    """``SQ`` + the local date + six characters that cannot be guessed (the public follow-up
    door also asks for the phone's last digits)."""
    choice = rng.choice if rng is not None else secrets.choice
    code = "".join(choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"SQ{timezone.localtime(at):%Y%m%d}{code}"


def _intake_check(actor: Any, appeal: Appeal, changed: frozenset[str] | None) -> None:
    if _is_user(actor):
        scoping.ensure_in_scope(actor, appeal, changed)


def appeal_create(
    *,
    actor: Any,
    data: dict[str, Any],
    channel: str | None = None,
    now: dt.datetime | None = None,
    reference: str | None = None,
) -> Appeal:
    """Receive an appeal through any intake door.

    ``data`` holds the model's fields (``category``, ``description``, ``submitter`` or contact,
    ``enterprise``, ``region``, ...); missing industry, region and enterprise are taken from the
    submitter. ``actor`` is the signed-in user (staff, station host, partner system: recorded
    as ``submitted_by``), or ``None`` for an anonymous door. The reference number, the due time
    of dispatch and the expected reply time (Open311 ``expected_datetime``) are set here; the
    hot-spot counters are updated in the same transaction. Likely duplicates are *offered*
    (``selectors.duplicate_candidates``), never merged without a person deciding.
    """
    at = _now(now)
    fields = dict(data)
    fields.pop("status", None)
    if channel:
        fields["channel"] = channel
    submitter = fields.get("submitter")
    if submitter is not None:
        for name in ("industry", "region", "enterprise"):
            if not fields.get(name) and getattr(submitter, f"{name}_id", None):
                fields[name] = getattr(submitter, name)
        fields.setdefault("contact_name", "")
        if not fields.get("contact_name"):
            fields["contact_name"] = submitter.name
    category = fields.get("category")
    if isinstance(category, str):
        fields["category"] = Category.objects.filter(code=category, active=True).first()
        if fields["category"] is None:
            raise ValidationError({"category": _("Unknown appeal category.")})
    fields["level"] = (
        Level.PARTY_MEMBER if fields.get("channel") == Channel.MEMBER_RELAY else Level.WORKER
    )
    fields["status"] = S.RECEIVED
    fields["received_at"] = at
    fields["submitted_by"] = actor if _is_user(actor) else None
    fields["reference"] = reference or new_reference(at)
    urgency = fields.get("urgency") or "normal"
    category_obj = fields.get("category")
    policy = sla.policy_for(getattr(category_obj, "pk", None), urgency)
    fields["due_at"] = sla.dispatch_due(policy, at)
    fields["expected_at"] = sla.expected_reply_at(policy, at)
    with transaction.atomic():
        appeal = writes.create(
            actor=actor if _is_user(actor) else "anonymous",
            model=Appeal,
            data=fields,
            check=_intake_check,
            verb="receive",
        )
        _event(
            appeal,
            EventKind.CREATE,
            actor=actor,
            at=at,
            from_status="",
            from_level="",
            note=Channel(appeal.channel).label,
        )
        hotspots_raise(appeal=appeal, now=at)
    return appeal
