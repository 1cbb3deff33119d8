"""Identity-number checks: GB 32100 unified social credit codes and GB 11643 resident ids.

The checksum is the hard rule; region tables only produce warnings, because real numbers exist
whose region part no table lists (e.g. codes issued before a redistricting, HK/Macau/Taiwan
residence-permit ids 81/82/83xxxx, USCCs of registration authorities N/Y).
"""

import datetime as dt
import functools
from dataclasses import dataclass, field
from operator import mul

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_CHARS = frozenset(USCC_ALPHABET)
RIC_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
RIC_CHECK = "10X98765432"
_RIC_ZEROS = ord("0") * sum(RIC_WEIGHTS)

# GB/T 2260 province-level prefixes, plus 81/82/83 for HK/Macau/Taiwan residence permits.
PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)


@dataclass
class CheckResult:
    value: str
    warnings: list[str] = field(default_factory=list)


def _weighted(chars: str, weights: tuple[int, ...]) -> int:
    """The weighted sum of ``chars``' values in the USCC alphabet (called for every row of an
    enterprise list: a table lookup, not ``str.index``); ``ValueError`` for a character outside
    the alphabet or a wrong length."""
    if len(chars) != len(weights):
        raise ValueError(f"expected {len(weights)} characters, got {len(chars)}")
    try:
        return sum(map(mul, map(_USCC_VALUE.__getitem__, chars), weights))
    except KeyError as exc:
        raise ValueError(f"{exc.args[0]!r} is not in the USCC alphabet") from None


def uscc_check_char(first17: str) -> str:
    total = _weighted(first17, USCC_WEIGHTS)
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    total = _weighted(first8, ORG_CODE_WEIGHTS)
    r = 11 - total % 11
    return "X" if r == 10 else ("0" if r == 11 else str(r))


def normalize_uscc(raw: str) -> str:
    return (raw or "").strip().upper().replace(" ", "")


def check_uscc(raw: str, *, texts: tuple[str, str] | None = None) -> CheckResult:
    """Validate a unified social credit code; raise ``ValidationError`` on a hard failure.
    ``texts``: the warnings' texts (:func:`uscc_warning_texts`) when checking many codes."""
    code = normalize_uscc(raw)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="length",
            params={"n": len(code)},
        )
    bad = () if _USCC_CHARS.issuperset(code) else sorted(set(code) - _USCC_CHARS)
    if bad:
        raise ValidationError(
            _("Characters not allowed in a unified social credit code: %(chars)s."),
            code="charset",
            params={"chars": " ".join(bad)},
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong."),
            code="checksum",
        )
    result = CheckResult(code)
    unknown_region, unusual_check = texts or uscc_warning_texts()
    if code[2:4] not in PROVINCE_PREFIXES:
        result.warnings.append(unknown_region % {"region": code[2:8]})
    body = code[8:16]
    if body.isalnum() and org_code_check_char(body) != code[16]:
        result.warnings.append(unusual_check)
    return result


_USCC_WARNINGS = (
    gettext_noop("Region part %(region)s is not a known province code."),
    gettext_noop("The embedded organization code has an unusual check digit."),
)
_RESIDENT_ID_WARNINGS = (gettext_noop("Region part %(region)s is not a known region code."),)


@functools.lru_cache(maxsize=64)
def _translated(messages: tuple[str, ...], language: str | None) -> tuple[str, ...]:
    """``messages`` in ``language`` (the active one), translated once per language: a list
    checks the code of every row it shows."""
    return tuple(_(message) for message in messages)


def uscc_warning_texts() -> tuple[str, str]:
    """The texts of :func:`check_uscc`'s warnings in the active language."""
    return _translated(_USCC_WARNINGS, get_language())


def make_uscc(prefix17: str) -> str:
    """Complete 17 characters with the check character (used by demo data and tests)."""
    return prefix17 + uscc_check_char(prefix17)


def ric_check_char(first17: str) -> str:
    if first17.isascii():  # the digits' bytes less the weighted zeros: no int() per digit
        total = sum(map(mul, first17.encode(), RIC_WEIGHTS)) - _RIC_ZEROS
    else:
        total = sum(int(c) * w for c, w in zip(first17, RIC_WEIGHTS, strict=True))
    return RIC_CHECK[total % 11]


def make_resident_id(region_code: str, birth_date: dt.date, sequence: int) -> str:
    """A valid 18-digit resident id (demo data, tests, benchmarks): region, birth date, a
    three-digit sequence (odd for men, even for women) and the check digit."""
    body = f"{region_code[:6]}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return body + ric_check_char(body)


@dataclass
class ResidentId(CheckResult):
    birth_date: dt.date | None = None
    gender: str = ""  # "male" | "female"


def check_resident_id(raw: str, *, texts: tuple[str] | None = None) -> ResidentId:
    """Validate a resident id; 15-digit legacy numbers are converted to 18 digits. ``texts``:
    the warning's text (:func:`resident_id_warning_texts`) when checking many numbers."""
    value = (raw or "").strip().upper()
    if len(value) == 15 and value.isdigit():
        body = value[:6] + "19" + value[6:]
        value = body + ric_check_char(body)
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        raise ValidationError(
            _("A resident id has 18 characters: 17 digits and a digit or X."), code="format"
        )
    if ric_check_char(value[:17]) != value[17]:
        raise ValidationError(_("The check digit of this resident id is wrong."), code="checksum")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date in this resident id is not a date."), code="birth_date"
        ) from None
    if birth.year < 1900 or birth > dt.date.today():
        raise ValidationError(
            _("The birth date in this resident id is out of range."), code="birth_date"
        )
    result = ResidentId(value, birth_date=birth, gender="male" if int(value[16]) % 2 else "female")
    if value[:2] not in PROVINCE_PREFIXES:
        (unknown_region,) = texts or resident_id_warning_texts()
        result.warnings.append(unknown_region % {"region": value[:6]})
    return result


def resident_id_warning_texts() -> tuple[str]:
    """The text of :func:`check_resident_id`'s warning in the active language."""
    return _translated(_RESIDENT_ID_WARNINGS, get_language())
