"""The two kinds of protected value (resident ids and phone numbers): normalizing and
masking."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import (
    ValidationError,
)

from ..identity import check_resident_id

RESIDENT_ID = "resident_id"
PHONE = "phone"
KINDS = (RESIDENT_ID, PHONE)
REVEAL_PERMISSION = "core.reveal_pii"
#: Every Fernet token (version byte 0x80, then the timestamp) starts so in url-safe base64; no
#: resident id or phone number does.
FERNET_TOKEN_PREFIX = "gAAAAA"


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of protected value {kind!r}; known: {', '.join(KINDS)}.")


def normalize_resident_id(value: str) -> str:
    """Upper-case and stripped; a valid 15-digit legacy number becomes its 18-digit form."""
    text = (value or "").strip().upper()
    try:
        return check_resident_id(text).value
    except ValidationError:
        return text


def normalize_phone(value: str) -> str:
    """Digits only, without a leading 0086/+86/86 country code (86 only before 11+ digits)."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0086"):
        return digits[4:]
    if digits.startswith("86") and len(digits) > 11:
        return digits[2:]
    return digits


_NORMALIZERS = {RESIDENT_ID: normalize_resident_id, PHONE: normalize_phone}


def normalize(value: str, kind: str) -> str:
    _check_kind(kind)
    return _NORMALIZERS[kind](value)


def mask_resident_id(value: str) -> str:
    """First 4 and last 4 characters: ``3204**********123X``."""
    text = (value or "").strip().upper()
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def mask_phone(value: str) -> str:
    """First 3 and last 4 digits of the normalized number: ``138****5678``."""
    digits = normalize_phone(value)
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


_MASKERS = {RESIDENT_ID: mask_resident_id, PHONE: mask_phone}


def mask(value: str, kind: str) -> str:
    return masker(kind)(value or "")


def masker(kind: str) -> Callable[[str | None], str]:
    """The masking function of ``kind`` (for masking many values: a list's column)."""
    _check_kind(kind)
    return _MASKERS[kind]
