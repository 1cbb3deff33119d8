"""What the branch-life services share: the scope check, months, the acting user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from organizations import scoping


def _check(actor: Any, instance, changed: frozenset[str] | None = None) -> None:
    scoping.ensure_in_scope(actor, instance, changed)


def user_or_none(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)
