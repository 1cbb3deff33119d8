"""How the portal writes a figure: thousands separators, money in 元 with two decimals and in
万元 where a report would (one place, so a number reads the same on every page and export).

Separators are written here rather than through Django's ``USE_THOUSAND_SEPARATOR``: that
setting would also group years, ids and codes in every template and form.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value: Any) -> str:
    """``215124`` → ``215,124``; a fraction keeps its digits (``1234.5`` → ``1,234.5``);
    anything not a number is returned as text."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,f}"


def yuan_amount(value: Any) -> str:
    """Money to two decimals with separators, no unit: ``5850608.83`` → ``5,850,608.83``."""
    amount = _decimal(value)
    if amount is None:
        return ""
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def yuan(value: Any) -> str:
    """``5850608.83`` → ``5,850,608.83 元``."""
    text = yuan_amount(value)
    return _("%(amount)s yuan") % {"amount": text} if text else ""


def wan_yuan(value: Any) -> str:
    """Money in 万元 as a report writes it, two decimals: ``5850608.83`` → ``585.06 万元``."""
    amount = _decimal(value)
    if amount is None:
        return ""
    wan = (amount / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)
    return _("%(amount)s ten-thousand yuan") % {"amount": f"{wan:,}"}


def figure_id(key: str, region: Any = None, industry: Any = None) -> str:
    """The name of one figure on the pages (``data-figure``): what it counts (``key``) and for
    which choice (region and industry codes, ``*`` for none). Two pages that show the same
    id show the same figure, so they must show the same number (``tests/portal``)."""
    region_code = getattr(region, "code", None) or "*"
    industry_code = getattr(industry, "code", None) or "*"
    return f"{key}@{region_code}/{industry_code}"
