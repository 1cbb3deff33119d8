"""Members find the organization (党员找组织): a party member working in the city reports in
through the public form, a station QR code or a partner app.

:func:`claim_submit` validates the report, stores it as a :class:`~members.models.MemberClaim`
under a fresh reference number and opens a case in the same flow as roster matching. The
submitter is given the reference and nothing else: whether the id matched anyone is never
told back.

Linking: the claimed resident id is looked up through the blind index. A party member with
that id becomes the case's member; the most recently seen active worker with that id becomes
its worker (several rosters may list one person). With both, the case that already follows
that worker (and member) is reused, so one person has one case.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.identity import check_resident_id
from core.pii import normalize_phone, protected_lookup
from organizations.models import Enterprise, Industry, Region

from ..choices import CaseOrigin, ClaimChannel
from ..models import MemberClaim, PartyMember, Worker
from .cases import case_open

#: Reference numbers: ``SZ`` + the date + 6 random characters of an unambiguous base-32
#: alphabet (no 0/O, 1/I/L), drawn with ``secrets``: never sequential, never guessable.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_RANDOM_LENGTH = 6
REFERENCE_PATTERN = re.compile(rf"^SZ\d{{8}}[{REFERENCE_ALPHABET}]{{6}}$")

#: A mainland mobile number (11 digits starting 1[3-9]) or a fixed line with area code.
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{9,11})$")

#: Text fields of a report and their maximum lengths (as in the model).
_TEXT_FIELDS = {
    "name": 64,
    "home_organization_name": 128,
    "employer_name": 128,
    "work_place": 200,
}
_REQUIRED = ("name", "id_number", "phone", "home_organization_name")


def new_reference() -> str:
    """A fresh reference number such as ``SZ20261201K7QX2M``."""
    random_part = "".join(
        secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_RANDOM_LENGTH)
    )
    return f"SZ{timezone.localdate():%Y%m%d}{random_part}"


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def validate_claim(data: dict[str, Any]) -> dict[str, Any]:
    """The model fields of a report, or a ``ValidationError`` with one message per field.

    ``industry`` is an industry code, ``region`` a region code, ``enterprise`` a unified
    social credit code; all three optional. The resident id's check digit is the hard rule.
    """
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name, max_length in _TEXT_FIELDS.items():
        value = _text(data, name)
        if len(value) > max_length:
            errors[name] = _("At most %(n)d characters.") % {"n": max_length}
        out[name] = value
    for name in _REQUIRED:
        if not _text(data, name):
            errors[name] = _("This field is required.")
    id_number = _text(data, "id_number")
    if id_number and "id_number" not in errors:
        try:
            out["id_number"] = check_resident_id(id_number).value
        except ValidationError as exc:
            errors["id_number"] = exc.messages[0]
    phone = normalize_phone(_text(data, "phone"))
    if _text(data, "phone") and "phone" not in errors:
        if _PHONE.match(phone):
            out["phone"] = phone
        else:
            errors["phone"] = _("Give an 11-digit mobile number or a fixed line with area code.")
    lookups = (
        ("industry", Industry, "code", _("Unknown industry.")),
        ("region", Region, "code", _("Unknown region.")),
        ("enterprise", Enterprise, "uscc", _("No enterprise has this unified social credit code.")),
    )
    for name, model, key, message in lookups:
        value = data.get(name)
        if isinstance(value, model):
            out[name] = value
            continue
        value = "" if value is None else str(value).strip()
        if key == "uscc":
            value = value.upper()
        out[name] = None
        if value:
            found = model._default_manager.filter(**{key: value}).first()
            if found is None:
                errors[name] = message
            out[name] = found
    if out.get("enterprise") is not None:
        enterprise = out["enterprise"]
        out["industry"] = out["industry"] or enterprise.industry
        out["region"] = out["region"] or enterprise.region
        out["employer_name"] = out["employer_name"] or enterprise.name
    if errors:
        raise ValidationError(errors)
    return out


def claim_submit(
    *, channel: str, data: dict[str, Any], submitted_by: Any = None, notice_version: str = ""
) -> MemberClaim:
    """Store a member's report and open its case; returns the claim (give back only its
    ``reference``). ``submitted_by`` is the partner system's user for partner reports;
    ``notice_version`` the personal-information notice the reporter accepted on a public door
    (recorded with the time of consent)."""
    if channel not in ClaimChannel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    fields = validate_claim(data)
    actor = submitted_by if submitted_by is not None else _("public report form")
    origin = (
        CaseOrigin.PARTNER_REPORT if channel == ClaimChannel.PARTNER_API else CaseOrigin.SELF_REPORT
    )
    with transaction.atomic():
        claim = MemberClaim(
            reference=_unused_reference(),
            channel=channel,
            submitted_by=submitted_by if getattr(submitted_by, "is_authenticated", False) else None,
            consented_at=timezone.now() if notice_version else None,
            notice_version=notice_version[:32],
            **fields,
        )
        claim.full_clean()
        claim.save()
        member = (
            PartyMember.objects.filter(protected_lookup(PartyMember, "id_number", claim.id_number))
            .order_by("id")
            .first()
        )
        worker = (
            Worker.objects.filter(
                protected_lookup(Worker, "id_number", claim.id_number), active=True
            )
            .order_by("-last_seen", "-id")
            .first()
        )
        audit.record_create(actor=actor, obj=claim, verb="claim_submit")
        case_open(
            actor=actor,
            origin=origin,
            worker=worker,
            member=member,
            claim=claim,
            note=_("Reported in through %(channel)s.") % {"channel": ClaimChannel(channel).label},
        )
    return claim


def _unused_reference() -> str:
    # 30^6 ≈ 7×10^8 references a day: a repeat is rare, but never reuse one.
    for _attempt in range(10):
        reference = new_reference()
        if not MemberClaim.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not draw an unused reference number.")
