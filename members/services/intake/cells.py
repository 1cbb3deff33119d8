"""Checking cells: one row's text into typed values, or a field-level reason.

ID numbers are checked a chunk at a time (:func:`check_ids`): the checksum, the birth date
and the province are computed with numpy for all rows at once, and only a number that fails
(or needs converting from 15 digits, or gets a warning) goes through
:func:`core.identity.check_resident_id` for its exact message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.identity import PROVINCE_PREFIXES, RIC_CHECK, RIC_WEIGHTS, check_resident_id
from core.pii import normalize_phone

_PHONE_RE = re.compile(r"^(1\d{10}|0\d{9,11})$")
_TRUE = frozenset({"true", "1", "yes", "y", "t", "是"})
_FALSE = frozenset({"false", "0", "no", "n", "f", "否"})


def cell(row: Mapping[str, Any], column: str) -> str:
    """A cell as stripped text; ``None`` and missing columns are empty. Whole floats from a
    spreadsheet (``13912345678.0``) lose their ``.0``."""
    return _text(row.get(column))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def texts_of(row: Mapping[str, Any], columns: Sequence[str]) -> list[str]:
    """:func:`cell` of each column, with a fast path for the plain strings a CSV gives."""
    if row.__class__ is Cells:
        return row  # type: ignore[return-value]
    try:
        values = [row[column] for column in columns]
    except KeyError:  # a missing column is an empty cell
        values = [row.get(column) for column in columns]
    try:  # all text (a CSV row): stripped in one pass
        "".join(values)
    except TypeError:  # numbers, dates, None (JSON, a spreadsheet)
        return [value.strip() if value.__class__ is str else _text(value) for value in values]
    return [value.strip() for value in values]


class Cells(list):
    """A row's cells already as :func:`texts_of` gives them: stripped text in the contract's
    column order (what a CSV stream yields, without a dict per row)."""

    __slots__ = ()


def row_hash(source: str, cells: Sequence[str]) -> int:
    """A signed 64-bit hash of a roster row's cells (and its roster): equal for the same row
    sent again, so the record it wrote can be recognized without comparing anything."""
    digest = hashlib.blake2b("\x1f".join((source, *cells)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def row_hashes(source: str, rows: Sequence[Sequence[str]]) -> list[int]:
    """:func:`row_hash` of many rows (the same values, without a call per row)."""
    blake, signed = hashlib.blake2b, int.from_bytes
    prefix = source + "\x1f"
    join = "\x1f".join
    return [
        signed(blake((prefix + join(cells)).encode(), digest_size=8).digest(), "big", signed=True)
        for cells in rows
    ]


class RowProblems:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))


@dataclass
class CheckedId:
    value: str | None  # the 18-character number; None after an error
    birth_date: dt.date | None = None
    gender: str = ""
    error: str = ""
    warnings: tuple[str, ...] = ()


_WEIGHTS = np.array(RIC_WEIGHTS, dtype=np.int64)
_CHECK = np.frombuffer(RIC_CHECK.encode(), dtype=np.uint8)
_PROVINCES = np.array(sorted(int(p) for p in PROVINCE_PREFIXES), dtype=np.int64)
_DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def check_ids(raw: Sequence[str]) -> list[CheckedId]:
    """Check many resident ID numbers at once (see the module docstring)."""
    values = [r.strip().upper() for r in raw]
    n = len(values)
    out: list[CheckedId | None] = [None] * n
    shaped = [i for i, v in enumerate(values) if len(v) == 18 and v[:17].isdigit()]
    if shaped:
        text = np.frombuffer("".join(values[i] for i in shaped).encode(), dtype=np.uint8)
        digits = text.reshape(-1, 18)
        body = digits[:, :17].astype(np.int64) - 48
        check_ok = _CHECK[(body @ _WEIGHTS) % 11] == digits[:, 17]
        year = body[:, 6] * 1000 + body[:, 7] * 100 + body[:, 8] * 10 + body[:, 9]
        month = body[:, 10] * 10 + body[:, 11]
        day = body[:, 12] * 10 + body[:, 13]
        leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
        month_ok = (month >= 1) & (month <= 12)
        limit = np.where((month == 2) & ~leap, 28, _DAYS[np.clip(month, 0, 12)])
        today = dt.date.today()
        ymd = year * 10_000 + month * 100 + day
        date_ok = month_ok & (day >= 1) & (day <= limit) & (year >= 1900)
        date_ok &= ymd <= today.year * 10_000 + today.month * 100 + today.day
        province = body[:, 0] * 10 + body[:, 1]
        known = np.isin(province, _PROVINCES)
        good = check_ok & date_ok & known
        gender = body[:, 16] % 2 == 1
        for j in np.flatnonzero(good).tolist():
            out[shaped[j]] = CheckedId(
                values[shaped[j]],
                dt.date(int(year[j]), int(month[j]), int(day[j])),
                "male" if gender[j] else "female",
            )
    for i in range(n):
        if out[i] is None:
            out[i] = _check_one(values[i])
    return out  # type: ignore[return-value]


def _check_one(value: str) -> CheckedId:
    try:
        checked = check_resident_id(value)
    except ValidationError as exc:
        return CheckedId(None, error=exc.messages[0])
    return CheckedId(checked.value, checked.birth_date, checked.gender, "", tuple(checked.warnings))


def check_phone(raw: str, problems: RowProblems) -> str | None:
    # Most phones are 11 plain digits already: no normalizing needed.
    plain = len(raw) == 11 and raw[0] == "1" and raw.isascii() and raw.isdigit()
    digits = raw if plain else normalize_phone(raw)
    if not _PHONE_RE.match(digits):
        # The value is never repeated back: it is personal data.
        problems.error(
            "phone", _("Not a phone number: give 11 digits, or an area code and number.")
        )
        return None
    return digits


def check_float(raw: str, column: str, low: float, high: float, problems: RowProblems):
    try:
        value = float(raw)
    except ValueError:
        problems.error(column, _("Not a number."))
        return None
    if not math.isfinite(value) or not low <= value <= high:
        problems.error(
            column,
            _("Must lie between %(low)s and %(high)s.") % {"low": low, "high": high},
        )
        return None
    return value


def check_length(raw: str, column: str, limit: int, problems: RowProblems) -> bool:
    if len(raw) > limit:
        problems.error(
            column,
            _("At most %(limit)d characters; this has %(n)d.") % {"limit": limit, "n": len(raw)},
        )
        return False
    return True


#: The longest roster key (external id, member id) and name either roster takes.
MAX_KEY_LENGTH = 64
MAX_NAME_LENGTH = 64


def check_key_and_name(
    key: str, name: str, key_column: str, problems: RowProblems, values: dict[str, Any]
) -> None:
    """The roster key is required and bounded; a name, when given, is bounded and kept."""
    if not key:
        problems.error(key_column, _("This column is required."))
    else:
        check_length(key, key_column, MAX_KEY_LENGTH, problems)
    if name and check_length(name, "name", MAX_NAME_LENGTH, problems):
        values["name"] = name


def parse_bool(raw: str, column: str, problems: RowProblems) -> bool | None:
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    problems.error(column, _("Give true or false."))
    return None
